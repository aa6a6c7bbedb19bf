/**
 * The queue watchq's controller uses, under random operations (issue 10, property tests).
 * test/shared/workqueue/queue.model.test.ts checks the plain and delaying queues against a
 * model; this drives the rate-limiting queue the way a controller does (workers that fail and
 * retry with addRateLimited up to a limit, forget on success or when giving up) on a fake clock:
 * - no key is handed to two workers at once;
 * - a key is handed out only for a reason: an add, or a rate-limited retry whose delay has
 *   passed (never early), and several reasons pending at once give one run (dedup);
 * - every reason is followed by a run: once the workers succeed and the clock moves on, nothing
 *   is left queued or waiting (no loss);
 * - numRequeues counts the retries since the last forget, and never exceeds the limit.
 */
import test from 'ava';
import fc from 'fast-check';
import { DelayingWorkQueue } from '../../shared/workqueue/delaying-queue.ts';
import { ItemExponentialFailureRateLimiter } from '../../shared/workqueue/rate-limiters.ts';
import { RateLimitingWorkQueue } from '../../shared/workqueue/rate-limiting-queue.ts';
import { FakeClock } from '../helpers/fake-clock.ts';

const WORKERS = 3;
const KEYS = ['a', 'b', 'c', 'd', 'e'];
const MAX_RETRIES = 3;
const BASE_MS = 5;
const MAX_MS = 80;

type Op = { kind: 'add'; key: string } | { kind: 'get'; worker: number } | { kind: 'finish'; worker: number; ok: boolean } | { kind: 'step'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('get' as const), worker: fc.nat(WORKERS - 1) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('finish' as const), worker: fc.nat(WORKERS - 1), ok: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 100 }) }) },
);

class Harness {
  readonly clock = new FakeClock(0);
  readonly delaying = new DelayingWorkQueue<string>({ clock: this.clock });
  readonly q = new RateLimitingWorkQueue<string>({ clock: this.clock, delayingQueue: this.delaying, rateLimiter: new ItemExponentialFailureRateLimiter<string>(BASE_MS, MAX_MS) });
  /** What each worker holds. */
  readonly held: Array<string | undefined> = Array.from({ length: WORKERS }, () => undefined);
  /** Reasons to run each key that no run has answered yet (adds, and retries whose delay passed). */
  readonly reasons = new Map<string, number>();
  /** Retries still waiting: key → the earliest time one is due (the delaying queue keeps the earliest). */
  readonly waiting = new Map<string, number>();
  /** The limiter's count as the rules say it should be. */
  readonly requeues = new Map<string, number>();
  readonly errors: string[] = [];

  #reason(key: string): void {
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }

  apply(op: Op): void {
    switch (op.kind) {
      case 'add':
        this.q.add(op.key);
        this.#reason(op.key);
        break;
      case 'get': {
        if (this.held[op.worker] !== undefined) return;
        const r = this.q.tryGet();
        if (r === undefined || r.shutdown) {
          if (this.q.len() > 0) this.errors.push(`tryGet returned nothing with ${this.q.len()} queued`);
          return;
        }
        const key = r.item;
        if (this.held.includes(key)) this.errors.push(`${key} handed to worker ${op.worker} while another holds it`);
        if ((this.reasons.get(key) ?? 0) === 0) this.errors.push(`${key} handed out at ${this.clock.now()} ms with no reason (early, or a duplicate)`);
        this.reasons.set(key, 0);
        this.held[op.worker] = key;
        break;
      }
      case 'finish': {
        const key = this.held[op.worker];
        if (key === undefined) return;
        if (!op.ok && this.q.numRequeues(key) < MAX_RETRIES) {
          const retries = this.requeues.get(key) ?? 0;
          const due = this.clock.now() + Math.min(BASE_MS * 2 ** retries, MAX_MS);
          this.q.addRateLimited(key);
          this.requeues.set(key, retries + 1);
          this.waiting.set(key, Math.min(this.waiting.get(key) ?? Infinity, due));
        } else {
          this.q.forget(key); // success, or given up after MAX_RETRIES
          this.requeues.delete(key);
        }
        this.q.done(key);
        this.held[op.worker] = undefined;
        break;
      }
      case 'step': {
        const end = this.clock.now() + op.ms;
        for (const [key, due] of this.waiting) {
          if (due <= end) {
            this.waiting.delete(key);
            this.#reason(key);
          }
        }
        this.clock.step(op.ms);
        break;
      }
    }
    for (const key of KEYS) {
      const want = this.requeues.get(key) ?? 0;
      if (this.q.numRequeues(key) !== want) this.errors.push(`${JSON.stringify(op)}: numRequeues(${key}) = ${this.q.numRequeues(key)}, want ${want}`);
      if (want > MAX_RETRIES) this.errors.push(`${key} retried ${want} times, more than ${MAX_RETRIES}`);
    }
    if (this.q.len() > KEYS.length) this.errors.push(`${this.q.len()} queued for ${KEYS.length} keys: a duplicate`);
    if (this.delaying.waitingLen() !== this.waiting.size) this.errors.push(`${JSON.stringify(op)}: ${this.delaying.waitingLen()} waiting, the model ${this.waiting.size}`);
  }

  /** Every worker succeeds and the clock moves on until nothing is held, queued or waiting. */
  drain(): void {
    for (let round = 0; round < 200; round++) {
      for (let w = 0; w < WORKERS; w++) this.apply({ kind: 'finish', worker: w, ok: true });
      for (let w = 0; w < WORKERS; w++) this.apply({ kind: 'get', worker: w });
      if (this.held.every((h) => h === undefined) && this.q.len() === 0) {
        if (this.delaying.waitingLen() === 0) return;
        this.apply({ kind: 'step', ms: MAX_MS });
      }
    }
    this.errors.push('the queue did not drain');
  }
}

test('rate-limiting queue under a retrying controller: no double holding, never early, no loss, retries bounded', (t) => {
  const details = fc.check(
    fc.property(fc.array(opArb, { minLength: 20, maxLength: 150 }), (ops) => {
      const h = new Harness();
      for (const op of ops) h.apply(op);
      h.drain();
      const unanswered = [...h.reasons].filter(([, n]) => n > 0).map(([k]) => k);
      if (unanswered.length > 0) h.errors.push(`lost: ${unanswered.join(', ')} never ran after being added`);
      if (h.waiting.size > 0) h.errors.push(`the model still waits for ${[...h.waiting.keys()].join(', ')}`);
      if (h.errors.length > 0) throw new Error(h.errors.join('\n'));
    }),
    { numRuns: 500 },
  );
  t.false(details.failed, fc.defaultReportMessage(details) ?? '');
});
