/**
 * `-o custom-columns=HEADER:PATH,…` and `-o custom-columns-file=FILE`, as kubectl's
 * CustomColumnsPrinter (k8s.io/kubectl/pkg/cmd/get/customcolumn.go): a path is relaxed to
 * `{.path}` (`name`, `.name`, `{name}`, `{.name}` alike), missing keys are allowed, no value is
 * `<none>`, several values are joined with `,`, each as Go's fmt prints it (`map[k:v]`, `[a b]`,
 * `<nil>`), ESC and CR escaped; the header line is printed even when nothing is listed; the
 * file form is a line of headers and a line of paths, split on whitespace (and always has its
 * headers, even with --no-headers, as kubectl).
 */
import { UsageError } from '../errors.ts';
import { findResults, JsonPathExecutionError } from './jsonpath/evaluate.ts';
import type { ListNode } from './jsonpath/nodes.ts';
import { JsonPathSyntaxError, parseJsonPath } from './jsonpath/parser.ts';
import { goSprint } from './jsonpath/values.ts';
import { goTabwriter } from './go-tabwriter.ts';

export interface CustomColumn {
  header: string;
  path: ListNode;
}

export interface CustomColumns {
  columns: CustomColumn[];
  /** The file form prints its header line whatever --no-headers says. */
  alwaysHeaders: boolean;
}

/** kubectl's RelaxedJSONPathExpression. */
export function relaxedJsonPath(expression: string): string {
  if (expression === '') return '';
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expression);
  if (!m) throw new UsageError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2]}}`;
}

function column(header: string, expression: string): CustomColumn {
  const template = relaxedJsonPath(expression);
  try {
    return { header, path: parseJsonPath(template) };
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) throw new UsageError(`error parsing custom column ${header}:${expression}, ${error.message}`);
    throw error;
  }
}

export function parseCustomColumns(spec: string): CustomColumns {
  const columns = spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new UsageError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return column(part.slice(0, colon), part.slice(colon + 1));
  });
  return { columns, alwaysHeaders: false };
}

export function parseCustomColumnsFile(text: string): CustomColumns {
  const lines = text.split('\n');
  const expected = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (text === '') throw new UsageError(`invalid template, missing header line. ${expected}`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === '')) throw new UsageError(`invalid template, missing spec line. ${expected}`);
  const words = (line: string) => line.replace(/\r$/, '').split(/[ \t\n\v\f\r\u0085\u00a0]+/).filter(Boolean);
  const headers = words(lines[0]!);
  const specs = words(lines[1]!);
  if (headers.length !== specs.length) throw new UsageError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return { columns: headers.map((h, i) => column(h, specs[i]!)), alwaysHeaders: true };
}

/**
 * The rows for these objects (and the header line unless noHeaders), aligned as kubectl's
 * tabwriter. A path that fails on an object (an index out of bounds) stops there: what came
 * before is still printed, as kubectl flushes it, and `error` says why.
 */
export function renderCustomColumns(spec: CustomColumns, objects: unknown[], noHeaders: boolean): { text: string; error?: JsonPathExecutionError } {
  const rows: string[][] = [];
  if (spec.alwaysHeaders || !noHeaders) rows.push(spec.columns.map((c) => c.header));
  let error: JsonPathExecutionError | undefined;
  try {
    for (const object of objects) rows.push(spec.columns.map(({ path }) => cellText(path, object)));
  } catch (e) {
    if (!(e instanceof JsonPathExecutionError)) throw e;
    error = e;
  }
  // Values keep their tabs and line breaks: Go's tabwriter sees them, so ours must too.
  const text = goTabwriter(rows.map((row) => `${row.join('\t')}\n`).join(''));
  return error ? { text, error } : { text };
}

/** One object's row (throws JsonPathExecutionError when a path fails on it). */
export function customColumnsRow(spec: CustomColumns, object: unknown): string[] {
  return spec.columns.map(({ path }) => cellText(path, object));
}

function cellText(path: ListNode, object: unknown): string {
  const results = findResults(path, object, { allowMissingKeys: true });
  if (results.length === 0 || results[0]!.length === 0) return '<none>';
  return results.flat().map((v) => goSprint(v).replaceAll('\x1b', '^[').replaceAll('\r', '\\r')).join(',');
}
