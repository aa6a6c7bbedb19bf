import test from 'ava';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  WithMaxWaitRateLimiter,
  type RateLimiter,
} from '../../../shared/workqueue/rate-limiters.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

/** One step of a limiter table: call `when` (expecting ms), `forget`, or check `numRequeues`. */
type Step = ['when', string, number] | ['forget', string] | ['numRequeues', string, number];

const sequence = test.macro({
  exec(t, make: () => RateLimiter<string>, steps: Step[]) {
    const limiter = make();
    steps.forEach((step, i) => {
      if (step[0] === 'when') t.is(limiter.when(step[1]), step[2], `step ${i}: when(${step[1]})`);
      else if (step[0] === 'forget') limiter.forget(step[1]);
      else t.is(limiter.numRequeues(step[1]), step[2], `step ${i}: numRequeues(${step[1]})`);
    });
  },
  title: (title) => title ?? '',
});

test('exponential: 1 ms doubling per item, forget resets', sequence, () => new ItemExponentialFailureRateLimiter<string>(1, 1000), [
  ['when', 'one', 1],
  ['when', 'one', 2],
  ['when', 'one', 4],
  ['when', 'one', 8],
  ['when', 'one', 16],
  ['numRequeues', 'one', 5],
  ['when', 'two', 1],
  ['when', 'two', 2],
  ['numRequeues', 'two', 2],
  ['forget', 'one'],
  ['numRequeues', 'one', 0],
  ['when', 'one', 1],
]);

test('exponential default controller steps: 5, 10, 20, 40 ms …', sequence, () => new ItemExponentialFailureRateLimiter<string>(5, 1_000_000), [
  ['when', 'k', 5],
  ['when', 'k', 10],
  ['when', 'k', 20],
  ['when', 'k', 40],
  ['when', 'k', 80],
  ['when', 'k', 160],
  ['numRequeues', 'k', 6],
]);

test('exponential is capped at the max and never overflows', (t) => {
  const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
  const delays = Array.from({ length: 30 }, () => limiter.when('k'));
  // 5 ms · 2^17 = 655.36 s is the last step under 1000 s.
  t.is(delays[17], 655_360);
  t.is(delays[18], 1_000_000);
  t.true(delays.slice(18).every((d) => d === 1_000_000));
  for (let i = 0; i < 2000; i++) limiter.when('overflow');
  t.is(limiter.when('overflow'), 1_000_000);

  const minutes = new ItemExponentialFailureRateLimiter<string>(60_000, 1000 * 3_600_000);
  minutes.when('two');
  minutes.when('two');
  t.is(minutes.when('two'), 4 * 60_000);
  for (let i = 0; i < 1000; i++) minutes.when('overflow2');
  t.is(minutes.when('overflow2'), 1000 * 3_600_000);
});

test('fast-slow: fast for the first attempts, then slow', sequence, () => new ItemFastSlowRateLimiter<string>(5, 10_000, 3), [
  ['when', 'one', 5],
  ['when', 'one', 5],
  ['when', 'one', 5],
  ['when', 'one', 10_000],
  ['when', 'one', 10_000],
  ['numRequeues', 'one', 5],
  ['when', 'two', 5],
  ['when', 'two', 5],
  ['numRequeues', 'two', 2],
  ['forget', 'one'],
  ['numRequeues', 'one', 0],
  ['when', 'one', 5],
]);

test(
  'max-of: the worst answer of its limiters',
  sequence,
  () => new MaxOfRateLimiter<string>(new ItemFastSlowRateLimiter(5, 3000, 3), new ItemExponentialFailureRateLimiter(1, 1000)),
  [
    ['when', 'one', 5],
    ['when', 'one', 5],
    ['when', 'one', 5],
    ['when', 'one', 3000],
    ['when', 'one', 3000],
    ['numRequeues', 'one', 5],
    ['when', 'two', 5],
    ['when', 'two', 5],
    ['numRequeues', 'two', 2],
    ['forget', 'one'],
    ['numRequeues', 'one', 0],
    ['when', 'one', 5],
  ],
);

