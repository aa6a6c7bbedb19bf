import type { Clock, TimerHandle } from '../../shared/time/clock.ts';

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A Clock whose time moves only when a test calls `step(ms)` (client-go's
 * `testingclock.FakeClock`). Timers fire synchronously inside `step`, in order of their due
 * time (ties in the order they were set), each seeing `now()` equal to its own due time;
 * timers set while stepping fire in the same step if they fall due before its end.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Wall time moves with `now` (in tests the two scales are the same). */
  date(): Date {
    return new Date(this.#now);
  }

  wallMs(): number {
    return this.#now;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const timer: FakeTimer = { at: this.#now + Math.max(ms, 0), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
        this.#timers = this.#timers.filter((t) => t !== timer);
      },
      unref: () => {},
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  step(ms: number): void {
    if (ms < 0) throw new RangeError(`FakeClock.step: negative step ${ms}`);
    const end = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(end);
      if (next === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.at;
      next.fn();
    }
    this.#now = end;
  }

  /** Pending (not fired, not cancelled) timers. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Due times of the pending timers, earliest first. */
  dueTimes(): number[] {
    return this.#timers.map((t) => t.at).sort((a, b) => a - b);
  }

  #nextDue(end: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.at > end) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
