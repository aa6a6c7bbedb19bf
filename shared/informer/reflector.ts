/**
 * The list-watch loop (client-go's Reflector): list everything, hand the list to the sink,
 * watch from the list's resourceVersion, hand every event to the sink, and keep doing so until
 * stopped, whatever the server or the network does:
 *
 * - the server closes the watch (its timeout, 5–10 min at random per watch): watch again from
 *   the last resourceVersion seen, bookmarks included;
 * - 410 Gone (an HTTP 410 or an ERROR event with code 410: the resourceVersion is too old):
 *   list again; the sink turns the new list into the differences (adds, updates, deletes);
 * - anything else (connection reset or refused, 5xx, 401 while a token rotates, a malformed
 *   line, a watch that closes at once): wait (Backoff: 800 ms doubling to 30 s, jittered, reset
 *   after 2 min without failures) and watch again from the last resourceVersion;
 * - a watch that delivers nothing, not even a bookmark, for `watchdogMs` (the server sends one
 *   about every minute): abort it and reconnect the same way;
 * - a failed list: wait the same way and list again.
 *
 * The initial state (and the state after a 410) comes, as in client-go 1.36, from a watch-list
 * when the ListerWatcher offers one: one watch request whose first events are the objects, ended
 * by a bookmark annotated `k8s.io/initial-events-end`; the same watch then goes on with the
 * changes. No pages, no second request. If it fails before that bookmark (a server without
 * WatchList, a broken stream), the state comes from a LIST instead, that time.
 *
 * Each decision is reported to `onProblem`, so a command can log it.
 */
import type { Status } from '../kube/api-errors.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import { realClock, type Clock, type TimerHandle } from '../time/clock.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { initialEventsEndAnnotation, isExpired, type ListerWatcher } from './list-watch.ts';
import { objectKey, resourceVersionOf, type InformerObject } from '../listwatch/object-key.ts';

/** Where the reflector delivers what it learns (the informer: store + handlers). */
export interface ReflectorSink<T extends InformerObject> {
  /** A complete list: make the cache equal to it. `initial` for the first list only. */
  replace(items: T[], initial: boolean): void;
  /** One change from the watch. */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): void;
}

export type ProblemPhase = 'list' | 'watch' | 'handler';
export type ProblemAction = 'retry-list' | 'reconnect' | 'relist' | 'continue';

/** Something went wrong and what the informer does about it; it never gives up on its own. */
export interface InformerProblem {
  phase: ProblemPhase;
  error: Error;
  /** retry-list / reconnect: after `delayMs`; relist: now; continue: a handler threw, carry on. */
  action: ProblemAction;
  delayMs: number;
}

export interface ReflectorOptions {
  clock?: Clock;
  /** Random numbers in [0, 1) for jitter and watch timeouts (inject for tests). */
  random?: () => number;
  backoff?: BackoffOptions;
  /** Restart a watch silent for this long (default 120 s, twice the bookmark interval); 0 = never. */
  watchdogMs?: number;
  /** Abort a LIST (all its pages) taking longer than this (default 60 s); 0 = never. */
  listTimeoutMs?: number;
  /** Server-side watch timeout, chosen at random in [min, max] seconds per watch (default 300–600). */
  watchTimeoutSeconds?: { min: number; max: number };
  onProblem?: (problem: InformerProblem) => void;
  /** Take the initial state from a watch-list when the ListerWatcher has one (default true). */
  watchList?: boolean;
}

export interface ReflectorStats {
  /** Complete states received (LISTs and watch-lists), the first one included. */
  lists: number;
  /** Of those, the ones a watch-list streamed. */
  watchLists: number;
  /** LISTs started again after the first sync because of 410 Gone. */
  relists: number;
  /** WATCH requests sent. */
  watches: number;
  /** Watches reopened after a failure (with backoff), watchdog restarts included. */
  reconnects: number;
  /** Watches aborted by the watchdog. */
  watchdogRestarts: number;
  /** ADDED/MODIFIED/DELETED events received. */
  events: number;
  bookmarks: number;
  /** The resourceVersion the next watch starts from. */
  resourceVersion: string;
}

type WatchOutcome =
  | { kind: 'stopped' }
  | { kind: 'closed' }
  | { kind: 'expired'; error: Error }
  | { kind: 'failed'; error: Error };

