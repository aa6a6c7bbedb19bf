import test from 'ava';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import { ConfigError } from '../../../shared/errors.ts';
import { createInformer, type EventHandler, type Informer } from '../../../shared/informer/informer.ts';
import { createListWatch } from '../../../shared/informer/list-watch.ts';
import type { InformerObject } from '../../../shared/listwatch/object-key.ts';
import type { InformerProblem } from '../../../shared/informer/reflector.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { FakeTransport, flush, page, status } from './fake-transport.ts';

const deployments: ApiResource = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  verbs: ['list', 'watch'],
  subresources: [],
  preferredVersion: true,
  groupPriority: 1,
  versionPriority: 0,
};

function dep(name: string, rv: string, namespace = 'default'): InformerObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, resourceVersion: rv } };
}

/** Records every handler call as a short string. */
function recorder(): { calls: string[]; handler: EventHandler<InformerObject> } {
  const calls: string[] = [];
  const name = (o: InformerObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  return {
    calls,
    handler: {
      onAdd: (o, initial) => calls.push(`add ${name(o)}${initial ? ' initial' : ''}`),
      onUpdate: (a, b) => calls.push(a === b ? `resync ${name(b)}` : `update ${name(a)} -> ${name(b)}`),
      onDelete: (o, unknown) => calls.push(`delete ${name(o)}${unknown ? ' unknown' : ''}`),
    },
  };
}

interface Setup {
  transport: FakeTransport;
  clock: FakeClock;
  informer: Informer<InformerObject>;
  calls: string[];
  problems: InformerProblem[];
  done: Promise<void>;
}

/** An informer on a fake transport and clock; random() is 0 (no jitter, 300 s watch timeouts). */
async function start(options: { resyncMs?: number; watchdogMs?: number; namespace?: string; list?: ReturnType<typeof page>[] } = {}): Promise<Setup> {
  const transport = new FakeTransport();
  transport.listReplies.push(...(options.list ?? [page('10', [dep('a', '5'), dep('b', '6')])]));
  const clock = new FakeClock(0);
  const problems: InformerProblem[] = [];
  const informer = createInformer({
    watchList: false,
    listWatch: createListWatch(transport, deployments, { namespace: options.namespace ?? 'default', chunkSize: 2 }),
    clock,
    random: () => 0,
    resyncMs: options.resyncMs ?? 0,
    watchdogMs: options.watchdogMs ?? 120_000,
    onProblem: (p) => problems.push(p),
  });
  const { calls, handler } = recorder();
  informer.addEventHandler(handler);
  const done = informer.run();
  await flush();
  return { transport, clock, informer, calls, problems, done };
}

test('initial sync: lists in chunks, adds every item, then watches from the list resourceVersion', async (t) => {
  const s = await start({ list: [page('9', [dep('a', '5'), dep('b', '6')], 'tok'), page('10', [dep('c', '7')])] });
  t.deepEqual(s.transport.listPaths, [
    '/apis/apps/v1/namespaces/default/deployments?limit=2',
    '/apis/apps/v1/namespaces/default/deployments?limit=2&continue=tok',
  ]);
  t.deepEqual(s.calls, ['add default/a@5 initial', 'add default/b@6 initial', 'add default/c@7 initial']);
  t.true(s.informer.hasSynced());
  t.true(await s.informer.waitForSync());
  t.deepEqual(s.informer.store.listKeys(), ['default/a', 'default/b', 'default/c']);
  const q = s.transport.watch.query;
  t.is(s.transport.watch.path.split('?')[0], '/apis/apps/v1/namespaces/default/deployments');
  t.is(q.get('watch'), '1');
  t.is(q.get('resourceVersion'), '10');
  t.is(q.get('allowWatchBookmarks'), 'true');
  t.is(q.get('timeoutSeconds'), '300');
  t.is(s.informer.stats().lists, 1);
  s.informer.stop();
  await s.done;
});

test('list items get apiVersion and kind; the watch timeout is random in 300–600 s', async (t) => {
  const transport = new FakeTransport();
  transport.listReplies.push(page('1', [{ metadata: { name: 'x', namespace: 'default', resourceVersion: '1' } }]));
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, deployments, { namespace: 'default' }), clock: new FakeClock(), random: () => 0.999 });
  void informer.run();
  await flush();
  t.like(informer.store.getByKey('default/x'), { apiVersion: 'apps/v1', kind: 'Deployment' });
  t.is(transport.watch.query.get('timeoutSeconds'), '600');
  informer.stop();
});

