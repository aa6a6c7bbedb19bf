/**
 * `--access`: what the current identity may do, as a matrix of verbs × resource types (like
 * rakkess). A ✔/✖ grid on a terminal (green/red with colour), `yes`/`no` columns in a pipe,
 * or JSON.
 */
import Table from 'cli-table3';
import type { Streams } from '../cli/streams.ts';
import { fullName, type ApiResource } from '../discovery/api-resource.ts';
import type { Transport } from '../kube/transport.ts';
import { TabWriter } from '../output/tab-writer.ts';
import { reviewAccess, type AccessOutcome } from './access-review.ts';

export const matrixVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;

export interface MatrixRow {
  resource: string;
  namespace: string | undefined;
  verbs: Record<string, AccessOutcome | 'n/a'>;
}

export async function accessMatrix(transport: Transport, resources: ApiResource[], namespace: string | undefined): Promise<MatrixRow[]> {
  const checks = resources.flatMap((resource) =>
    matrixVerbs.filter((verb) => resource.verbs.length === 0 || resource.verbs.includes(verb)).map((verb) => ({ verb, resource, namespace })),
  );
  const results = await reviewAccess(transport, checks);
  const rows = new Map<string, MatrixRow>();
  for (const resource of resources) {
    const row: MatrixRow = { resource: fullName(resource), namespace: resource.namespaced ? namespace : undefined, verbs: {} };
    for (const verb of matrixVerbs) row.verbs[verb] = 'n/a';
    rows.set(fullName(resource), row);
  }
  for (const r of results) rows.get(fullName(r.resource as ApiResource))!.verbs[r.verb] = r.outcome;
  return [...rows.values()];
}

export function renderMatrix(rows: MatrixRow[], streams: Streams): string {
  const symbol = (outcome: AccessOutcome | 'n/a'): string => {
    if (!streams.stdoutIsTTY) return { allowed: 'yes', denied: 'no', error: 'ERR', 'n/a': 'n/a' }[outcome];
    const text = { allowed: '✔', denied: '✖', error: 'ERR', 'n/a': '' }[outcome];
    if (!streams.color) return text;
    return outcome === 'allowed' ? `\x1b[32m${text}\x1b[0m` : outcome === 'denied' ? `\x1b[31m${text}\x1b[0m` : text;
  };
  const header = ['NAME', ...matrixVerbs.map((v) => v.toUpperCase())];
  const body = rows.map((row) => [row.resource, ...matrixVerbs.map((v) => symbol(row.verbs[v]!))]);
  if (!streams.stdoutIsTTY) return new TabWriter().format([header, ...body]);
  // On a terminal, a boxed grid with the verbs centred under their headings.
  const table = new Table({
    head: header,
    style: { head: streams.color ? ['bold'] : [], border: streams.color ? ['grey'] : [], compact: true },
    colAligns: ['left', ...matrixVerbs.map(() => 'center' as const)],
  });
  table.push(...body);
  return `${table.toString()}\n`;
}
