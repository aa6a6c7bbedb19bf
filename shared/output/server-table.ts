/**
 * The server-side Table format (meta.k8s.io/v1 Table), which makes our columns exactly
 * kubectl get's: the server computes READY, STATUS, AGE, and CRD printer columns.
 */
export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; uid?: string; creationTimestamp?: string } };
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
  /** Extra columns after the server's (dynget adds UID). */
  extraColumns?: Array<{ header: string; value(row: TableRow): string }>;
  now?: number;
}

/** The header row for a table, with kubectl's upper-cased names. */
export function headerRow(table: Table, options: RenderOptions): string[] {
  const cols = visibleColumns(table, options.wide).map(({ column }) => column.name.toUpperCase());
  return [...(options.withNamespace ? ['NAMESPACE'] : []), ...cols, ...(options.extraColumns ?? []).map((c) => c.header)];
}

export function bodyRows(table: Table, options: RenderOptions): string[][] {
  const columns = visibleColumns(table, options.wide);
  const now = options.now ?? Date.now();
  return (table.rows ?? []).map((row) => {
    const cells = columns.map(({ column, index }) => {
      let text = cellText(row.cells[index], column, now);
      if (column.format === 'name' && options.namePrefix) text = options.namePrefix + text;
      return text;
    });
    const ns = options.withNamespace ? [row.object?.metadata?.namespace ?? ''] : [];
    return [...ns, ...cells, ...(options.extraColumns ?? []).map((c) => c.value(row))];
  });
}

function visibleColumns(table: Table, wide: boolean): Array<{ column: TableColumn; index: number }> {
  return table.columnDefinitions.map((column, index) => ({ column, index })).filter(({ column }) => wide || !column.priority);
}

function cellText(value: unknown, column: TableColumn, now: number): string {
  if (value === null || value === undefined) return '<none>';
  if (column.type === 'date' && typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) {
    return humanDuration(now - Date.parse(value));
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** kubectl's short human durations (duration.HumanDuration): 45s, 5m10s, 3h, 2d4h, 3y. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) {
    const days = Math.floor(h / 24) % 365;
    return days === 0 ? `${Math.floor(h / 24 / 365)}y` : `${Math.floor(h / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(h / 24 / 365)}y`;
}
