/**
 * Retry policies, after client-go's util/workqueue/default_rate_limiters.go. A RateLimiter
 * says how long an item should wait before its next try; the rate-limiting queue asks it and
 * calls `addAfter`. All durations are milliseconds.
 */
import { realClock, type Clock } from '../time/clock.ts';

/** client-go's `TypedRateLimiter[T]`. */
export interface RateLimiter<T> {
  /** How long `item` should wait now; counts as one more failure for per-item limiters. */
  when(item: T): number;
  /**
   * Stops tracking `item`, whether it finally succeeded or was given up on. Remember to call
   * it, or the limiter keeps the item's failure count forever.
   */
  forget(item: T): void;
  /** How many failures `item` has had since it was last forgotten. */
  numRequeues(item: T): number;
}

/**
 * baseMs · 2^failures, capped at maxMs (5 ms, 10 ms, 20 ms, … for base 5). Counts failures per
 * item; giving up after some number of them is up to the caller (see `numRequeues`).
 */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  when(item: T): number {
    const exp = this.#failures.get(item) ?? 0;
    this.#failures.set(item, exp + 1);
    const backoff = this.#baseMs * 2 ** exp;
    return backoff > this.#maxMs ? this.#maxMs : backoff;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}

/** fastMs for the first maxFastAttempts failures of an item, slowMs after that. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #fastMs: number;
  readonly #slowMs: number;
  readonly #maxFastAttempts: number;

  constructor(fastMs: number, slowMs: number, maxFastAttempts: number) {
    this.#fastMs = fastMs;
    this.#slowMs = slowMs;
    this.#maxFastAttempts = maxFastAttempts;
  }

  when(item: T): number {
    const failures = (this.#failures.get(item) ?? 0) + 1;
    this.#failures.set(item, failures);
    return failures <= this.#maxFastAttempts ? this.#fastMs : this.#slowMs;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}

export interface BucketRateLimiterOptions {
  /** Tokens added per second (client-go default 10). Must be > 0; Infinity never waits. */
  qps: number;
  /** Bucket size: how many tries may go at once (client-go default 100). Must be ≥ 1. */
  burst: number;
  clock?: Clock;
}

/**
 * An overall token bucket shared by all items (client-go's BucketRateLimiter over
 * golang.org/x/time/rate). Each `when` reserves one token: while the bucket holds tokens the
 * answer is 0; after that each reservation waits 1/qps longer than the one before (tokens go
 * negative: the delay is the time until the reserved token will have been refilled).
 * The bucket starts full. It tracks no item, so `forget` does nothing and `numRequeues` is 0.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(options: BucketRateLimiterOptions) {
    if (!(options.qps > 0)) throw new RangeError(`BucketRateLimiter: qps must be > 0, got ${options.qps}`);
    if (!(options.burst >= 1)) throw new RangeError(`BucketRateLimiter: burst must be ≥ 1, got ${options.burst}`);
    this.#qps = options.qps;
    this.#burst = options.burst;
    this.#clock = options.clock ?? realClock;
    this.#tokens = options.burst;
    this.#last = this.#clock.now();
  }

  when(_item: T): number {
    if (this.#qps === Infinity) return 0;
    const now = this.#clock.now();
    // A clock that went backwards counts as no time passed (x/time/rate's advance).
    const elapsed = now > this.#last ? now - this.#last : 0;
    let tokens = this.#tokens + (elapsed / 1000) * this.#qps;
    if (tokens > this.#burst) tokens = this.#burst;
    tokens -= 1;
    this.#tokens = tokens;
    this.#last = now;
    return tokens < 0 ? (-tokens / this.#qps) * 1000 : 0;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/**
 * Asks every limiter and answers the longest wait (and the largest requeue count). With a
 * bucket among them, the burst can appear exceeded when some items were separately delayed longer.
 */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  readonly #limiters: ReadonlyArray<RateLimiter<T>>;

  constructor(...limiters: Array<RateLimiter<T>>) {
    this.#limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    // Every limiter is asked: per-item limiters count the failure, buckets take their token.
    for (const limiter of this.#limiters) {
      const ms = limiter.when(item);
      if (ms > max) max = ms;
    }
    return max;
  }

  forget(item: T): void {
    for (const limiter of this.#limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const limiter of this.#limiters) {
      const n = limiter.numRequeues(item);
      if (n > max) max = n;
    }
    return max;
  }
}

/** Caps another limiter's answer at maxMs. */
export class WithMaxWaitRateLimiter<T> implements RateLimiter<T> {
  readonly #limiter: RateLimiter<T>;
  readonly #maxMs: number;

  constructor(limiter: RateLimiter<T>, maxMs: number) {
    this.#limiter = limiter;
    this.#maxMs = maxMs;
  }

  when(item: T): number {
    const ms = this.#limiter.when(item);
    return ms > this.#maxMs ? this.#maxMs : ms;
  }

  forget(item: T): void {
    this.#limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }
}

/**
 * client-go's DefaultTypedControllerRateLimiter: per item 5 ms · 2^n up to 1000 s, max'ed with
 * an overall 10 qps bucket of 100 (which only limits retry speed, not first adds).
 */
export function defaultControllerRateLimiter<T = string>(clock: Clock = realClock): RateLimiter<T> {
  return controllerRateLimiter<T>(5, 1_000_000, clock);
}

/** The same shape with another per-item delay: `baseMs` · 2^n up to `maxMs` (watchq's --backoff). */
export function controllerRateLimiter<T = string>(baseMs: number, maxMs: number, clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(baseMs, maxMs), new BucketRateLimiter<T>({ qps: 10, burst: 100, clock }));
}

/** client-go's DefaultTypedItemBasedRateLimiter: 1 ms · 2^n up to 1000 s per item. */
export function defaultItemBasedRateLimiter<T = string>(): RateLimiter<T> {
  return new ItemExponentialFailureRateLimiter<T>(1, 1_000_000);
}
