/**
 * The work queue, after client-go's util/workqueue/queue.go (`workqueue.Typed[T]`).
 *
 * Items are keys (usually `namespace/name` strings; any value compared like a Map key works).
 * The queue guarantees:
 * - an item added while it waits in the queue is not queued twice (many updates, one run);
 * - an item added while a worker processes it is queued again only when that worker calls
 *   `done` (so it is never handed to two workers at once);
 * - items are handed out in the order they became dirty (FIFO).
 *
 * A worker loop:
 *
 *   for (;;) {
 *     const { item, shutdown } = await queue.get();
 *     if (shutdown) return;
 *     try { await handle(item); } finally { queue.done(item); }
 *   }
 */
import { realClock, type Clock, type TimerHandle } from '../time/clock.ts';
import { createQueueMetrics, type MetricsProvider, type QueueMetrics } from './metrics.ts';
import { RingBuffer } from './ring-buffer.ts';

/** What `get` hands back: an item to process, or the signal that the worker should stop. */
export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

/** client-go's `TypedInterface[T]`. */
export interface Queue<T> {
  /**
   * Marks `item` as needing processing. Ignored after shut down. An item already waiting is
   * not added twice; an item being processed is queued again when its worker calls `done`.
   */
  add(item: T): void;
  /** Items waiting to be handed out (not those being processed); informational only. */
  len(): number;
  /**
   * Resolves with the next item once one is available, or with `shutdown: true` once the queue
   * is shut down and empty: the worker should then stop. You must call `done(item)` when you
   * have finished processing the item.
   */
  get(): Promise<GetResult<T>>;
  /**
   * `get` without waiting, for hot loops: the next item, `{shutdown: true}` when shut down and
   * empty, or `undefined` when nothing is queued right now. You must call `done(item)` as after `get`.
   */
  tryGet(): GetResult<T> | undefined;
  /**
   * Marks `item` as finished. If it was added again while being processed, it goes back on the
   * queue now. Calling it for an item that is not being processed does nothing.
   */
  done(item: T): void;
  /**
   * Ignores every later `add`. Workers still receive the items already queued; once the queue
   * is empty, every `get` resolves with `shutdown: true`. Cuts short a pending `shutDownWithDrain`.
   */
  shutDown(): void;
  /**
   * Like `shutDown`, but resolves only when no item is being processed any more (as in
   * client-go, items still queued are not waited for). Your workers must call `done` on every
   * item they got, or this never resolves; call `shutDown` to stop waiting (for example on a
   * second SIGINT).
   */
  shutDownWithDrain(): Promise<void>;
  /** True once `shutDown` or `shutDownWithDrain` was called. */
  shuttingDown(): boolean;
}

export interface QueueOptions {
  /** Names the queue's metrics (label `name`); an unnamed queue records no metrics. */
  name?: string;
  /** Where the metrics go; without one, nothing is recorded. */
  metricsProvider?: MetricsProvider;
  /** Time source for the metrics; the real clock by default. */
  clock?: Clock;
}

/**
 * Bit flags of an item's state. IDLE entries (neither flag) are kept instead of deleted, since
 * a Map's delete-then-insert of the same hot key costs about twice a plain set; they are swept
 * out once they outnumber both `minIdleBeforeSweep` and the live entries (amortised O(1), and
 * at most that many finished items stay referenced).
 */
const IDLE = 0;
const DIRTY = 1;
const PROCESSING = 2;
const minIdleBeforeSweep = 4096;

type Waiter<T> = (result: GetResult<T>) => void;

const shutdownResult: GetResult<never> = Object.freeze({ item: undefined, shutdown: true });
const shutdownPromise: Promise<GetResult<never>> = Promise.resolve(shutdownResult);

/**
 * The FIFO work queue. Invariants (client-go's, with its dirty and processing sets folded into
 * one map of flags):
 * - every item in `#queue` is DIRTY and not PROCESSING, and appears there once;
 * - an item is DIRTY from `add` until a worker gets it; PROCESSING from `get` until `done`;
 * - `#waiters` (workers blocked in `get`) is non-empty only while `#queue` is empty.
 */
