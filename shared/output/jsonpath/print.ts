/**
 * A JSONPath template as kubectl prints with it (client-go's JSONPath.PrintResults): each
 * node's results joined by a space; a map or list as compact JSON (Go's json.Marshal: sorted
 * keys, `<>&` escaped), anything else as Go's fmt prints it (`null` for nil). With
 * `jsonpath-as-json` each node's results are one JSON array, indented by 4 spaces, and a newline.
 */
import { goJsonNumber, goJsonString, sortedKeys } from '../go-json.ts';
import { findResults } from './evaluate.ts';
import type { ListNode } from './nodes.ts';
import { parseJsonPath } from './parser.ts';
import { GoByte, GoFloat, goSprint, kindOf } from './values.ts';

export interface JsonPathOptions {
  /** kubectl's --allow-missing-template-keys, default true. */
  allowMissingKeys?: boolean;
  /** -o jsonpath-as-json. */
  outputJson?: boolean;
}

export interface JsonPath {
  /** The text for one object (or kubectl's List of them); throws JsonPathExecutionError. */
  execute(data: unknown): string;
}

/** Parses once (throws JsonPathSyntaxError), runs on each call. */
export function createJsonPath(template: string, options: JsonPathOptions = {}): JsonPath {
  const root: ListNode = parseJsonPath(template);
  const allowMissingKeys = options.allowMissingKeys ?? true;
  return {
    execute(data) {
      const full = findResults(root, data, { allowMissingKeys });
      return full.map((results) => (options.outputJson ? `${goJsonValue([...results], '    ', '')}\n` : results.map(resultText).join(' '))).join('');
    },
  };
}

function resultText(value: unknown): string {
  const kind = kindOf(value);
  if (kind === 'map' || kind === 'slice') return goJsonValue(value, '', '');
  if (kind === 'nil') return 'null';
  return goSprint(value);
}

/** Go's json.Marshal (indent '') or json.MarshalIndent(v, "", indent). */
export function goJsonValue(value: unknown, indent: string, prefix: string): string {
  const kind = kindOf(value);
  const nl = indent ? '\n' : '';
  const inner = prefix + indent;
  const sep = indent ? ': ' : ':';
  switch (kind) {
    case 'nil':
      return 'null';
    case 'bool':
      return value ? 'true' : 'false';
    case 'string':
      return goJsonString(value as string);
    case 'int':
    case 'uint':
    case 'float':
      return goJsonNumber(value instanceof GoFloat || value instanceof GoByte ? value.value : (value as number));
    case 'slice': {
      const array = value as unknown[];
      if (array.length === 0) return '[]';
      return `[${nl}${array.map((v) => inner + goJsonValue(v, indent, inner)).join(`,${nl}`)}${nl}${prefix}]`;
    }
    case 'map': {
      const o = value as Record<string, unknown>;
      const keys = sortedKeys(o);
      if (keys.length === 0) return '{}';
      return `{${nl}${keys.map((k) => `${inner}${goJsonString(k)}${sep}${goJsonValue(o[k], indent, inner)}`).join(`,${nl}`)}${nl}${prefix}}`;
    }
  }
}
