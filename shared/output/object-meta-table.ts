/**
 * `--server-print=false`: kubectl's client-side table of any object (cli-runtime's
 * HumanReadablePrinter with its default handler, printObjectMeta): NAME and AGE from the
 * object's metadata, AGE as apimachinery's duration.HumanDuration writes it.
 */
import type { Table } from './server-table.ts';

interface MetaObject {
  metadata?: { name?: string; creationTimestamp?: string; namespace?: string; labels?: Record<string, string> };
}

/** A list's items, or one object, as the Table the server would not make. */
export function objectMetaTable(page: { items?: MetaObject[] } & MetaObject, nowMs: number): Table {
  const objects = Array.isArray(page.items) ? page.items : [page];
  return {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: '', priority: 0 },
    ],
    rows: objects.map((o) => ({ cells: [o.metadata?.name ?? '', age(o.metadata?.creationTimestamp, nowMs)], object: o as never })),
  };
}

function age(timestamp: string | undefined, nowMs: number): string {
  const at = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(nowMs - at);
}

/** apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}
