import test from 'ava';
import { createQueue, type Queue } from '../../../shared/workqueue/queue.ts';

/** Lets every pending promise callback run (a macrotask turn, not a sleep). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface ShutdownCase {
  name: string;
  /** Shuts the queue down; resolves when that call is over (at once for shutDown). */
  shutdown: (q: Queue<unknown>) => Promise<void>;
}

/** Every table below runs once per way of shutting down, as client-go's tests do. */
const shutdowns: ShutdownCase[] = [
  { name: 'shutDown', shutdown: (q) => (q.shutDown(), Promise.resolve()) },
  { name: 'shutDownWithDrain', shutdown: (q) => q.shutDownWithDrain() },
];

const basic = test.macro({
  async exec(t, { shutdown }: ShutdownCase) {
    const q = createQueue<unknown>();
    const producers = Array.from({ length: 50 }, async (_, i) => {
      for (let j = 0; j < 50; j++) {
        q.add(i);
        await flush();
      }
    });
    const active = new Set<unknown>();
    let processed = 0;
    const consumers = Array.from({ length: 10 }, async () => {
      for (;;) {
        const { item, shutdown: quit } = await q.get();
        if (item === 'added after shutdown!') t.fail('got an item added after shutdown');
        if (quit) return;
        t.false(active.has(item), `item ${String(item)} handed to two workers`);
        active.add(item);
        processed++;
        await flush();
        active.delete(item);
        q.done(item);
      }
    });
    await Promise.all(producers);
    const shut = shutdown(q);
    q.add('added after shutdown!');
    await Promise.all(consumers);
    await shut;
    t.is(q.len(), 0);
    t.true(processed >= 50 && processed <= 2500, `processed ${processed}`);
  },
  title: (_, c: ShutdownCase) => `basic producers and consumers (${c.name})`,
});

const addWhileProcessing = test.macro({
  async exec(t, { shutdown }: ShutdownCase) {
    const q = createQueue<unknown>();
    for (let i = 0; i < 50; i++) q.add(i);
    const runs = new Map<unknown, number>();
    const consumers = Array.from({ length: 10 }, async () => {
      // Every worker re-adds every item it sees up to two times: the dirty-while-processing case.
      const counters = new Map<unknown, number>();
      for (;;) {
        const { item, shutdown: quit } = await q.get();
        if (quit) return;
        runs.set(item, (runs.get(item) ?? 0) + 1);
        const n = (counters.get(item) ?? 0) + 1;
        counters.set(item, n);
        if (n < 2) q.add(item);
        await flush();
        q.done(item);
      }
    });
    await flush();
    await flush();
    const shut = shutdown(q);
    await Promise.all(consumers);
    await shut;
    t.is(q.len(), 0);
    for (let i = 0; i < 50; i++) t.true((runs.get(i) ?? 0) >= 1, `item ${i} never ran`);
  },
  title: (_, c: ShutdownCase) => `add while processing (${c.name})`,
});

const getAfterShutdown = test.macro({
  async exec(t, { shutdown }: ShutdownCase) {
    const q = createQueue<string>();
    q.add('a');
    q.add('b');
    await shutdown(q as Queue<unknown>);
    q.add('c');
    // Items queued before the shutdown are still handed out, then the workers are told to stop.
    t.deepEqual(await q.get(), { item: 'a', shutdown: false });
    t.deepEqual(await q.get(), { item: 'b', shutdown: false });
    t.deepEqual(await q.get(), { item: undefined, shutdown: true });
    t.deepEqual(q.tryGet(), { item: undefined, shutdown: true });
    t.true(q.shuttingDown());
  },
  title: (_, c: ShutdownCase) => `queued items are still handed out after ${c.name}`,
});

const blockedWorkersStop = test.macro({
  async exec(t, { shutdown }: ShutdownCase) {
    const q = createQueue<string>();
    const waiting = [q.get(), q.get(), q.get()];
    await flush();
    await shutdown(q as Queue<unknown>);
    for (const result of await Promise.all(waiting)) t.deepEqual(result, { item: undefined, shutdown: true });
  },
  title: (_, c: ShutdownCase) => `workers blocked in get stop on ${c.name}`,
});

for (const c of shutdowns) {
  test(basic, c);
  test(addWhileProcessing, c);
  test(getAfterShutdown, c);
  test(blockedWorkersStop, c);
}

test('len counts queued items once', (t) => {
  const q = createQueue();
  q.add('foo');
  t.is(q.len(), 1);
  q.add('bar');
  t.is(q.len(), 2);
  q.add('foo'); // should not increase the queue length
  t.is(q.len(), 2);
});

test('items come out in the order they were added', (t) => {
  const q = createQueue();
  for (const k of ['c', 'a', 'b', 'a', 'c', 'd']) q.add(k);
  const out: string[] = [];
  for (let r = q.tryGet(); r !== undefined && !r.shutdown; r = q.tryGet()) out.push(r.item);
  t.deepEqual(out, ['c', 'a', 'b', 'd']);
  t.is(q.tryGet(), undefined);
});

test('an item added while processing is queued again on done', async (t) => {
  const q = createQueue();
  q.add('foo');
  const first = await q.get();
  t.deepEqual(first, { item: 'foo', shutdown: false });
  q.add('foo');
  t.is(q.len(), 0, 'not queued while being processed');
  q.done('foo');
  t.is(q.len(), 1);
  t.deepEqual(await q.get(), { item: 'foo', shutdown: false });
  q.done('foo');
  t.is(q.len(), 0);
});