export class WorkQueue<T> implements Queue<T> {
  readonly #queue = new RingBuffer<T>(64);
  readonly #state = new Map<T, number>();
  readonly #waiters = new RingBuffer<Waiter<T>>(8);
  /** Entries of `#state` that are IDLE. */
  #idle = 0;
  #processing = 0;
  #shuttingDown = false;
  /** Pending `shutDownWithDrain` calls; released when processing reaches 0, or by `shutDown`. */
  #drainWaiters: Array<() => void> = [];
  readonly #metrics: QueueMetrics<T> | undefined;
  readonly #metricsTicker: TimerHandle | undefined;

  constructor(options: QueueOptions = {}) {
    this.#metrics = createQueueMetrics<T>(options.metricsProvider, options.name, options.clock ?? realClock);
    this.#metricsTicker = this.#metrics?.startUnfinishedWorkTicker();
  }

  add(item: T): void {
    if (this.#shuttingDown) return;
    const state = this.#state.get(item);
    if (state === undefined || state === IDLE) {
      if (state === IDLE) this.#idle--;
      this.#metrics?.add(item);
      this.#state.set(item, DIRTY);
      this.#enqueue(item);
      return;
    }
    if (state & DIRTY) return;
    // Being processed: mark dirty; `done` puts it back on the queue.
    this.#metrics?.add(item);
    this.#state.set(item, state | DIRTY);
  }

  len(): number {
    return this.#queue.length;
  }

  get(): Promise<GetResult<T>> {
    if (this.#queue.length > 0) return Promise.resolve(this.#take(this.#queue.shift()));
    if (this.#shuttingDown) return shutdownPromise;
    return new Promise<GetResult<T>>((resolve) => this.#waiters.push(resolve));
  }

  tryGet(): GetResult<T> | undefined {
    if (this.#queue.length > 0) return this.#take(this.#queue.shift());
    if (this.#shuttingDown) return shutdownResult;
    return undefined;
  }

  done(item: T): void {
    const state = this.#state.get(item);
    if (state === undefined || !(state & PROCESSING)) return;
    this.#metrics?.done(item);
    this.#processing--;
    if (state & DIRTY) {
      this.#state.set(item, DIRTY);
      this.#enqueue(item);
    } else {
      this.#state.set(item, IDLE);
      if (++this.#idle > minIdleBeforeSweep && this.#idle > this.#state.size - this.#idle) this.#sweep();
    }
    if (this.#processing === 0 && this.#drainWaiters.length > 0) this.#releaseDrainWaiters();
  }

  shutDown(): void {
    this.#shutdown();
    this.#releaseDrainWaiters();
  }

  shutDownWithDrain(): Promise<void> {
    this.#shutdown();
    if (this.#processing === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Hands a dirty item to the first blocked worker, or queues it. */
  #enqueue(item: T): void {
    if (this.#waiters.length > 0) {
      this.#waiters.shift()(this.#take(item));
    } else {
      this.#queue.push(item);
    }
  }

  /** Moves an item from dirty to processing as it goes to a worker. */
  #take(item: T): GetResult<T> {
    this.#metrics?.get(item);
    this.#state.set(item, PROCESSING);
    this.#processing++;
    return { item, shutdown: false };
  }

  #shutdown(): void {
    if (!this.#shuttingDown) {
      this.#shuttingDown = true;
      this.#metricsTicker?.cancel();
    }
    // Every blocked worker sees an empty queue: tell them all to stop.
    while (this.#waiters.length > 0) this.#waiters.shift()(shutdownResult);
  }

  /** Forgets the IDLE entries, so finished items can be garbage collected. */
  #sweep(): void {
    for (const [item, state] of this.#state) if (state === IDLE) this.#state.delete(item);
    this.#idle = 0;
  }

  #releaseDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A FIFO work queue (client-go's `NewTypedWithConfig`). */
export function createQueue<T = string>(options: QueueOptions = {}): Queue<T> {
  return new WorkQueue<T>(options);
}