/** How a watch ended, and whether a watch-list reached the end of its initial events. */
type WatchEnd = WatchOutcome & { synced: boolean };

/** A watch open for `ms` without any event, not even a bookmark. */
export class WatchStalledError extends Error {
  constructor(ms: number) {
    super(`watch delivered nothing for ${Math.round(ms / 1000)}s (not even a bookmark); restarting it`);
    this.name = 'WatchStalledError';
  }
}

/** Waits `ms` on `clock`, or less if `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const finish = (): void => {
      timer.cancel();
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = clock.after(ms, finish);
    signal.addEventListener('abort', finish, { once: true });
  });
}

/** A watch that ends this soon with no event is a failure, not a normal close (as in client-go). */
const veryShortWatchMs = 1000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class Reflector<T extends InformerObject> {
  readonly #lw: ListerWatcher<T>;
  readonly #sink: ReflectorSink<T>;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #backoff: Backoff;
  readonly #watchdogMs: number;
  readonly #listTimeoutMs: number;
  readonly #timeouts: { min: number; max: number };
  readonly #onProblem: (problem: InformerProblem) => void;
  readonly #watchList: boolean;
  readonly #stats: ReflectorStats = { lists: 0, watchLists: 0, relists: 0, watches: 0, reconnects: 0, watchdogRestarts: 0, events: 0, bookmarks: 0, resourceVersion: '' };

  constructor(lw: ListerWatcher<T>, sink: ReflectorSink<T>, options: ReflectorOptions = {}) {
    this.#lw = lw;
    this.#sink = sink;
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? Math.random;
    this.#backoff = new Backoff(this.#clock, this.#random, options.backoff);
    this.#watchdogMs = options.watchdogMs ?? 120_000;
    this.#listTimeoutMs = options.listTimeoutMs ?? 60_000;
    this.#timeouts = options.watchTimeoutSeconds ?? { min: 300, max: 600 };
    this.#onProblem = options.onProblem ?? (() => {});
    this.#watchList = (options.watchList ?? true) && lw.watchList !== undefined;
  }

  stats(): ReflectorStats {
    return { ...this.#stats };
  }

  /** Lists and watches until `signal` aborts; never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    while (!signal.aborted) {
      if (needList && this.#watchList) {
        const end = await this.#watch(signal, true);
        if (end.kind === 'stopped') return;
        if (end.synced) {
          needList = await this.#afterWatch(end, signal);
          continue;
        }
        // Before the end of its initial events: the state comes from a LIST this time.
      }
      if (needList) {
        try {
          const { items, resourceVersion } = await this.#list(signal);
          if (signal.aborted) break;
          this.#stats.lists++;
          this.#stats.resourceVersion = resourceVersion;
          needList = false;
          this.#sink.replace(items, this.#stats.lists === 1);
        } catch (error) {
          if (signal.aborted) break;
          const delayMs = this.#backoff.next();
          this.#onProblem({ phase: 'list', error: asError(error), action: 'retry-list', delayMs });
          await sleep(this.#clock, delayMs, signal);
          continue;
        }
      }
      const end = await this.#watch(signal, false);
      if (end.kind === 'stopped') return;
      needList = await this.#afterWatch(end, signal);
    }
  }

  /** What follows a watch that ended: true when the state must be fetched again (410). */
  async #afterWatch(end: WatchEnd, signal: AbortSignal): Promise<boolean> {
    switch (end.kind) {
      case 'expired':
        this.#stats.relists++;
        this.#onProblem({ phase: 'watch', error: end.error, action: 'relist', delayMs: 0 });
        return true;
      case 'failed': {
        const delayMs = this.#backoff.next();
        this.#stats.reconnects++;
        this.#onProblem({ phase: 'watch', error: end.error, action: 'reconnect', delayMs });
        await sleep(this.#clock, delayMs, signal);
        return false;
      }
      default:
        return false;
    }
  }

  async #list(signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }> {
    if (this.#listTimeoutMs <= 0) return this.#lw.list(signal);
    const controller = new AbortController();
    const forward = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const timer = this.#clock.after(this.#listTimeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    try {
      return await this.#lw.list(controller.signal);
    } catch (error) {
      if (timedOut) throw new Error(`list of ${this.#lw.description} did not finish within ${Math.round(this.#listTimeoutMs / 1000)}s`, { cause: error });
      throw error;
    } finally {
      timer.cancel();
      signal.removeEventListener('abort', forward);
    }
  }

  /**
   * One watch, from the current resourceVersion until it ends; says how it ended. `initial`: a
   * watch-list, whose events up to the initial-events-end bookmark are the state to replace
   * the cache with.
   */
  async #watch(signal: AbortSignal, initial: boolean): Promise<WatchEnd> {
    const progress = { synced: !initial };
    const outcome = await this.#watchOnce(signal, initial, progress);
    return { ...outcome, synced: progress.synced };
  }

  async #watchOnce(signal: AbortSignal, initial: boolean, progress: { synced: boolean }): Promise<WatchOutcome> {
    const pending = initial ? new Map<string, T>() : undefined;
    const clock = this.#clock;
    const controller = new AbortController();
    const forward = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });

    // The watchdog: one timer, moved forward lazily rather than re-set on every event.
    let lastActivity = clock.now();
    let stalled: WatchStalledError | undefined;
    let watchdog: TimerHandle | undefined;
    const check = (): void => {
      const idle = clock.now() - lastActivity;
      if (idle >= this.#watchdogMs) {
        stalled = new WatchStalledError(idle);
        this.#stats.watchdogRestarts++;
        controller.abort(stalled);
      } else {
        watchdog = clock.after(this.#watchdogMs - idle, check);
      }
    };
    if (this.#watchdogMs > 0) watchdog = clock.after(this.#watchdogMs, check);

    const started = clock.now();
    let events = 0;
    const { min, max } = this.#timeouts;
    const timeoutSeconds = min + Math.floor(this.#random() * (max - min + 1));
    try {
      this.#stats.watches++;
      // After a 410 the last resourceVersion is gone: a watch-list asks for the most recent state.
      const stream = initial
        ? await this.#lw.watchList!('', timeoutSeconds, controller.signal)
        : await this.#lw.watch(this.#stats.resourceVersion, timeoutSeconds, controller.signal);
      for await (const event of stream) {
        lastActivity = clock.now();
        // A watch that delivers is a healthy connection: the next outage starts from 800 ms
        // again, so a restarted API server is rejoined within seconds of being ready.
        if (events === 0) this.#backoff.reset();
        events++;
        if (event.type === 'ERROR') {
          const status = event.object as Status;
          const error = errorForStatus(status.code || 500, JSON.stringify(status));
          return isExpired(error) ? { kind: 'expired', error } : { kind: 'failed', error };
        }
        const resourceVersion = resourceVersionOf(event.object);
        if (pending && !progress.synced) {
          // The initial state, object by object, until the bookmark that ends it.
          if (event.type === 'BOOKMARK') {
            this.#stats.bookmarks++;
            const annotations = event.object.metadata?.['annotations'] as Record<string, string> | undefined;
            if (annotations?.[initialEventsEndAnnotation] === 'true') {
              progress.synced = true;
              this.#stats.lists++;
              this.#stats.watchLists++;
              this.#stats.resourceVersion = resourceVersion;
              this.#sink.replace([...pending.values()], this.#stats.lists === 1);
              pending.clear();
            }
          } else if (event.type === 'DELETED') {
            pending.delete(objectKey(event.object));
          } else {
            pending.set(objectKey(event.object), event.object);
          }
          continue;
        }
        if (event.type === 'BOOKMARK') {
          this.#stats.bookmarks++;
        } else {
          this.#stats.events++;
          this.#sink.apply(event.type, event.object);
        }
        if (resourceVersion !== '') this.#stats.resourceVersion = resourceVersion;
        if (controller.signal.aborted) break;
      }
      if (signal.aborted) return { kind: 'stopped' };
      if (stalled) return { kind: 'failed', error: stalled };
      if (events === 0 && clock.now() - started < veryShortWatchMs) {
        return { kind: 'failed', error: new Error(`very short watch of ${this.#lw.description}: closed at once with no events`) };
      }
      return { kind: 'closed' };
    } catch (error) {
      if (signal.aborted) return { kind: 'stopped' };
      if (stalled) return { kind: 'failed', error: stalled };
      if (isExpired(error)) return { kind: 'expired', error: asError(error) };
      return { kind: 'failed', error: asError(error) };
    } finally {
      watchdog?.cancel();
      signal.removeEventListener('abort', forward);
      controller.abort();
    }
  }
}
