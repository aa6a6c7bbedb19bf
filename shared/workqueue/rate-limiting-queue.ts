/**
 * The rate-limiting queue, after client-go's util/workqueue/rate_limiting_queue.go: a delaying
 * queue that asks a RateLimiter how long a failed item should wait. Almost empty by design;
 * the policy lives in rate-limiters.ts.
 *
 * A worker's retry logic:
 *
 *   const { item, shutdown } = await queue.get();
 *   if (shutdown) return;
 *   try {
 *     await handle(item);
 *     queue.forget(item);                       // success: reset its backoff
 *   } catch {
 *     if (queue.numRequeues(item) < maxRetries) queue.addRateLimited(item);
 *     else queue.forget(item);                  // give up: drop it
 *   } finally {
 *     queue.done(item);
 *   }
 */
import { realClock } from '../time/clock.ts';
import { DelayingWorkQueue, type DelayingQueue, type DelayingQueueOptions } from './delaying-queue.ts';
import type { GetResult } from './queue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.ts';

/** client-go's `TypedRateLimitingInterface[T]`. */
export interface RateLimitingQueue<T> extends DelayingQueue<T> {
  /** Adds `item` after the delay the rate limiter gives it now (one more failure for it). */
  addRateLimited(item: T): void;
  /**
   * Tells the rate limiter the item is finished being retried, whether it succeeded or was
   * given up on. This only clears the limiter's record: you still have to call `done`.
   */
  forget(item: T): void;
  /** How many times the item was requeued through `addRateLimited` since it was last forgotten. */
  numRequeues(item: T): number;
}

export interface RateLimitingQueueOptions<T> extends Omit<DelayingQueueOptions<T>, 'queue'> {
  /** The policy; by default `defaultControllerRateLimiter` on this queue's clock. */
  rateLimiter?: RateLimiter<T>;
  /** The delaying queue to feed; by default a new one with the same name, provider and clock. */
  delayingQueue?: DelayingQueue<T>;
}

/** Forwards everything to its delaying queue; adds the three rate-limiting calls. */
export class RateLimitingWorkQueue<T> implements RateLimitingQueue<T> {
  readonly #queue: DelayingQueue<T>;
  readonly #limiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    const clock = options.clock ?? realClock;
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(clock);
    this.#queue =
      options.delayingQueue ??
      new DelayingWorkQueue<T>({ name: options.name, metricsProvider: options.metricsProvider, clock });
  }

  addRateLimited(item: T): void {
    this.#queue.addAfter(item, this.#limiter.when(item));
  }

  forget(item: T): void {
    this.#limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }

  addAfter(item: T, ms: number): void {
    this.#queue.addAfter(item, ms);
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
  }

  shutDownWithDrain(): Promise<void> {
    return this.#queue.shutDownWithDrain();
  }

  shuttingDown(): boolean {
    return this.#queue.shuttingDown();
  }
}

/**
 * A rate-limiting queue (client-go's `NewTypedRateLimitingQueueWithConfig`).
 * Remember to call `forget`! If you don't, the limiter tracks the item's failures forever.
 */
export function createRateLimitingQueue<T = string>(options: RateLimitingQueueOptions<T> = {}): RateLimitingQueue<T> {
  return new RateLimitingWorkQueue<T>(options);
}
