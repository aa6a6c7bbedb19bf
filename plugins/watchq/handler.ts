/**
 * What a worker runs for a key. The handler succeeds by resolving and fails by rejecting;
 * the controller decides what a failure means (retry later, or drop).
 *
 * watchq's handler is a chain: `--fail-on` (a simulated error, the seed's test), then
 * `--exec` (a shell command) if given. Without `--exec` the handler does nothing more and
 * the run is reported by the output (the seed's "Sync/Add/Update for …" line).
 */
import type { InformerObject } from '../../shared/listwatch/object-key.ts';
import { splitKey } from '../../shared/listwatch/object-key.ts';

/** `sync`: the object exists (added, updated or resynced); `delete`: it is gone; `finalize`: it is being deleted and carries our finalizer. */
export type WorkEvent = 'sync' | 'delete' | 'finalize';

/**
 * What happened, as a hook sees it (WATCHQ_EVENT): `sync`, the key's first run for an object
 * that existed when watchq started; `add`, the first run for one created later; `update`, an
 * object a run of this process handled before (`old` is it as that last successful run saw
 * it); `resync`, the same object again (`--resync`, or a run it asked for with requeue-after);
 * `delete`, it is gone; `finalize`, it is being deleted and still carries `--finalizer`.
 */
export type WorkChange = 'sync' | 'add' | 'update' | 'resync' | 'delete' | 'finalize';

export interface WorkItem {
  key: string;
  event: WorkEvent;
  /** Finer than `event`, for hooks; absent where only `event` is known (tests, the seed's output). */
  change?: WorkChange;
  /** For `update`: the object as the last successful run saw it. */
  old?: InformerObject | undefined;
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