test('watch events: ADDED → add, MODIFIED → update with the old object, DELETED → delete', async (t) => {
  const s = await start();
  s.calls.length = 0;
  s.transport.watch.send(
    { type: 'ADDED', object: dep('c', '11') },
    { type: 'MODIFIED', object: dep('a', '12') },
    { type: 'DELETED', object: dep('b', '13') },
    // An ADDED for a key already cached is an update (as client-go decides by the store).
    { type: 'ADDED', object: dep('c', '14') },
  );
  await flush();
  t.deepEqual(s.calls, ['add default/c@11', 'update default/a@5 -> default/a@12', 'delete default/b@13', 'update default/c@11 -> default/c@14']);
  t.deepEqual(s.informer.store.listKeys().sort(), ['default/a', 'default/c']);
  t.is(s.informer.lastSyncResourceVersion(), '14');
  t.is(s.informer.stats().events, 4);
  s.informer.stop();
  await s.done;
});

test('events split across chunks and several per chunk are decoded', async (t) => {
  const s = await start();
  s.calls.length = 0;
  const line = (o: unknown) => JSON.stringify(o) + '\n';
  const text = line({ type: 'ADDED', object: dep('c', '11') }) + line({ type: 'ADDED', object: dep('d', '12') });
  s.transport.watch.raw(text.slice(0, 7));
  s.transport.watch.raw(text.slice(7, 60));
  s.transport.watch.raw(text.slice(60));
  await flush();
  t.deepEqual(s.calls, ['add default/c@11', 'add default/d@12']);
  s.informer.stop();
  await s.done;
});

test('bookmarks move the resourceVersion without calling handlers; the next watch starts there', async (t) => {
  const s = await start();
  s.calls.length = 0;
  s.transport.watch.send({ type: 'BOOKMARK', object: { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { resourceVersion: '500' } } });
  await flush();
  t.deepEqual(s.calls, []);
  t.is(s.informer.lastSyncResourceVersion(), '500');
  t.is(s.informer.stats().bookmarks, 1);
  s.transport.watch.end(); // the server's timeout
  await flush();
  t.is(s.transport.watches.length, 2, 'watches again at once, no backoff');
  t.is(s.transport.watch.query.get('resourceVersion'), '500');
  t.is(s.informer.stats().reconnects, 0);
  t.deepEqual(s.problems, []);
  s.informer.stop();
  await s.done;
});

for (const how of ['HTTP 410 on the watch request', 'ERROR event with code 410'] as const) {
  test(`410 Gone (${how}): relists and emits only the differences`, async (t) => {
    const s = await start({ list: [page('10', [dep('a', '5'), dep('b', '6'), dep('c', '7')])] });
    s.calls.length = 0;
    s.transport.listReplies.push(page('40', [dep('a', '5'), dep('b', '30'), dep('d', '31')]));
    const gone = status(410, 'Expired', 'too old resource version: 10 (20)');
    if (how === 'ERROR event with code 410') {
      s.transport.watch.send({ type: 'ERROR', object: gone });
    } else {
      // The server closes the watch normally (after a while); the next watch request gets 410.
      s.transport.watchReplies.push({ status: 410, body: gone });
      s.clock.step(5_000);
      s.transport.watch.end();
    }
    await flush(10);
    t.deepEqual(s.calls.sort(), ['add default/d@31', 'delete default/c@7 unknown', 'update default/b@6 -> default/b@30']);
    t.deepEqual(s.informer.store.listKeys().sort(), ['default/a', 'default/b', 'default/d']);
    t.is(s.informer.stats().relists, 1);
    t.is(s.transport.watch.query.get('resourceVersion'), '40', 'watches from the new list');
    t.like(s.problems.at(-1), { phase: 'watch', action: 'relist', delayMs: 0 });
    t.regex(s.problems.at(-1)!.error.message, /too old resource version/);
    s.informer.stop();
    await s.done;
  });
}

