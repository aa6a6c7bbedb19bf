import test from 'ava';
import { setImmediate as tick } from 'node:timers/promises';
import { LeaderElector } from '../../../shared/leader/leader-elector.ts';
import { LeaseConflictError, type LeaderRecord, type LeaseLock, type LockState } from '../../../shared/leader/lease-lock.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

/** An in-memory Lease with optimistic concurrency, like the API server's. */
class MemoryLease implements LeaseLock {
  state: LockState | undefined;
  version = 0;
  failing = false;
  async get() {
    if (this.failing) throw new Error('apiserver down');
    return this.state && { record: { ...this.state.record }, resourceVersion: this.state.resourceVersion };
  }
  async create(record: LeaderRecord) {
    if (this.failing) throw new Error('apiserver down');
    if (this.state) throw new LeaseConflictError('exists', 409);
    this.state = { record: { ...record }, resourceVersion: String(++this.version) };
  }
  async update(record: LeaderRecord, resourceVersion: string) {
    if (this.failing) throw new Error('apiserver down');
    if (this.state?.resourceVersion !== resourceVersion) throw new LeaseConflictError('conflict', 409);
    this.state = { record: { ...record }, resourceVersion: String(++this.version) };
  }
  describe() {
    return 'mem/lease';
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await tick();
}

async function advance(clock: FakeClock, ms: number, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.step(step);
    await settle();
  }
}

function candidate(lock: LeaseLock, clock: FakeClock, identity: string) {
  const events: string[] = [];
  const elector = new LeaderElector({
    lock,
    identity,
    clock,
    random: () => 0,
    wallClock: () => new Date(1_700_000_000_000 + clock.now()),
    onStartedLeading: () => events.push('start'),
    onStoppedLeading: () => {
      events.push('stop');
    },
  });
  const controller = new AbortController();
  const done = elector.run(controller.signal);
  return { elector, events, stop: async () => (controller.abort(), await done) };
}

test('exactly one of three candidates leads', async (t) => {
  const lock = new MemoryLease();
  const clock = new FakeClock();
  const all = ['a', 'b', 'c'].map((id) => candidate(lock, clock, id));
  await advance(clock, 10_000);
  const leaders = all.filter((c) => c.elector.isLeader());
  t.is(leaders.length, 1);
  t.is(lock.state?.record.holderIdentity, ['a', 'b', 'c'][all.indexOf(leaders[0]!)]);
  for (const c of all) await c.stop();
});

test('a leader that stops releases the lease and another takes over within a retry period', async (t) => {
  const lock = new MemoryLease();
  const clock = new FakeClock();
  const a = candidate(lock, clock, 'a');
  await settle();
  const b = candidate(lock, clock, 'b');
  await advance(clock, 4_000);
  t.true(a.elector.isLeader());
  t.false(b.elector.isLeader());
  await a.stop();
  t.deepEqual(a.events, ['start', 'stop']);
  t.is(lock.state?.record.holderIdentity, '');
  await advance(clock, 2_500);
  t.true(b.elector.isLeader());
  t.is(lock.state?.record.leaseTransitions, 1);
  await b.stop();
});

test('a crashed leader (no release) is replaced once the lease expires, not before', async (t) => {
  const lock = new MemoryLease();
  const clock = new FakeClock();
  const a = candidate(lock, clock, 'a');
  await settle();
  t.true(a.elector.isLeader());
  // Simulate a crash: freeze a's lease by stopping its loop without release.
  lock.state!.record.holderIdentity = 'crashed';
  const crashedRecord = lock.state!;
  await a.stop(); // a sees another holder on release and leaves it alone
  lock.state = crashedRecord;
  const b = candidate(lock, clock, 'b');
  await advance(clock, 12_000);
  t.false(b.elector.isLeader(), 'the lease is still valid for 15 s as observed by b');
  await advance(clock, 6_000);
  t.true(b.elector.isLeader());
  await b.stop();
});

test('a leader that cannot renew for the renew deadline steps down', async (t) => {
  const lock = new MemoryLease();
  const clock = new FakeClock();
  const a = candidate(lock, clock, 'a');
  await settle();
  t.true(a.elector.isLeader());
  lock.failing = true;
  await advance(clock, 8_000);
  t.true(a.elector.isLeader(), 'still within the renew deadline');
  await advance(clock, 4_000);
  t.false(a.elector.isLeader());
  t.deepEqual(a.events, ['start', 'stop']);
  lock.failing = false;
  await advance(clock, 6_000);
  t.true(a.elector.isLeader(), 'it campaigns again');
  await a.stop();
});

test('a leader that sees another holder stops at once', async (t) => {
  const lock = new MemoryLease();
  const clock = new FakeClock();
  const a = candidate(lock, clock, 'a');
  await settle();
  lock.state = { record: { ...lock.state!.record, holderIdentity: 'intruder' }, resourceVersion: '99' };
  await advance(clock, 2_250);
  t.false(a.elector.isLeader());
  await a.stop();
});

/** One candidate's path to a shared lease, which can hang as a partitioned network does. */
class PartitionableView implements LeaseLock {
  hanging = false;
  readonly lease: MemoryLease;
  constructor(lease: MemoryLease) {
    this.lease = lease;
  }
  #call<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!this.hanging) return fn();
    // Never answers; only an abort ends the wait (as a request to a frozen server).
    return new Promise<T>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
  }
  get(signal?: AbortSignal) {
    return this.#call(() => this.lease.get(), signal);
  }
  create(record: LeaderRecord, signal?: AbortSignal) {
    return this.#call(() => this.lease.create(record), signal);
  }
  update(record: LeaderRecord, rv: string, signal?: AbortSignal) {
    return this.#call(() => this.lease.update(record, rv), signal);
  }
  describe() {
    return 'mem/lease';
  }
}

test('a leader whose requests hang steps down within the renew deadline, before anyone else can lead', async (t) => {
  const lease = new MemoryLease();
  const clock = new FakeClock();
  const viewA = new PartitionableView(lease);
  const timeline: Array<[string, number]> = [];
  const watch = (name: string, c: ReturnType<typeof candidate>) => {
    const original = c.events.push.bind(c.events);
    c.events.push = (...items: string[]) => {
      for (const item of items) timeline.push([`${name} ${item}`, clock.now()]);
      return original(...items);
    };
    return c;
  };
  const a = watch('a', candidate(viewA, clock, 'a'));
  await settle();
  t.true(a.elector.isLeader());
  const b = watch('b', candidate(lease, clock, 'b'));
  await advance(clock, 3_000);
  const partitionedAt = clock.now();
  viewA.hanging = true;
  await advance(clock, 30_000);
  const stopA = timeline.find(([e]) => e === 'a stop')?.[1];
  const startB = timeline.find(([e]) => e === 'b start')?.[1];
  t.truthy(stopA, 'a stopped leading although no request of its ever returned');
  t.truthy(startB, 'b took over');
  t.true(stopA! - partitionedAt <= 10_000, `a stopped ${stopA! - partitionedAt} ms after the partition`);
  t.true(stopA! < startB!, `a stopped at ${stopA}, b started at ${startB}: never both`);
  viewA.hanging = false;
  await b.stop();
  await a.stop();
});