test('with-max-wait caps the wrapped limiter', sequence, () => new WithMaxWaitRateLimiter<string>(new ItemExponentialFailureRateLimiter(100, 100_000), 350), [
  ['when', 'k', 100],
  ['when', 'k', 200],
  ['when', 'k', 350],
  ['when', 'k', 350],
  ['numRequeues', 'k', 4],
  ['forget', 'k'],
  ['when', 'k', 100],
]);

test('bucket: a burst of 100 at once, then one every 100 ms', (t) => {
  const clock = new FakeClock();
  const limiter = new BucketRateLimiter<string>({ qps: 10, burst: 100, clock });
  for (let i = 0; i < 100; i++) t.is(limiter.when(`k${i}`), 0, `burst item ${i}`);
  // Reservations queue up behind each other: 100 ms, 200 ms, 300 ms …
  t.is(limiter.when('a'), 100);
  t.is(limiter.when('b'), 200);
  t.is(limiter.when('c'), 300);
  // Half a second later five tokens were refilled; three were owed to the reservations above.
  clock.step(500);
  t.deepEqual([limiter.when('d'), limiter.when('e'), limiter.when('f'), limiter.when('g')], [0, 0, 100, 200]);
  t.is(limiter.numRequeues('a'), 0);
  limiter.forget('a');
});

test('bucket: refills at qps up to the burst', (t) => {
  const clock = new FakeClock();
  const limiter = new BucketRateLimiter<string>({ qps: 10, burst: 3, clock });
  t.deepEqual([limiter.when('x'), limiter.when('x'), limiter.when('x'), limiter.when('x')], [0, 0, 0, 100]);
  clock.step(100); // the owed token arrives
  t.is(limiter.when('x'), 100);
  clock.step(10_000); // refills to the burst, no further
  t.deepEqual([limiter.when('x'), limiter.when('x'), limiter.when('x'), limiter.when('x')], [0, 0, 0, 100]);
});

test('bucket: spacing follows the rate as time passes', (t) => {
  const clock = new FakeClock();
  const limiter = new BucketRateLimiter<string>({ qps: 10, burst: 1, clock });
  t.is(limiter.when('x'), 0);
  for (let i = 0; i < 5; i++) {
    clock.step(100);
    t.is(limiter.when('x'), 0, `one token every 100 ms (${i})`);
  }
  clock.step(50);
  t.is(limiter.when('x'), 50);
});

test('bucket rejects a rate or burst it cannot honour', (t) => {
  t.throws(() => new BucketRateLimiter({ qps: 0, burst: 1 }), { instanceOf: RangeError });
  t.throws(() => new BucketRateLimiter({ qps: 1, burst: 0 }), { instanceOf: RangeError });
  t.is(new BucketRateLimiter({ qps: Infinity, burst: 1 }).when('x'), 0);
});

test('default controller limiter: per-item exponential, overall bucket after 100', (t) => {
  const clock = new FakeClock();
  const limiter = defaultControllerRateLimiter<string>(clock);
  t.deepEqual([limiter.when('one'), limiter.when('one'), limiter.when('one'), limiter.when('one')], [5, 10, 20, 40]);
  t.is(limiter.numRequeues('one'), 4);
  for (let i = 0; i < 96; i++) t.is(limiter.when(`other-${i}`), 5);
  // The bucket's 100 tokens are gone: new items wait for it, not just 5 ms.
  t.is(limiter.when('late-1'), 100);
  t.is(limiter.when('late-2'), 200);
  limiter.forget('one');
  t.is(limiter.numRequeues('one'), 0);
  t.is(limiter.when('one'), 300, 'bucket still owed');
  clock.step(60_000);
  t.is(limiter.when('one'), 10, 'bucket refilled; exponential continues at its count');
});