test('failures reconnect with backoff 800 ms doubling to 30 s, from the last resourceVersion', async (t) => {
  const s = await start();
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    const watchesBefore = s.transport.watchPaths.length;
    // Alternate the kinds of failure: reset, refused (ConfigError from the transport), 500, 401.
    const kind = i % 4;
    if (kind === 0) s.transport.watch.fail();
    else {
      // The server closes the current watch normally a while later; the next watch request fails.
      s.clock.step(5_000);
      s.transport.watchReplies.push(
        kind === 1 ? new ConfigError('unable to connect to the server fake:443: connection refused') : kind === 2 ? { status: 500, body: status(500, 'InternalError', 'etcd down') } : { status: 401, body: status(401, 'Unauthorized', 'Unauthorized') },
      );
      s.transport.watch.end();
    }
    await flush();
    const problem = s.problems.at(-1)!;
    t.is(problem.action, 'reconnect');
    delays.push(problem.delayMs);
    t.is(s.transport.watchPaths.length, watchesBefore + (kind === 0 ? 0 : 1), 'no watch before the delay');
    s.clock.step(problem.delayMs - 1);
    await flush();
    t.is(s.transport.watchPaths.length, watchesBefore + (kind === 0 ? 0 : 1));
    s.clock.step(1);
    await flush();
    t.is(s.transport.watchPaths.length, watchesBefore + (kind === 0 ? 1 : 2), 'watches again after the delay');
  }
  t.deepEqual(delays, [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  t.is(s.informer.stats().reconnects, 8);
  t.true(s.transport.watchPaths.every((p) => new URLSearchParams(p.split('?')[1]).get('resourceVersion') === '10'));
  t.is(s.informer.stats().lists, 1, 'no relist for these failures');
  s.informer.stop();
  await s.done;
});

test('the backoff starts again at 800 ms after a watch that worked for 2 minutes', async (t) => {
  const s = await start();
  s.transport.watch.fail();
  await flush();
  s.clock.step(800);
  await flush();
  s.transport.watch.fail();
  await flush();
  t.is(s.problems.at(-1)!.delayMs, 1600);
  s.clock.step(1600);
  await flush();
  // A healthy watch: bookmarks every minute for 3 minutes.
  for (let i = 0; i < 3; i++) {
    s.clock.step(60_000);
    s.transport.watch.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(100 + i) } } });
    await flush();
  }
  s.transport.watch.fail();
  await flush();
  t.is(s.problems.at(-1)!.delayMs, 800);
  s.informer.stop();
  await s.done;
});

test('jitter adds up to 20% to each delay', async (t) => {
  const transport = new FakeTransport();
  transport.listReplies.push(page('1', []));
  const problems: InformerProblem[] = [];
  const clock = new FakeClock(0);
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, deployments), clock, random: () => 0.5, onProblem: (p) => problems.push(p) });
  void informer.run();
  await flush();
  transport.watch.fail();
  await flush();
  t.is(problems[0]!.delayMs, 880);
  informer.stop();
});

test('watchdog: a watch silent for too long is restarted; bookmarks keep it alive', async (t) => {
  const s = await start({ watchdogMs: 120_000 });
  const first = s.transport.watch;
  // Bookmarks every 60 s: no restart.
  for (let i = 0; i < 4; i++) {
    s.clock.step(60_000);
    first.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(20 + i) } } });
    await flush();
  }
  t.is(s.transport.watches.length, 1);
  t.false(first.closed);
  // Then silence.
  s.clock.step(119_999);
  await flush();
  t.is(s.transport.watches.length, 1);
  s.clock.step(1);
  await flush();
  t.true(first.closed, 'the stalled watch was aborted');
  t.like(s.problems.at(-1), { phase: 'watch', action: 'reconnect', delayMs: 800 });
  t.regex(s.problems.at(-1)!.error.message, /delivered nothing for 120s/);
  s.clock.step(800);
  await flush();
  t.is(s.transport.watches.length, 2);
  t.is(s.transport.watch.query.get('resourceVersion'), '23');
  t.is(s.informer.stats().watchdogRestarts, 1);
  s.informer.stop();
  await s.done;
});

