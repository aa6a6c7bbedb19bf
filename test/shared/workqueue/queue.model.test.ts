/**
 * Model-based property tests: random operations by several simulated workers run against the
 * real queue and against a plain reference model written straight from client-go's rules.
 * After every operation the two must agree; throughout, no key may be held by two workers;
 * at the end every key that was added is processed after its last add (none lost), and no key
 * ran more often than it was added (duplicates collapse).
 */
import test from 'ava';
import fc from 'fast-check';
import { DelayingWorkQueue } from '../../../shared/workqueue/delaying-queue.ts';
import { createQueue, type GetResult, type Queue } from '../../../shared/workqueue/queue.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const WORKERS = 4;
const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];

type Op =
  | { kind: 'add'; key: string }
  | { kind: 'get'; worker: number }
  | { kind: 'tryGet'; worker: number }
  | { kind: 'done'; worker: number; readdFirst: boolean }
  | { kind: 'shutDown' }
  | { kind: 'shutDownWithDrain' };

/** A worker as both sides see it. */
type WorkerState = { s: 'idle' } | { s: 'waiting' } | { s: 'holding'; key: string } | { s: 'stopped' };

/** The reference: client-go's queue as plainly as it can be written. */
class Model {
  dirty = new Set<string>();
  processing = new Set<string>();
  queue: string[] = [];
  waiters: number[] = [];
  shuttingDown = false;
  workers: WorkerState[] = Array.from({ length: WORKERS }, () => ({ s: 'idle' }));

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  enqueue(key: string): void {
    const w = this.waiters.shift();
    if (w === undefined) this.queue.push(key);
    else this.assign(w, key);
  }

  assign(w: number, key: string): void {
    this.dirty.delete(key);
    this.processing.add(key);
    this.workers[w] = { s: 'holding', key };
  }

  get(w: number, blocking: boolean): void {
    if (this.workers[w]!.s !== 'idle') return;
    const key = this.queue.shift();
    if (key !== undefined) this.assign(w, key);
    else if (this.shuttingDown) this.workers[w] = { s: 'stopped' };
    else if (blocking) {
      this.workers[w] = { s: 'waiting' };
      this.waiters.push(w);
    }
  }

  done(w: number): void {
    const st = this.workers[w]!;
    if (st.s !== 'holding') return;
    this.workers[w] = { s: 'idle' };
    this.processing.delete(st.key);
    if (this.dirty.has(st.key)) this.enqueue(st.key);
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const w of this.waiters) this.workers[w] = { s: 'stopped' };
    this.waiters = [];
  }
}

/** The real queue driven by simulated async workers. */
class Harness {
  readonly q: Queue<string> = createQueue<string>();
  readonly model = new Model();
  readonly workers: WorkerState[] = Array.from({ length: WORKERS }, () => ({ s: 'idle' }));
  /** Keys added (accepted) since a worker last got them: each must run again. */
  readonly needsRun = new Set<string>();
  readonly adds = new Map<string, number>();
  readonly runs = new Map<string, number>();
  drains: Array<Promise<void>> = [];
  readonly errors: string[] = [];

