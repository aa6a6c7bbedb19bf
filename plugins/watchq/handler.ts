/**
 * What a worker runs for a key. The handler succeeds by resolving and fails by rejecting;
 * the controller decides what a failure means (retry later, or drop).
 *
 * watchq's handler is a chain: `--fail-on` (a simulated error, the seed's test), then
 * `--exec` (a shell command) if given. Without `--exec` the handler does nothing more and
 * the run is reported by the output (the seed's "Sync/Add/Update for …" line).
 */
import type { InformerObject } from '../../shared/informer/object-key.ts';
import { splitKey } from '../../shared/informer/object-key.ts';

/** `sync`: the object exists (added, updated or resynced); `delete`: it is gone. */
export type WorkEvent = 'sync' | 'delete';

export interface WorkItem {
  key: string;
  event: WorkEvent;
  /** The cached object; for `delete` the last version seen (undefined if never seen). */
  object: InformerObject | undefined;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  kind: string;
}

/** What a successful run may ask for: to be run again after a while. */
export interface HandlerResult {
  requeueAfterMs?: number;
}

export interface Handler {
  /**
   * Rejects to report a failure (a HookFailure says how it is retried, a UsageError stops
   * watchq). `signal` aborts when watchq stops waiting (drain timeout).
   */
  handle(item: WorkItem, signal: AbortSignal): Promise<HandlerResult | void>;
}

/** Fails every key matching `pattern`, like the seed's simulated error. */
export function failOnHandler(pattern: RegExp, next?: Handler): Handler {
  return {
    async handle(item, signal) {
      if (pattern.test(item.key)) throw new Error(`simulated error for ${item.kind.toLowerCase()} ${splitKey(item.key).name}`);
      await next?.handle(item, signal);
    },
  };
}

/** Succeeds at once: the output reports the run. */
export const noopHandler: Handler = { handle: async () => {} };