test('watchdog also covers a watch request that never gets an answer', async (t) => {
  const transport = new FakeTransport();
  transport.listReplies.push(page('1', []));
  const clock = new FakeClock(0);
  const problems: InformerProblem[] = [];
  let hung = 0;
  const lw = createListWatch(transport, deployments);
  const informer = createInformer({
    watchList: false,
    listWatch: {
      ...lw,
      list: (signal) => lw.list(signal),
      // Hangs until aborted, like a frozen API server.
      watch: (_rv, _timeout, signal) =>
        new Promise<never>((_resolve, reject) => {
          hung++;
          signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
        }),
    },
    clock,
    random: () => 0,
    onProblem: (p) => problems.push(p),
  });
  void informer.run();
  await flush();
  t.is(hung, 1);
  clock.step(120_000);
  await flush();
  t.is(problems.length, 1);
  t.regex(problems[0]!.error.message, /delivered nothing/);
  clock.step(800);
  await flush();
  t.is(hung, 2);
  informer.stop();
});

test('a failed list is retried with backoff; nothing is synced meanwhile', async (t) => {
  const transport = new FakeTransport();
  transport.listReplies.push({ status: 503, body: status(503, 'ServiceUnavailable', 'apiserver starting') }, new ConfigError('unable to connect'), page('3', [dep('a', '1')]));
  const clock = new FakeClock(0);
  const problems: InformerProblem[] = [];
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, deployments, { namespace: 'default' }), clock, random: () => 0, onProblem: (p) => problems.push(p) });
  const { calls, handler } = recorder();
  informer.addEventHandler(handler);
  void informer.run();
  await flush();
  t.false(informer.hasSynced());
  t.deepEqual(problems.map((p) => [p.phase, p.action, p.delayMs]), [['list', 'retry-list', 800]]);
  t.regex(problems[0]!.error.message, /apiserver starting/);
  clock.step(800);
  await flush();
  t.deepEqual(problems.map((p) => p.delayMs), [800, 1600]);
  clock.step(1600);
  await flush();
  t.true(informer.hasSynced());
  t.deepEqual(calls, ['add default/a@1 initial']);
  t.is(informer.stats().relists, 0, 'retries of the first list are not relists');
  informer.stop();
});

test('a list that hangs is aborted after the list timeout and retried', async (t) => {
  const clock = new FakeClock(0);
  const problems: InformerProblem[] = [];
  let lists = 0;
  const lw = createListWatch(new FakeTransport(), deployments);
  const informer = createInformer({
    watchList: false,
    listWatch: {
      ...lw,
      list: (signal) =>
        new Promise<never>((_resolve, reject) => {
          lists++;
          signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        }),
    },
    clock,
    random: () => 0,
    listTimeoutMs: 60_000,
    onProblem: (p) => problems.push(p),
  });
  void informer.run();
  await flush();
  clock.step(60_000);
  await flush();
  t.regex(problems[0]!.error.message, /did not finish within 60s/);
  clock.step(800);
  await flush();
  t.is(lists, 2);
  informer.stop();
});

test('a malformed line or a watch that closes at once counts as a failure', async (t) => {
  const s = await start();
  s.transport.watch.raw('{"type":"ADDED","obj\n');
  await flush();
  t.like(s.problems.at(-1), { action: 'reconnect', delayMs: 800 });
  t.regex(s.problems.at(-1)!.error.message, /malformed watch event/);
  s.clock.step(800);
  await flush();
  s.transport.watch.end(); // no events, no time passed
  await flush();
  t.like(s.problems.at(-1), { action: 'reconnect', delayMs: 1600 });
  t.regex(s.problems.at(-1)!.error.message, /very short watch/);
  s.informer.stop();
  await s.done;
});

