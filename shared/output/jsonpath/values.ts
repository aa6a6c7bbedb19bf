/**
 * The values a JSONPath template works on, as Go sees an unstructured object: maps, slices,
 * strings, int64 (a JSON number without a fraction, as the API server writes every whole
 * float), float64, bool and nil; plus the two Go-only values the dialect can produce: a float
 * literal typed in the template (`1.0` is a float64, not an int) and the bytes of a string
 * (`*` and `..` walk a string's UTF-8 bytes as uint8).
 */
import { sortedKeys } from '../go-json.ts';
import { goFormatG } from '../go-yaml.ts';

export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export class GoByte {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export type Kind = 'nil' | 'map' | 'slice' | 'string' | 'int' | 'uint' | 'float' | 'bool';

export function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'nil';
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoByte) return 'uint';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'object':
      return 'map';
    default:
      return 'nil';
  }
}

/** Go's name of the value's type, as client-go's messages show it. */
export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'string':
      return 'string';
    case 'int':
      return 'int64';
    case 'uint':
      return 'uint8';
    case 'float':
      return 'float64';
    case 'bool':
      return 'bool';
    default:
      return 'interface {}';
  }
}

export function numberOf(v: unknown): number {
  return v instanceof GoFloat || v instanceof GoByte ? v.value : (v as number);
}

/** fmt.Sprint of a value: `map[a:1 b:[x y]]`, floats in %v (strconv's shortest 'g'), nil as `<nil>`. */
export function goSprint(v: unknown): string {
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>';
    case 'slice':
      return `[${(v as unknown[]).map(goSprint).join(' ')}]`;
    case 'map': {
      const o = v as Record<string, unknown>;
      return `map[${sortedKeys(o).map((k) => `${k}:${goSprint(o[k])}`).join(' ')}]`;
    }
    case 'float':
      return goFormatG(numberOf(v));
    case 'int':
    case 'uint':
      return intText(numberOf(v));
    default:
      return String(v);
  }
}

function intText(n: number): string {
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

/** A map's values in a fixed order (Go visits them in random order; we sort the keys). */
export function mapValues(o: Record<string, unknown>): unknown[] {
  return sortedKeys(o).map((k) => o[k]);
}

/** What `*` and `..` step into: map values, slice elements, a string's bytes. */
export function children(v: unknown): unknown[] {
  switch (kindOf(v)) {
    case 'map':
      return mapValues(v as Record<string, unknown>);
    case 'slice':
      return v as unknown[];
    case 'string':
      return [...Buffer.from(v as string, 'utf8')].map((b) => new GoByte(b));
    default:
      return [];
  }
}
