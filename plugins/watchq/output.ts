/**
 * What watchq prints. Text is the seed's: data lines on stdout ("Sync/Add/Update for …",
 * "Deleted …"), and log lines with Go's log timestamp on stderr ("Retry 2 for key …",
 * "Dropping … out of the queue: …", informer trouble, "Synced N objects", the summary).
 * JSON is one object per line on stdout for every event (sync, delete, retry, drop, error,
 * synced); the summary still goes to stderr as text.
 */
import type { Streams } from '../../shared/cli/streams.ts';
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
  synced(count: number): void;
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
  const phrase = problem.phase === 'watch' ? `${verb} ${what} ended: ${problem.error.message}` : `${verb} ${what}: ${problem.error.message}`;
  return `${phrase}; ${next}`;
}

/** The seed's line for a successful sync: Deployments by name with their replicas, others by key. */
export function syncLine(item: WorkItem): string {
  if (item.kind === 'Deployment') {
    const replicas = (item.object?.spec as { replicas?: number } | undefined)?.replicas;
    return `Sync/Add/Update for Deployment ${item.object?.metadata?.name ?? item.key}, Replicas: ${replicas ?? '<nil>'}`;
  }
  return `Sync/Add/Update for ${item.kind} ${item.key}`;
}

export function summaryLine(s: Summary): string {
  return `Summary: ${s.synced} synced, ${s.deleted} deleted, ${s.retried} retried, ${s.dropped} dropped`;
}

export function createReporter(format: OutputFormat, streams: Streams, kind: string, now: () => Date = () => new Date()): Reporter {
  const log = (message: string): void => {
    streams.stderr.write(`${logTimestamp(now())} ${message}\n`);
  };
  if (format === 'text') {
    return {
      synced: (count) => log(`Synced ${count} objects`),
      handled: (item) => {
        streams.stdout.write(item.event === 'delete' ? `Deleted ${item.kind} ${item.key}\n` : `${syncLine(item)}\n`);
      },
      retry: (item, retry) => log(`Retry ${retry} for key ${item.key}`),
      drop: (item, error) => log(`Dropping ${item.kind.toLowerCase()} "${item.key}" out of the queue: ${error.message}`),
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
    synced: (count) => emit({ event: 'synced', kind, count }),
    handled: (item, durationMs) => emit({ event: item.event, ...itemFields(item), durationMs: round(durationMs) }),
    retry: (item, retry, error, durationMs) => emit({ event: 'retry', ...itemFields(item), retry, error: error.message, durationMs: round(durationMs) }),
    drop: (item, error, durationMs) => emit({ event: 'drop', ...itemFields(item), error: error.message, durationMs: round(durationMs) }),
    problem: (problem, what) =>
      emit({ event: 'error', kind, phase: problem.phase, action: problem.action, retryInMs: problem.delayMs, error: problemMessage(problem, what) }),
    info: log,
    summary: (s) => log(summaryLine(s)),
  };
}
