/**
 * The time source of the work queues (client-go's `clock.WithTicker`, cut down to what the
 * queues use). Production code takes `realClock`; tests inject a fake clock
 * (test/helpers/fake-clock.ts) and move time with `step(ms)`, never sleeping.
 *
 * All times are milliseconds. `now()` is monotonic for the real clock (performance.now()),
 * so it is meant for measuring intervals, not for printing wall-clock dates.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
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

/** The process's own clock: performance.now() and setTimeout. */
export const realClock: Clock = {
  now: () => performance.now(),
  after: (ms, fn) => new RealTimer(ms, fn),
};
