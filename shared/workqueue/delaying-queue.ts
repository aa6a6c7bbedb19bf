/**
 * The delaying queue, after client-go's util/workqueue/delaying_queue.go: a Queue that can add
 * an item later, so a failed item is retried without a hot loop.
 *
 * Waiting items sit on a min-heap ordered by ready time, with one clock timer set for the
 * earliest. An item waiting twice keeps only its earliest ready time. A waiting item is
 * independent of the queue proper: when it falls due it is `add`ed, and `add`'s usual
 * collapsing applies (already queued → nothing; being processed → queued again after `done`).
 *
 * Unlike client-go there is no waiting goroutine, no channel and no 10 s heartbeat: `addAfter`
 * updates the heap and the timer synchronously, so there is no missed wake-up to insure against.
 */
import { realClock, type Clock, type TimerHandle } from '../time/clock.ts';
import { createRetryMetric, type CounterMetric, type MetricsProvider } from './metrics.ts';
import { WorkQueue, type GetResult, type Queue } from './queue.ts';

/** client-go's `TypedDelayingInterface[T]`. */
export interface DelayingQueue<T> extends Queue<T> {
  /**
   * Adds `item` once `ms` milliseconds have passed (`ms <= 0`: now). Ignored after shut down.
   * If the item is already waiting, the earlier of the two ready times wins.
   * Counts as a retry in the metrics.
   */
  addAfter(item: T, ms: number): void;
}

export interface DelayingQueueOptions<T> {
  /** Names the queue's metrics (label `name`); an unnamed queue records no metrics. */
  name?: string;
  /** Where the metrics go; without one, nothing is recorded. */
  metricsProvider?: MetricsProvider;
  /** Time source for the delays and the metrics; inject a fake clock in tests. */
  clock?: Clock;
  /** The queue to feed; by default a new WorkQueue with the same name, provider and clock. */
  queue?: Queue<T>;
}

/** An item waiting on the heap; `index` is its heap position (-1 once removed). */
interface WaitFor<T> {
  item: T;
  readyAt: number;
  index: number;
}

/** A binary min-heap of waiting entries by ready time, tracking positions for `fix`. */
class WaitingHeap<T> {
  readonly #entries: Array<WaitFor<T>> = [];

  get length(): number {
    return this.#entries.length;
  }

  peek(): WaitFor<T> | undefined {
    return this.#entries[0];
  }

  push(entry: WaitFor<T>): void {
    entry.index = this.#entries.length;
    this.#entries.push(entry);
    this.#up(entry.index);
  }

  pop(): WaitFor<T> {
    const entries = this.#entries;
    const top = entries[0]!;
    const last = entries.pop()!;
    if (entries.length > 0) {
      entries[0] = last;
      last.index = 0;
      this.#down(0);
    }
    top.index = -1;
    return top;
  }

  /** Restores the order after `entry.readyAt` changed. */
  fix(entry: WaitFor<T>): void {
    if (!this.#down(entry.index)) this.#up(entry.index);
  }

  clear(): void {
    for (const e of this.#entries) e.index = -1;
    this.#entries.length = 0;
  }

  #up(i: number): void {
    const entries = this.#entries;
    const entry = entries[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = entries[parent]!;
      if (p.readyAt <= entry.readyAt) break;
      entries[i] = p;
      p.index = i;
      i = parent;
    }
    entries[i] = entry;
    entry.index = i;
  }

  /** Sifts down; true if the entry moved. */
  #down(start: number): boolean {
    const entries = this.#entries;
    const n = entries.length;
    const entry = entries[start]!;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && entries[right]!.readyAt < entries[left]!.readyAt ? right : left;
      const c = entries[child]!;
      if (c.readyAt >= entry.readyAt) break;
      entries[i] = c;
      c.index = i;
      i = child;
    }
    entries[i] = entry;
    entry.index = i;
    return i !== start;
  }
}

/**
 * A Queue with `addAfter`. It forwards add/get/done to the queue it wraps; shutting it down
 * also drops every item still waiting and cancels its timer.
 */
export class DelayingWorkQueue<T> implements DelayingQueue<T> {
  readonly #queue: Queue<T>;
  readonly #clock: Clock;
  readonly #retries: CounterMetric | undefined;
  readonly #heap = new WaitingHeap<T>();
  readonly #waiting = new Map<T, WaitFor<T>>();
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;

  constructor(options: DelayingQueueOptions<T> = {}) {
    this.#clock = options.clock ?? realClock;
    this.#queue =
      options.queue ??
      new WorkQueue<T>({ name: options.name, metricsProvider: options.metricsProvider, clock: this.#clock });
    this.#retries = createRetryMetric(options.metricsProvider, options.name);
  }

  add(item: T): void {
    this.#queue.add(item);
  }

  len(): number {
    return this.#queue.len();
  }

  get(): Promise<GetResult<T>> {
    return this.#queue.get();
  }

  tryGet(): GetResult<T> | undefined {
    return this.#queue.tryGet();
  }

  done(item: T): void {
    this.#queue.done(item);
  }

  shutDown(): void {
    this.#queue.shutDown();
    this.#stopWaiting();
  }

  shutDownWithDrain(): Promise<void> {
    const drained = this.#queue.shutDownWithDrain();
    this.#stopWaiting();
    return drained;
  }

  shuttingDown(): boolean {
    return this.#queue.shuttingDown();
  }

  addAfter(item: T, ms: number): void {
    if (this.#queue.shuttingDown()) return;
    this.#retries?.inc();
    if (!(ms > 0)) {
      this.#queue.add(item);
      return;
    }
    const readyAt = this.#clock.now() + ms;
    const existing = this.#waiting.get(item);
    if (existing !== undefined) {
      if (readyAt >= existing.readyAt) return;
      existing.readyAt = readyAt;
      this.#heap.fix(existing);
    } else {
      const entry: WaitFor<T> = { item, readyAt, index: -1 };
      this.#heap.push(entry);
      this.#waiting.set(item, entry);
    }
    this.#armTimer();
  }

  /** Items waiting for their delay to pass (not yet in the queue). */
  waitingLen(): number {
    return this.#heap.length;
  }

  /** Sets the single timer for the earliest waiting entry, if it is not set for it already. */
  #armTimer(): void {
    const next = this.#heap.peek();
    if (next === undefined) {
      this.#cancelTimer();
      return;
    }
    if (next.readyAt === this.#timerAt) return;
    this.#cancelTimer();
    this.#timerAt = next.readyAt;
    this.#timer = this.#clock.after(next.readyAt - this.#clock.now(), this.#onTimer);
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** Adds every entry that is due, then sets the timer for the next one. */
  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#queue.shuttingDown()) return;
    const now = this.#clock.now();
    for (let next = this.#heap.peek(); next !== undefined && next.readyAt <= now; next = this.#heap.peek()) {
      this.#heap.pop();
      this.#waiting.delete(next.item);
      this.#queue.add(next.item);
    }
    this.#armTimer();
  };

  #stopWaiting(): void {
    this.#cancelTimer();
    this.#heap.clear();
    this.#waiting.clear();
  }
}

/** A delaying queue (client-go's `NewTypedDelayingQueueWithConfig`). */
export function createDelayingQueue<T = string>(options: DelayingQueueOptions<T> = {}): DelayingQueue<T> {
  return new DelayingWorkQueue<T>(options);
}
