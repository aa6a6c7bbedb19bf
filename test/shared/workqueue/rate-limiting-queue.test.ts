import test from 'ava';
import { DelayingWorkQueue } from '../../../shared/workqueue/delaying-queue.ts';
import { ItemExponentialFailureRateLimiter } from '../../../shared/workqueue/rate-limiters.ts';
import { createRateLimitingQueue } from '../../../shared/workqueue/rate-limiting-queue.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

test('addRateLimited waits as the limiter says; forget resets it', (t) => {
  const clock = new FakeClock();
  const delaying = new DelayingWorkQueue<string>({ clock });
  const q = createRateLimitingQueue<string>({
    clock,
    rateLimiter: new ItemExponentialFailureRateLimiter(1, 1000),
    delayingQueue: delaying,
  });

  q.addRateLimited('one');
  t.is(delaying.waitingLen(), 1);
  q.addRateLimited('one');
  t.is(delaying.waitingLen(), 1, 'the earlier entry is kept');
  t.is(q.numRequeues('one'), 2);
  q.addRateLimited('two');
  t.is(delaying.waitingLen(), 2);
  t.is(q.numRequeues('two'), 1);

  q.forget('one');
  t.is(q.numRequeues('one'), 0);
  q.addRateLimited('one');
  t.is(q.numRequeues('one'), 1);

  clock.step(1);
  t.is(q.len(), 2);
  t.is(delaying.waitingLen(), 0);
});

test('a failing item is retried with growing delays, then dropped after 5 retries', (t) => {
  const clock = new FakeClock();
  const q = createRateLimitingQueue<string>({ clock });
  const maxRetries = 5;
  const attempts: number[] = [];
  let dropped = false;

  /** One worker step: process whatever is queued now; `fail` decides the handler's outcome. */
  const work = (fail: (key: string) => boolean): void => {
    for (let r = q.tryGet(); r !== undefined && !r.shutdown; r = q.tryGet()) {
      const key = r.item;
      if (key === 'default/test-deployment') attempts.push(clock.now());
      if (!fail(key)) q.forget(key);
      else if (q.numRequeues(key) < maxRetries) q.addRateLimited(key);
      else {
        q.forget(key);
        dropped = true;
      }
      q.done(key);
    }
  };

  const start = clock.now();
  q.add('default/test-deployment');
  q.add('default/ok');
  for (let i = 0; i < 200; i++) {
    work((key) => key === 'default/test-deployment');
    clock.step(1);
  }
  t.true(dropped);
  t.is(attempts.length, 6, 'first try + 5 retries');
  t.deepEqual(
    attempts.map((at) => at - start),
    [0, 5, 5 + 10, 5 + 10 + 20, 5 + 10 + 20 + 40, 5 + 10 + 20 + 40 + 80],
  );
  t.is(q.numRequeues('default/test-deployment'), 0, 'forgotten when dropped');
  t.is(q.len(), 0);
});

test('forget does not remove a queued item; done still has to be called', async (t) => {
  const clock = new FakeClock();
  const q = createRateLimitingQueue<string>({ clock });
  q.add('k');
  const { item } = await q.get();
  q.addRateLimited(item!);
  q.forget(item!);
  clock.step(5);
  t.is(q.len(), 0, 'still being processed');
  q.done(item!);
  t.is(q.len(), 1);
});

test('shutDown stops rate-limited adds', async (t) => {
  const clock = new FakeClock();
  const q = createRateLimitingQueue<string>({ clock });
  q.addRateLimited('k');
  q.shutDown();
  q.addRateLimited('j');
  clock.step(10_000);
  t.is(q.len(), 0);
  t.deepEqual(await q.get(), { item: undefined, shutdown: true });
  t.is(clock.pendingTimers, 0);
});
