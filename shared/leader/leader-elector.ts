/**
 * Leader election on a Lease, with client-go's semantics and defaults (lease 15 s, renew
 * deadline 10 s, retry 2 s). A candidate takes the lease when it is free or has not been renewed
 * for a lease duration *as observed locally* (so clocks need not agree); the leader renews every
 * retry period and gives up leadership at once when it sees another holder, or when it could not
 * renew for the renew deadline. That deadline holds even while a request hangs (a network
 * partition): every lease request is aborted at the deadline, so a leader cut off from the API
 * server stops at most `renewDeadline` after its last renewal, while a rival can take over no
 * sooner than `leaseDuration` after it: two replicas never lead at once. On stop, a leader
 * releases the lease so another takes over without waiting for it to expire.
 */
import type { Clock } from '../time/clock.ts';
import { realClock } from '../time/clock.ts';
import { LeaseConflictError, type LeaderRecord, type LeaseLock, type LockState } from './lease-lock.ts';

export interface ElectionConfig {
  lock: LeaseLock;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: Clock;
  /** Wall-clock time for the lease's timestamps. */
  wallClock?: () => Date;
  onStartedLeading(): void;
  /** Stop the leader's work; awaited before the lease is released (or campaigned for again). */
  onStoppedLeading(): void | Promise<void>;
  onNewLeader?(identity: string): void;
  /** Errors talking to the API server (the election carries on). */
  onError?(error: unknown): void;
  /** Random factor for the retry jitter (client-go's JitterFactor 1.2). */
  random?: () => number;
  /**
   * What someone else already saw of this lease and when (on `clock`): a record unchanged since
   * then expires a lease duration after that, not after this elector's first look (a sharded
   * replica taking over a dead one's shard, whose Leases it has been watching).
   */
  observed?: { state: LockState; at: number } | undefined;
}

export const defaultElection = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

type Attempt = 'held' | 'other-holder' | 'failed';

export class LeaderElector {
  readonly #c: Required<Omit<ElectionConfig, 'onNewLeader' | 'onError' | 'observed'>> & Pick<ElectionConfig, 'onNewLeader' | 'onError'>;
  #observed: LockState | undefined;
  /** Local monotonic time when the record last changed. */
  #observedAt = 0;
  #leading = false;
  #lastLeader = '';

  constructor(config: ElectionConfig) {
    this.#c = {
      leaseDurationMs: defaultElection.leaseDurationMs,
      renewDeadlineMs: defaultElection.renewDeadlineMs,
      retryPeriodMs: defaultElection.retryPeriodMs,
      clock: realClock,
      wallClock: () => new Date(),
      random: Math.random,
      ...config,
    };
    if (this.#c.renewDeadlineMs >= this.#c.leaseDurationMs) throw new RangeError('the renew deadline must be shorter than the lease duration');
    if (config.observed) {
      this.#observed = config.observed.state;
      this.#observedAt = config.observed.at;
    }
  }

  isLeader(): boolean {
    return this.#leading;
  }