test('duplicates collapse', async (t) => {
  const q = createQueue();
  q.add('bar');
  q.add('bar');
  t.deepEqual(await q.get(), { item: 'bar', shutdown: false });
  q.done('bar');
  t.is(q.len(), 0);
  t.is(q.tryGet(), undefined);
});

test('duplicates collapse while processing; a second worker waits for done', async (t) => {
  const q = createQueue();
  q.add('foo');
  const { item } = await q.get();
  t.is(item, 'foo');
  q.add('foo');
  q.add('foo');
  let secondGot: string | undefined;
  const second = q.get().then((r) => {
    secondGot = r.item;
    q.done(r.item!);
  });
  await flush();
  t.is(secondGot, undefined, 'second worker must be blocked until the first is done');
  q.done('foo');
  await second;
  t.is(secondGot, 'foo');
  t.is(q.len(), 0);
  t.is(q.tryGet(), undefined);
});

test('a blocked worker is handed the next added item', async (t) => {
  const q = createQueue();
  const a = q.get();
  const b = q.get();
  q.add('x');
  q.add('y');
  t.deepEqual(await a, { item: 'x', shutdown: false });
  t.deepEqual(await b, { item: 'y', shutdown: false });
  t.is(q.len(), 0);
  // x is being processed: adding it again waits for done.
  q.add('x');
  const c = q.get();
  let got = false;
  void c.then(() => (got = true));
  await flush();
  t.false(got);
  q.done('x');
  t.deepEqual(await c, { item: 'x', shutdown: false });
});

test('done for an item that is not being processed does nothing', (t) => {
  const q = createQueue();
  q.done('ghost');
  q.add('a');
  q.done('a'); // queued, not processing: must not queue it twice
  t.is(q.len(), 1);
  t.deepEqual(q.tryGet(), { item: 'a', shutdown: false });
  t.is(q.tryGet(), undefined);
});

test('shutDownWithDrain waits until every item got is done', async (t) => {
  const q = createQueue();
  q.add('foo');
  q.add('bar');
  const first = q.tryGet()!.item!;
  const second = q.tryGet()!.item!;
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  t.deepEqual(await q.get(), { item: undefined, shutdown: true });
  await flush();
  t.false(drained);
  q.done(first);
  await flush();
  t.false(drained);
  q.done(second);
  await drain;
  t.true(drained);
});

test('shutDown does not wait for items being processed', async (t) => {
  const q = createQueue();
  q.add('foo');
  q.add('bar');
  q.tryGet();
  q.tryGet();
  q.shutDown();
  t.true(q.shuttingDown());
  t.deepEqual(await q.get(), { item: undefined, shutdown: true });
});

test('shutDown cuts a pending shutDownWithDrain short', async (t) => {
  const q = createQueue();
  q.add('foo');
  q.add('bar');
  q.tryGet();
  q.tryGet();
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  await flush();
  t.false(drained);
  q.shutDown(); // as on a second SIGINT
  await drain;
  t.true(drained);
});

test('shutDownWithDrain with a dirty item: done queues it again, and a worker still gets it', async (t) => {
  const q = createQueue();
  q.add('foo');
  const gotten = q.tryGet()!.item!;
  q.add('foo');
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  t.deepEqual(q.tryGet(), { item: undefined, shutdown: true });
  await flush();
  t.false(drained);
  q.done(gotten);
  // As in client-go, the drain waits for items being processed, not for queued ones: it ends
  // here, but the dirty item is back on the queue and the next get hands it out.
  await drain;
  t.true(drained);
  const again = await q.get();
  t.deepEqual(again, { item: 'foo', shutdown: false }, 'done put the dirty item back');
  q.done(again.item!);
  t.deepEqual(await q.get(), { item: undefined, shutdown: true });
});

test('shutDownWithDrain resolves at once when nothing is being processed', async (t) => {
  const q = createQueue();
  q.add('queued-only');
  await q.shutDownWithDrain();
  t.is(q.len(), 1);
});

test('keys of any type compare like Map keys', async (t) => {
  const q = createQueue<number | object>();
  const o = {};
  q.add(1);
  q.add(o);
  q.add(1);
  q.add({});
  t.is(q.len(), 3);
  t.is((await q.get()).item, 1);
  t.is((await q.get()).item, o);
});

test('many distinct keys: finished keys are forgotten and can come back', async (t) => {
  const q = createQueue<string>();
  const held: string[] = [];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 10_000; i++) q.add(`k${i}`);
    t.is(q.len(), 10_000);
    // Keep a few in processing across the sweeps, re-added while held.
    for (let i = 0; i < 10_000; i++) {
      const { item } = q.tryGet() as { item: string };
      if (i % 1000 === 0) held.push(item);
      else q.done(item);
    }
    for (const item of held) q.add(item);
    t.is(q.len(), 0, 'held items are not queued again before done');
    for (const item of held.splice(0)) q.done(item);
    t.is(q.len(), 10);
    for (let r = q.tryGet(); r !== undefined && !r.shutdown; r = q.tryGet()) q.done(r.item);
  }
  t.is(q.len(), 0);
  t.is(q.tryGet(), undefined);
});
