/**
 * What watchq prints. Text is the seed's: data lines on stdout ("Sync/Add/Update for …",
 * "Deleted …"), and log lines with Go's log timestamp on stderr ("Retry 2 for key …",
 * "Dropping … out of the queue: …", informer trouble, "Synced N objects", the summary).
 * JSON is one object per line on stdout for every event (sync, delete, retry, drop, error,
 * synced); the summary still goes to stderr as text.
 *
 * Names, keys, kinds and error messages come from the server: in text they are shown as kubectl
 * shows a table cell (cut at the first line break with `...`, ESC as `^[`, other control
 * characters escaped), so an object's name cannot forge an event line or drive the terminal.
 */
import type { Streams } from '../../shared/cli/streams.ts';
import { oneLineMessage, terminalValue } from '../../shared/cli/terminal-text.ts';
import type { InformerProblem } from '../../shared/informer/reflector.ts';
import type { WorkItem } from './handler.ts';
import type { OutputFormat } from './options.ts';

export interface Summary {
  /** Successful runs for existing objects. */
  synced: number;
  /** Successful runs for deleted objects. */
  deleted: number;
  /** Failures put back on the queue. */
  retried: number;
  /** Keys given up on after --max-retries. */
  dropped: number;
}

export interface Reporter {
  /** The first sync is done: `count` objects (of one shard with --shards). */
  synced(count: number, shard?: number): void;
  /** A run that succeeded. */
  handled(item: WorkItem, durationMs: number): void;
  /** A run that failed and will be retried: `retry` is 0 for the first retry (the seed's numbering). */
  retry(item: WorkItem, retry: number, error: Error, durationMs: number): void;
  /** A run that failed for the last time. */
  drop(item: WorkItem, error: Error, durationMs: number): void;
  /** The informer's list or watch failed, or it relists. */
  problem(problem: InformerProblem, what: string): void;
  /** A message for the log (stderr), e.g. the metrics address. */
  info(message: string): void;
  summary(summary: Summary): void;
}

/** Go's log.Printf prefix: `2024/11/04 19:13:16` in local time. */
export function logTimestamp(date: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}/${p(date.getMonth() + 1)}/${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}

/** `failed to watch deployments.apps in namespace "x": …; retrying in 1.6s` */
export function problemMessage(problem: InformerProblem, what: string): string {
  const verb = problem.phase === 'list' ? 'failed to list' : problem.phase === 'watch' ? 'watch of' : 'event handler for';
  const next =
    problem.action === 'relist' ? 'listing again' : problem.action === 'continue' ? 'continuing' : `retrying in ${seconds(problem.delayMs)}`;
  const message = oneLineMessage(problem.error.message);
  const phrase = problem.phase === 'watch' ? `${verb} ${what} ended: ${message}` : `${verb} ${what}: ${message}`;
  return `${phrase}; ${next}`;
}

/**
 * The seed's line for a successful sync: Deployments by name with their replicas, others by key.
 * Watching more than one namespace (`-A`), a Deployment is named by its key (`namespace/name`):
 * two with the same name in different namespaces must not print the same line.
 */
export function syncLine(item: WorkItem, manyNamespaces = false): string {
  if (item.kind === 'Deployment') {
    const replicas = (item.object?.spec as { replicas?: number } | undefined)?.replicas;
    const name = manyNamespaces ? item.key : (item.object?.metadata?.name ?? item.key);
    return `Sync/Add/Update for Deployment ${terminalValue(name)}, Replicas: ${typeof replicas === 'number' ? replicas : '<nil>'}`;
  }
  return `Sync/Add/Update for ${terminalValue(item.kind)} ${terminalValue(item.key)}`;
}

export function deletedLine(item: WorkItem): string {
  return `${item.event === 'finalize' ? 'Finalized' : 'Deleted'} ${terminalValue(item.kind)} ${terminalValue(item.key)}`;
}

export function summaryLine(s: Summary): string {
  return `Summary: ${s.synced} synced, ${s.deleted} deleted, ${s.retried} retried, ${s.dropped} dropped`;
}

export interface ReporterOptions {
  /** Watching every namespace (`-A`): text lines name objects `namespace/name`. */
  manyNamespaces?: boolean;
}

export function createReporter(format: OutputFormat, streams: Streams, kind: string, now: () => Date = () => new Date(), options: ReporterOptions = {}): Reporter {
  const log = (message: string): void => {
    streams.stderr.write(`${logTimestamp(now())} ${message}\n`);
  };
  if (format === 'text') {
    return {
      synced: (count, shard) => log(`Synced ${count} objects${shard === undefined ? '' : ` (shard ${shard})`}`),
      handled: (item) => {
        streams.stdout.write(item.event === 'sync' ? `${syncLine(item, options.manyNamespaces)}\n` : `${deletedLine(item)}\n`);
      },
      // The seed's line, and why: the handler's error (an --exec command's status and last stderr line).
      retry: (item, retry, error) => log(`Retry ${retry} for key ${terminalValue(item.key)}: ${oneLineMessage(error.message)}`),
      drop: (item, error) => log(`Dropping ${terminalValue(item.kind.toLowerCase())} "${terminalValue(item.key)}" out of the queue: ${oneLineMessage(error.message)}`),
      problem: (problem, what) => log(problemMessage(problem, what)),
      info: log,
      summary: (s) => log(summaryLine(s)),
    };
  }
  const emit = (record: Record<string, unknown>): void => {
    streams.stdout.write(`${JSON.stringify({ time: now().toISOString(), ...record })}\n`);
  };
  const itemFields = (item: WorkItem) => ({ key: item.key, kind: item.kind, attempt: item.attempt });
  return {
    synced: (count, shard) => emit({ event: 'synced', kind, count, ...(shard === undefined ? {} : { shard }) }),
    handled: (item, durationMs) => emit({ event: item.event, ...itemFields(item), durationMs: round(durationMs) }),
    retry: (item, retry, error, durationMs) => emit({ event: 'retry', ...itemFields(item), retry, error: error.message, durationMs: round(durationMs) }),
    drop: (item, error, durationMs) => emit({ event: 'drop', ...itemFields(item), error: error.message, durationMs: round(durationMs) }),
    problem: (problem, what) =>
      emit({ event: 'error', kind, phase: problem.phase, action: problem.action, retryInMs: problem.delayMs, error: problemMessage(problem, what) }),
    info: log,
    summary: (s) => log(summaryLine(s)),
  };
}