  /** Campaigns, leads, and campaigns again after losing the lease, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      while (!signal.aborted && (await this.#attempt(this.#c.clock.now() + this.#c.renewDeadlineMs, signal)) !== 'held') {
        // The jittered retry period, or less when the holder's lease runs out sooner (a takeover
        // then comes at the expiry, not up to a retry period after it).
        const expiresIn = this.#observed ? this.#observedAt + this.#observed.record.leaseDurationSeconds * 1000 - this.#c.clock.now() : Infinity;
        await this.#sleep(Math.min(this.#c.retryPeriodMs * (1 + this.#c.random() * 1.2), Math.max(expiresIn, 0) + 10), signal);
      }
      if (signal.aborted) break;
      this.#leading = true;
      this.#c.onStartedLeading();
      let lastRenew = this.#c.clock.now();
      while (!signal.aborted) {
        const deadline = lastRenew + this.#c.renewDeadlineMs;
        await this.#sleep(Math.min(this.#c.retryPeriodMs, Math.max(0, deadline - this.#c.clock.now())), signal);
        if (signal.aborted) break;
        const attempt = this.#c.clock.now() >= deadline ? 'failed' : await this.#attempt(deadline, signal);
        if (attempt === 'held') {
          lastRenew = this.#c.clock.now();
        } else if (attempt === 'other-holder' || this.#c.clock.now() >= deadline) {
          this.#leading = false;
          await this.#c.onStoppedLeading();
          break;
        }
      }
    }
    if (this.#leading) {
      // Finish the work first, then hand the lease over.
      this.#leading = false;
      await this.#c.onStoppedLeading();
      await this.#release();
    }
  }

  /**
   * One try, given up at `deadline` (on the injected clock) however long the API server takes:
   * its requests are aborted then, and a lock that ignored the abort is not waited for.
   */
  async #attempt(deadline: number, stop: AbortSignal): Promise<Attempt> {
    const abort = new AbortController();
    const onStop = () => abort.abort();
    stop.addEventListener('abort', onStop, { once: true });
    let timer: { cancel(): void } | undefined;
    const expired = new Promise<Attempt>((resolve) => {
      timer = this.#c.clock.after(Math.max(0, deadline - this.#c.clock.now()), () => {
        abort.abort();
        resolve('failed');
      });
    });
    try {
      return await Promise.race([this.#tryAcquireOrRenew(abort.signal), expired]);
    } finally {
      timer?.cancel();
      stop.removeEventListener('abort', onStop);
    }
  }

  async #tryAcquireOrRenew(signal: AbortSignal): Promise<Attempt> {
    const now = this.#c.wallClock();
    const stamp = microTime(now);
    try {
      const current = await this.#c.lock.get(signal);
      if (signal.aborted) return 'failed';
      if (!current) {
        const record: LeaderRecord = { holderIdentity: this.#c.identity, leaseDurationSeconds: this.#c.leaseDurationMs / 1000, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 };
        await this.#c.lock.create(record, signal);
        if (signal.aborted) return 'failed';
        this.#observe({ record, resourceVersion: '' });
        return 'held';
      }
      if (!this.#observed || !sameRecord(this.#observed.record, current.record)) this.#observe(current);
      const holder = current.record.holderIdentity;
      const expired = this.#observedAt + current.record.leaseDurationSeconds * 1000 <= this.#c.clock.now();
      if (holder !== '' && holder !== this.#c.identity && !expired) return 'other-holder';
      const ours = holder === this.#c.identity;
      const record: LeaderRecord = {
        holderIdentity: this.#c.identity,
        leaseDurationSeconds: this.#c.leaseDurationMs / 1000,
        acquireTime: ours ? current.record.acquireTime : stamp,
        renewTime: stamp,
        leaseTransitions: ours ? current.record.leaseTransitions : current.record.leaseTransitions + 1,
      };
      await this.#c.lock.update(record, current.resourceVersion, signal);
      if (signal.aborted) return 'failed';
      this.#observe({ record, resourceVersion: current.resourceVersion });
      return 'held';
    } catch (error) {
      if (!(error instanceof LeaseConflictError) && !signal.aborted) this.#c.onError?.(error);
      return 'failed';
    }
  }

  #observe(state: LockState): void {
    this.#observed = state;
    this.#observedAt = this.#c.clock.now();
    if (state.record.holderIdentity !== this.#lastLeader) {
      this.#lastLeader = state.record.holderIdentity;
      if (state.record.holderIdentity) this.#c.onNewLeader?.(state.record.holderIdentity);
    }
  }

  /** Gives the lease up (holder cleared, 1 s duration) so a waiting candidate takes it at once. */
  async #release(): Promise<void> {
    // Bounded like a renewal: a release that cannot reach the API server is left to expire.
    const abort = new AbortController();
    const timer = this.#c.clock.after(this.#c.renewDeadlineMs, () => abort.abort());
    try {
      const current = await this.#c.lock.get(abort.signal);
      if (!current || current.record.holderIdentity !== this.#c.identity) return;
      const stamp = microTime(this.#c.wallClock());
      await this.#c.lock.update({ ...current.record, holderIdentity: '', leaseDurationSeconds: 1, renewTime: stamp, acquireTime: stamp }, current.resourceVersion, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) this.#c.onError?.(error);
    } finally {
      timer.cancel();
    }
  }

  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = this.#c.clock.after(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        timer.cancel();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function sameRecord(a: LeaderRecord, b: LeaderRecord): boolean {
  return a.holderIdentity === b.holderIdentity && a.renewTime === b.renewTime && a.acquireTime === b.acquireTime && a.leaseTransitions === b.leaseTransitions;
}

/** The API's MicroTime: RFC 3339 with six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
