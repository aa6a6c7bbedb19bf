/**
 * The reconnect delay of a failing list or watch (client-go's reflector uses
 * ExponentialBackoffManager(800ms, 30s, reset 2m, factor 2, jitter 1.0)): 800 ms, 1.6 s, 3.2 s,
 * … capped at 30 s, each plus up to `jitter` × itself at random so many clients do not
 * reconnect in step. When no backoff was asked for during `resetAfterMs` (the watch worked that
 * long), the sequence starts again at the initial delay.
 *
 * Our default jitter is 0.2, not client-go's 1.0: the longest wait stays near the 30 s cap
 * (36 s) instead of reaching 60 s.
 */
import type { Clock } from '../time/clock.ts';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Extra random share of each delay: delay × (1 + jitter × random()). */
  jitter?: number;
  resetAfterMs?: number;
}

export const defaultBackoff: Required<BackoffOptions> = {
  initialMs: 800,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.2,
  resetAfterMs: 120_000,
};

export class Backoff {
  readonly #options: Required<BackoffOptions>;
  readonly #clock: Clock;
  readonly #random: () => number;
  #nextBaseMs: number;
  #lastAt: number | undefined;

  constructor(clock: Clock, random: () => number = Math.random, options: BackoffOptions = {}) {
    this.#options = { ...defaultBackoff, ...options };
    this.#clock = clock;
    this.#random = random;
    this.#nextBaseMs = this.#options.initialMs;
  }

  /** The wait before the next attempt; each call counts as one more failure. */
  next(): number {
    const now = this.#clock.now();
    if (this.#lastAt !== undefined && now - this.#lastAt > this.#options.resetAfterMs) this.reset();
    this.#lastAt = now;
    const base = this.#nextBaseMs;
    this.#nextBaseMs = Math.min(base * this.#options.factor, this.#options.maxMs);
    return Math.round(base * (1 + this.#options.jitter * this.#random()));
  }

  /** Starts again at the initial delay. */
  reset(): void {
    this.#nextBaseMs = this.#options.initialMs;
    this.#lastAt = undefined;
  }
}