  #receive(w: number, r: GetResult<string>): void {
    if (r.shutdown) {
      this.workers[w] = { s: 'stopped' };
      return;
    }
    const key = r.item;
    for (const [i, other] of this.workers.entries()) {
      if (i !== w && other.s === 'holding' && other.key === key) this.errors.push(`key ${key} held by workers ${i} and ${w}`);
    }
    this.workers[w] = { s: 'holding', key };
    this.needsRun.delete(key);
    this.runs.set(key, (this.runs.get(key) ?? 0) + 1);
  }

  #add(key: string): void {
    if (!this.q.shuttingDown()) {
      this.needsRun.add(key);
      this.adds.set(key, (this.adds.get(key) ?? 0) + 1);
    }
    this.q.add(key);
    this.model.add(key);
  }

  async apply(op: Op): Promise<void> {
    switch (op.kind) {
      case 'add':
        this.#add(op.key);
        break;
      case 'get':
        if (this.workers[op.worker]!.s !== 'idle') return;
        this.workers[op.worker] = { s: 'waiting' };
        void this.q.get().then((r) => this.#receive(op.worker, r));
        this.model.get(op.worker, true);
        break;
      case 'tryGet': {
        if (this.workers[op.worker]!.s !== 'idle') return;
        const r = this.q.tryGet();
        if (r !== undefined) this.#receive(op.worker, r);
        this.model.get(op.worker, false);
        break;
      }
      case 'done': {
        const st = this.workers[op.worker]!;
        if (st.s !== 'holding') return;
        if (op.readdFirst) this.#add(st.key);
        this.workers[op.worker] = { s: 'idle' };
        this.q.done(st.key);
        this.model.done(op.worker);
        break;
      }
      case 'shutDown':
        this.q.shutDown();
        this.model.shutDown();
        break;
      case 'shutDownWithDrain':
        this.drains.push(this.q.shutDownWithDrain());
        this.model.shutDown();
        break;
    }
    await flush();
    this.check(op);
  }

  check(op: Op): void {
    const where = JSON.stringify(op);
    if (this.q.len() !== this.model.queue.length) this.errors.push(`${where}: len ${this.q.len()} ≠ model ${this.model.queue.length}`);
    if (JSON.stringify(this.workers) !== JSON.stringify(this.model.workers)) {
      this.errors.push(`${where}: workers ${JSON.stringify(this.workers)} ≠ model ${JSON.stringify(this.model.workers)}`);
    }
    if (this.model.queue.length > new Set(this.model.queue).size) this.errors.push(`${where}: duplicate in queue`);
    if (this.q.len() > KEYS.length) this.errors.push(`${where}: queue longer than the number of keys`);
  }

  /** Lets every worker finish and take work until nothing is left to hand out. */
  async finish(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      let acted = false;
      for (let w = 0; w < WORKERS; w++) {
        const st = this.workers[w]!;
        if (st.s === 'holding') {
          await this.apply({ kind: 'done', worker: w, readdFirst: false });
          acted = true;
        } else if (st.s === 'idle' && this.q.len() > 0) {
          await this.apply({ kind: 'tryGet', worker: w });
          acted = true;
        }
      }
      if (!acted) return;
    }
    this.errors.push('queue did not settle');
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), worker: fc.nat(WORKERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tryGet' as const), worker: fc.nat(WORKERS - 1) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('done' as const), worker: fc.nat(WORKERS - 1), readdFirst: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constantFrom<Op>({ kind: 'shutDown' }, { kind: 'shutDownWithDrain' }) },
);

test('random operations by several workers match the model; no key lost, none doubly held, duplicates collapse', async (t) => {
  const details = await fc.check(
    fc.asyncProperty(fc.array(opArb, { maxLength: 80 }), async (ops) => {
      const h = new Harness();
      for (const op of ops) await h.apply(op);
      await h.finish();
      // Whatever is still pending was added and never handed out: that is a lost key.
      if (h.needsRun.size > 0) h.errors.push(`lost keys: ${[...h.needsRun].join(',')}`);
      for (const [key, runs] of h.runs) {
        if (runs > (h.adds.get(key) ?? 0)) h.errors.push(`${key} ran ${runs} times for ${h.adds.get(key)} adds`);
      }
      h.q.shutDown();
      await Promise.all(h.drains); // every drain ends once the workers are done (or shutDown)
      if (h.errors.length > 0) throw new Error(h.errors.join('\n'));
    }),
    { numRuns: 300 },
  );
  t.false(details.failed, fc.defaultReportMessage(details) ?? '');
});

