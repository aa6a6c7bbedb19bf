import test from 'ava';
import { createDelayingQueue, DelayingWorkQueue, type DelayingQueue } from '../../../shared/workqueue/delaying-queue.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

function setup(): { clock: FakeClock; q: DelayingWorkQueue<string> } {
  const clock = new FakeClock();
  return { clock, q: new DelayingWorkQueue<string>({ clock }) };
}

/** Takes everything queued right now, in order, marking each done. */
function drainNow(q: DelayingQueue<string>): string[] {
  const out: string[] = [];
  for (let r = q.tryGet(); r !== undefined && !r.shutdown; r = q.tryGet()) {
    out.push(r.item);
    q.done(r.item);
  }
  return out;
}

test('an item is added once its delay has passed', (t) => {
  const { clock, q } = setup();
  q.addAfter('foo', 50);
  t.is(q.len(), 0);
  t.is(q.waitingLen(), 1);
  clock.step(49);
  t.is(q.len(), 0, 'not before its time');
  clock.step(11);
  t.is(q.len(), 1);
  t.deepEqual(drainNow(q), ['foo']);
  clock.step(10_000);
  t.is(q.len(), 0, 'added only once');
  t.is(clock.pendingTimers, 0);
});

test('a waiting item keeps its earliest ready time', (t) => {
  const { clock, q } = setup();
  q.addAfter('foo', 50);
  q.addAfter('foo', 70);
  t.is(q.waitingLen(), 1);
  clock.step(60);
  t.deepEqual(drainNow(q), ['foo']);
  clock.step(20);
  t.is(q.len(), 0, 'the later time was dropped');

  // The earlier one overrides this time.
  q.addAfter('foo', 50);
  q.addAfter('foo', 30);
  t.is(q.waitingLen(), 1);
  clock.step(40);
  t.deepEqual(drainNow(q), ['foo']);
  clock.step(20);
  t.is(q.len(), 0);
});

test('items fire in ready-time order, early ones first', (t) => {
  const { clock, q } = setup();
  q.addAfter('foo', 1000);
  q.addAfter('bar', 50);
  clock.step(60);
  t.deepEqual(drainNow(q), ['bar']);
  q.addAfter('baz', 2000);
  clock.step(1000);
  t.deepEqual(drainNow(q), ['foo']);
  clock.step(2000);
  t.deepEqual(drainNow(q), ['baz']);
});

test('items due in one step come out in ready-time order (heap order, not insertion)', (t) => {
  const { clock, q } = setup();
  q.addAfter('foo', 1000);
  q.addAfter('bar', 500);
  q.addAfter('baz', 250);
  clock.step(2000);
  t.is(q.len(), 3);
  t.deepEqual(drainNow(q), ['baz', 'bar', 'foo']);
});

test('one timer, set for the earliest waiting entry', (t) => {
  const { clock, q } = setup();
  q.addAfter('a', 300);
  q.addAfter('b', 100);
  q.addAfter('c', 200);
  q.addAfter('d', 400);
  t.is(clock.pendingTimers, 1);
  t.deepEqual(clock.dueTimes(), [clock.now() + 100]);
  clock.step(100);
  t.deepEqual(drainNow(q), ['b']);
  t.deepEqual(clock.dueTimes(), [clock.now() + 100]);
  q.addAfter('a', 50); // moves a earlier than c
  t.deepEqual(clock.dueTimes(), [clock.now() + 50]);
  clock.step(50);
  t.deepEqual(drainNow(q), ['a']);
  clock.step(1000);
  t.deepEqual(drainNow(q), ['c', 'd']);
  t.is(clock.pendingTimers, 0);
});

test('addAfter with no delay adds at once', (t) => {
  const { q } = setup();
  q.addAfter('now', 0);
  q.addAfter('negative', -5);
  t.deepEqual(drainNow(q), ['now', 'negative']);
  t.is(q.waitingLen(), 0);
});

test('a waiting item that falls due while queued collapses into it', (t) => {
  const { clock, q } = setup();
  q.add('x');
  q.addAfter('x', 10);
  clock.step(10);
  t.is(q.len(), 1);
  t.deepEqual(drainNow(q), ['x']);
});

test('a waiting item that falls due while being processed is queued again on done', (t) => {
  const { clock, q } = setup();
  q.add('x');
  const { item } = q.tryGet()!;
  q.addAfter('x', 10);
  clock.step(10);
  t.is(q.len(), 0, 'not handed out while being processed');
  q.done(item!);
  t.deepEqual(drainNow(q), ['x']);
});

test('a blocked worker gets an item when its delay passes', async (t) => {
  const { clock, q } = setup();
  const got = q.get();
  q.addAfter('later', 5000);
  clock.step(5000);
  t.deepEqual(await got, { item: 'later', shutdown: false });
});

for (const kind of ['shutDown', 'shutDownWithDrain'] as const) {
  test(`${kind} drops waiting items, cancels the timer, ignores later addAfter`, async (t) => {
    const { clock, q } = setup();
    q.addAfter('a', 100);
    q.addAfter('b', 200);
    await (kind === 'shutDown' ? q.shutDown() : q.shutDownWithDrain());
    t.is(clock.pendingTimers, 0);
    t.is(q.waitingLen(), 0);
    q.addAfter('c', 10);
    q.addAfter('d', 0);
    clock.step(1000);
    t.is(q.len(), 0);
    t.deepEqual(await q.get(), { item: undefined, shutdown: true });
  });
}

test('wraps an injected queue', (t) => {
  const clock = new FakeClock();
  const inner = createDelayingQueue<string>({ clock });
  const q = createDelayingQueue<string>({ clock, queue: inner });
  q.addAfter('k', 5);
  clock.step(5);
  t.is(inner.len(), 1);
  t.deepEqual(drainNow(q), ['k']);
});

test('many random delays come out sorted by ready time', (t) => {
  const { clock, q } = setup();
  const delays = new Map<string, number>();
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 600_000;
  for (let i = 0; i < 500; i++) {
    const key = `k${i % 300}`;
    const ms = Math.floor(rand()) + 1;
    delays.set(key, Math.min(delays.get(key) ?? Infinity, ms));
    q.addAfter(key, ms);
  }
  t.is(q.waitingLen(), delays.size);
  const order: string[] = [];
  for (let elapsed = 0; elapsed <= 600_001; elapsed += 1000) {
    order.push(...drainNow(q));
    clock.step(1000);
  }
  order.push(...drainNow(q));
  t.is(order.length, delays.size);
  const times = order.map((k) => delays.get(k)!);
  t.deepEqual(times, [...times].sort((a, b) => a - b));
});