test('an ERROR event other than 410 reconnects with backoff', async (t) => {
  const s = await start();
  s.transport.watch.send({ type: 'ERROR', object: status(500, 'InternalError', 'etcdserver: request timed out') });
  await flush();
  t.like(s.problems.at(-1), { phase: 'watch', action: 'reconnect', delayMs: 800 });
  t.regex(s.problems.at(-1)!.error.message, /etcdserver/);
  s.informer.stop();
  await s.done;
});

test('resync replays every cached object as an update, every period', async (t) => {
  const s = await start({ resyncMs: 30_000 });
  s.calls.length = 0;
  s.clock.step(30_000);
  t.deepEqual(s.calls, ['resync default/a@5', 'resync default/b@6']);
  s.clock.step(30_000);
  t.is(s.calls.length, 4);
  t.is(s.informer.stats().resyncs, 2);
  s.informer.stop();
  s.clock.step(30_000);
  t.is(s.calls.length, 4, 'no resync after stop');
  await s.done;
});

test('a handler that throws is reported; the other handlers still get the event', async (t) => {
  const s = await start();
  const seen: string[] = [];
  s.informer.addEventHandler({ onAdd: () => { throw new Error('boom'); } });
  s.informer.addEventHandler({ onAdd: (o) => seen.push(o.metadata!.name!) });
  s.problems.length = 0;
  s.transport.watch.send({ type: 'ADDED', object: dep('c', '11') });
  await flush();
  t.true(seen.includes('c'));
  t.like(s.problems[0], { phase: 'handler', action: 'continue' });
  s.informer.stop();
  await s.done;
});

test('a handler added after sync first gets an add for every cached object; remove() stops delivery', async (t) => {
  const s = await start();
  const { calls, handler } = recorder();
  const reg = s.informer.addEventHandler(handler);
  t.deepEqual(calls, ['add default/a@5 initial', 'add default/b@6 initial']);
  reg.remove();
  s.transport.watch.send({ type: 'ADDED', object: dep('c', '11') });
  await flush();
  t.is(calls.length, 2);
  s.informer.stop();
  await s.done;
});

test('cluster-scoped objects are keyed by name; all namespaces omits the namespace from the path', async (t) => {
  const transport = new FakeTransport();
  transport.listReplies.push({ body: { kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [{ metadata: { name: 'kube-system', resourceVersion: '1' } }] } });
  const namespaces: ApiResource = { ...deployments, group: '', resource: 'namespaces', kind: 'Namespace', namespaced: false };
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, namespaces, { namespace: 'default', labelSelector: 'a=b' }), clock: new FakeClock() });
  t.is(informer.description, 'namespaces');
  void informer.run();
  await flush();
  t.deepEqual(informer.store.listKeys(), ['kube-system']);
  t.is(transport.listPaths[0], '/api/v1/namespaces?limit=500&labelSelector=a%3Db');
  t.is(transport.watch.query.get('labelSelector'), 'a=b');
  informer.stop();
});

test('stop() ends run; waitForSync answers false when stopped before the first sync', async (t) => {
  const transport = new FakeTransport();
  transport.listReplies.push(new ConfigError('unable to connect'));
  const controller = new AbortController();
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, deployments), clock: new FakeClock(), random: () => 0 });
  const done = informer.run(controller.signal);
  const synced = informer.waitForSync();
  await flush();
  controller.abort();
  await done;
  t.false(await synced);
  t.false(informer.hasSynced());
});

test('stop() during a watch closes the stream and reports nothing', async (t) => {
  const s = await start();
  const w = s.transport.watch;
  s.informer.stop();
  await s.done;
  t.true(w.closed);
  t.deepEqual(s.problems, []);
  t.is(s.transport.watches.length, 1);
});

test('a watch stream that breaks says the connection was lost', async (t) => {
  const s = await start();
  s.transport.watch.fail();
  await flush();
  t.is(s.problems.at(-1)!.error.message, 'connection to fake:443 lost: connection reset by peer');
  s.informer.stop();
  await s.done;
});