test('shutDownWithDrain resolves exactly when the last held item is done', async (t) => {
  const details = await fc.check(
    fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
      const h = new Harness();
      for (const op of ops) if (op.kind !== 'shutDown' && op.kind !== 'shutDownWithDrain') await h.apply(op);
      let drained = false;
      const drain = h.q.shutDownWithDrain().then(() => (drained = true));
      h.model.shutDown();
      await flush();
      for (let w = 0; w < WORKERS; w++) {
        const holding = h.workers.some((s) => s.s === 'holding');
        if (drained === holding) throw new Error(`drained=${drained} while holding=${holding}`);
        if (h.workers[w]!.s === 'holding') await h.apply({ kind: 'done', worker: w, readdFirst: false });
      }
      await drain;
      if (h.errors.length > 0) throw new Error(h.errors.join('\n'));
    }),
    { numRuns: 200 },
  );
  t.false(details.failed, fc.defaultReportMessage(details) ?? '');
});

type DelayOp = { kind: 'addAfter'; key: string; ms: number } | { kind: 'add'; key: string } | { kind: 'step'; ms: number } | { kind: 'take' };

const delayOpArb: fc.Arbitrary<DelayOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('addAfter' as const),
      key: fc.constantFrom(...KEYS),
      ms: fc.integer({ min: -5, max: 300 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 2, arbitrary: fc.constant<DelayOp>({ kind: 'take' }) },
);

test('delaying queue: each key becomes ready at its earliest requested time, once', (t) => {
  const details = fc.check(
    fc.property(fc.array(delayOpArb, { maxLength: 80 }), (ops) => {
      const clock = new FakeClock(0);
      const q = new DelayingWorkQueue<string>({ clock });
      const waiting = new Map<string, number>(); // key → earliest readyAt
      const queued: string[] = []; // dirty keys in queue order (ready time order)
      const queuedAt = new Map<string, number>();
      const enqueue = (key: string, at: number): void => {
        if (!queuedAt.has(key)) {
          queued.push(key);
          queuedAt.set(key, at);
        }
      };
      for (const op of ops) {
        if (op.kind === 'add') enqueue(op.key, clock.now());
        else if (op.kind === 'addAfter') {
          if (op.ms <= 0) enqueue(op.key, clock.now());
          else waiting.set(op.key, Math.min(waiting.get(op.key) ?? Infinity, clock.now() + op.ms));
        } else if (op.kind === 'step') {
          const end = clock.now() + op.ms;
          const due = [...waiting].filter(([, at]) => at <= end).sort((a, b) => a[1] - b[1]);
          for (const [key, at] of due) {
            waiting.delete(key);
            enqueue(key, at);
          }
        }
        if (op.kind === 'add') q.add(op.key);
        else if (op.kind === 'addAfter') q.addAfter(op.key, op.ms);
        else if (op.kind === 'step') clock.step(op.ms);
        else {
          const got: string[] = [];
          for (let r = q.tryGet(); r !== undefined && !r.shutdown; r = q.tryGet()) {
            got.push(r.item);
            q.done(r.item);
          }
          const times = got.map((k) => queuedAt.get(k)!);
          if (JSON.stringify([...got].sort()) !== JSON.stringify([...queued].sort())) {
            throw new Error(`took ${got.join(',')} but model had ${queued.join(',')}`);
          }
          if (times.some((at, i) => i > 0 && at < times[i - 1]!)) throw new Error(`out of ready order: ${got.join(',')}`);
          queued.length = 0;
          queuedAt.clear();
        }
        if (q.len() !== queued.length) throw new Error(`len ${q.len()} ≠ model ${queued.length} after ${JSON.stringify(op)}`);
        if (q.waitingLen() !== waiting.size) throw new Error(`waiting ${q.waitingLen()} ≠ model ${waiting.size}`);
        if (clock.pendingTimers !== (waiting.size > 0 ? 1 : 0)) throw new Error(`${clock.pendingTimers} timers for ${waiting.size} waiting`);
      }
    }),
    { numRuns: 500 },
  );
  t.false(details.failed, fc.defaultReportMessage(details) ?? '');
});
