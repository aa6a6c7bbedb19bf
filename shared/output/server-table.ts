/**
 * The server-side Table format (meta.k8s.io/v1 Table), which makes our columns exactly
 * kubectl get's: the server computes READY, STATUS, AGE, and CRD printer columns.
 */
import { compareCodePoints, sortedKeys } from './go-json.ts';
import { goFormatG } from './go-yaml.ts';

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** Objects' metadata alone (PartialObjectMetadataList), for output that needs only names. */
export const metadataListAccept = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';
/** One object's metadata alone (a GET by name refuses the List form). */
export const metadataAccept = 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json';

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; uid?: string; creationTimestamp?: string; labels?: Record<string, string> } };
}

export interface Table {
  kind: 'Table';
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[];
  rows: TableRow[] | null;
}

export interface RenderOptions {
  wide: boolean;
  /** -A: a NAMESPACE column first. */
  withNamespace: boolean;
  /** `deployment.apps/` when several types are printed together, as kubectl does. */
  namePrefix: string;
  /** -L KEY: a column per label key after the server's, headed by the key's last segment. */
  labelColumns?: string[];
  /** --show-labels: a LABELS column (`k=v,…`, `<none>`). */
  showLabels?: boolean;
  /** Extra columns after the server's and the labels (dynget adds UID). */
  extraColumns?: Array<{ header: string; value(row: TableRow): string }>;
}

/** The header row for a table, with kubectl's upper-cased names. */
export function headerRow(table: Table, options: RenderOptions): string[] {
  const cols = visibleColumns(table, options.wide).map(({ column }) => column.name.toUpperCase());
  const labels = (options.labelColumns ?? []).map((key) => key.split('/').at(-1)!.toUpperCase());
  return [...(options.withNamespace ? ['NAMESPACE'] : []), ...cols, ...labels, ...(options.showLabels ? ['LABELS'] : []), ...(options.extraColumns ?? []).map((c) => c.header)];
}

export function bodyRows(table: Table, options: RenderOptions): string[][] {
  const columns = visibleColumns(table, options.wide);
  return (table.rows ?? []).map((row) => {
    const cells = columns.map(({ column, index }) => {
      const text = cellText(row.cells[index]);
      return column.format === 'name' && column.type === 'string' && options.namePrefix ? options.namePrefix + text : text;
    });
    const ns = options.withNamespace ? [row.object?.metadata?.namespace ?? ''] : [];
    const labels = row.object?.metadata?.labels ?? {};
    const labelCells = (options.labelColumns ?? []).map((key) => cellText(labels[key] ?? ''));
    const shown = options.showLabels ? [cellText(formatLabels(labels))] : [];
    return [...ns, ...cells, ...labelCells, ...shown, ...(options.extraColumns ?? []).map((c) => c.value(row))];
  });
}

/** apimachinery's labels.FormatLabels: the `k=v` pairs sorted (as strings), `<none>` for none. */
export function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? '<none>' : pairs.sort(compareCodePoints).join(',');
}

function visibleColumns(table: Table, wide: boolean): Array<{ column: TableColumn; index: number }> {
  return table.columnDefinitions.map((column, index) => ({ column, index })).filter(({ column }) => wide || !column.priority);
}

/**
 * A cell as kubectl's table printer writes it: the server's value as it is (ages and dates
 * are already text), a string cut at its first line break with `...`, ESC shown as `^[`,
 * nothing for null, other values as Go's fmt prints them.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    const cut = value.search(/[\f\n\r]/);
    return escapeTerminal(cut >= 0 ? value.slice(0, cut) : value) + (cut >= 0 ? '...' : '');
  }
  return escapeTerminal(goSprint(value));
}

function escapeTerminal(text: string): string {
  return text.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

/** fmt.Sprint of a JSON value: `map[a:1 b:[x y]]`, floats in %v (shortest %g). */
function goSprint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : goFormatG(value);
  if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `map[${sortedKeys(o).map((k) => `${k}:${goSprint(o[k])}`).join(' ')}]`;
  }
  return String(value);
}
