/**
 * The comparisons of a JSONPath filter, as Go's text/template defines them (client-go's fork,
 * third_party/forked/golang/template/funcs.go): operands of the same basic kind, signed and
 * unsigned integers together; an int and a float, nil, a map or a list is an error.
 */
import { compareCodePoints } from '../go-json.ts';
import { kindOf, numberOf, type Kind } from './values.ts';

export class ComparisonError extends Error {}

type Basic = Exclude<Kind, 'nil' | 'map' | 'slice'>;

function basicKind(v: unknown): Basic {
  const kind = kindOf(v);
  if (kind === 'nil' || kind === 'map' || kind === 'slice') throw new ComparisonError('invalid type for comparison');
  return kind;
}

function equal(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) {
    if ((ka === 'int' && kb === 'uint') || (ka === 'uint' && kb === 'int')) return numberOf(a) === numberOf(b);
    throw new ComparisonError('incompatible types for comparison');
  }
  if (ka === 'int' || ka === 'uint' || ka === 'float') return numberOf(a) === numberOf(b);
  return a === b;
}

function less(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) {
    if ((ka === 'int' && kb === 'uint') || (ka === 'uint' && kb === 'int')) return numberOf(a) < numberOf(b);
    throw new ComparisonError('incompatible types for comparison');
  }
  if (ka === 'bool') throw new ComparisonError('invalid type for comparison');
  if (ka === 'string') return compareCodePoints(a as string, b as string) < 0;
  return numberOf(a) < numberOf(b);
}

/** Undefined for an operator client-go does not know. */
export function compare(operator: string, a: unknown, b: unknown): boolean | undefined {
  switch (operator) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return less(a, b);
    case '<=':
      return less(a, b) || equal(a, b);
    case '>':
      // Go checks both operands' kinds first, as less does.
      return !less(a, b) && !equal(a, b);
    case '>=':
      return !less(a, b);
    default:
      return undefined;
  }
}
