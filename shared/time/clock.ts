/**
 * The time source of the work queues (client-go's `clock.WithTicker`, cut down to what the
 * queues use). Production code takes `realClock`; tests inject a fake clock
 * (test/helpers/fake-clock.ts) and move time with `step(ms)`, never sleeping.
 *
 * All times are milliseconds. `now()` is monotonic for the real clock (process.hrtime),
 * so it is meant for measuring intervals, not for printing wall-clock dates.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Wall-clock time (for what outlives the process: lease timestamps, file stamps). */
  date(): Date;
  /**
   * Wall-clock milliseconds since the epoch, for comparisons (cache ages). Cheaper than `date()`
   * on the everyday call: a process's first Date object loads ICU's time-zone data (3–10 ms).
   */
  wallMs(): number;
  /**
   * Calls `fn` once, `ms` milliseconds from now (like setTimeout). `ms <= 0` fires as soon as the
   * clock can (the next macrotask for the real clock, the next `step` for a fake one).
   * The caller must `cancel()` a timer it no longer needs.
   */
  after(ms: number, fn: () => void): TimerHandle;
}

export interface TimerHandle {
  /** Stops the timer; calling it after the timer fired, or twice, does nothing. */
  cancel(): void;
  /**
   * Lets the process exit while this timer is pending (Node's `timeout.unref()`). For
   * housekeeping timers such as the metrics ticker; a fake clock ignores it.
   */
  unref(): void;
}

/** Node's timers cannot wait longer than this; longer delays are chained. */
const maxTimeoutMs = 2 ** 31 - 1;

class RealTimer implements TimerHandle {
  #timeout: NodeJS.Timeout | undefined;
  #unref = false;
  #fn: () => void;

  constructor(ms: number, fn: () => void) {
    this.#fn = fn;
    this.#arm(ms);
  }

  #arm(ms: number): void {
    const wait = Math.min(Math.max(ms, 0), maxTimeoutMs);
    const rest = ms - wait;
    this.#timeout = setTimeout(() => {
      if (rest > 0) {
        this.#arm(rest);
      } else {
        this.#timeout = undefined;
        this.#fn();
      }
    }, wait);
    if (this.#unref) this.#timeout.unref();
  }

  cancel(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    this.#timeout = undefined;
  }

  unref(): void {
    this.#unref = true;
    this.#timeout?.unref();
  }
}

/**
 * The process's own clock: process.hrtime and setTimeout. Not performance.now(): the global
 * `performance` loads node:perf_hooks on first use (1–2 ms of every start-up).
 */
export const realClock: Clock = {
  now: () => Number(process.hrtime.bigint()) / 1e6,
  date: () => new Date(),
  wallMs: () => Date.now(),
  after: (ms, fn) => new RealTimer(ms, fn),
};

/** Resolves after `ms` on `clock` (the injectable sleep). */
export function sleep(ms: number, clock: Clock = realClock): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}
