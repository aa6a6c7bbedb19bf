import test from 'ava';
import type { ApiResource } from '../../../../shared/discovery/api-resource.ts';
import { createInformer } from '../../../../shared/informer/informer.ts';
import { createListWatch } from '../../../../shared/informer/list-watch.ts';
import type { InformerObject } from '../../../../shared/listwatch/object-key.ts';
import { createRateLimitingQueue } from '../../../../shared/workqueue/rate-limiting-queue.ts';
import { Controller, type ControllerOptions } from '../../../../plugins/watchq/controller.ts';
import { failOnHandler, type Handler, type HandlerResult, type WorkItem } from '../../../../plugins/watchq/handler.ts';
import { HookFailure } from '../../../../plugins/watchq/hook-result.ts';
import { UsageError } from '../../../../shared/errors.ts';
import type { Reporter } from '../../../../plugins/watchq/output.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { FakeTransport, flush, page } from '../../../shared/informer/fake-transport.ts';

const deployments: ApiResource = {
  group: 'apps', version: 'v1', resource: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true,
  shortNames: [], categories: [], verbs: ['list', 'watch'], subresources: [], preferredVersion: true, groupPriority: 1, versionPriority: 0,
};

function dep(name: string, rv: string): InformerObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', resourceVersion: rv }, spec: { replicas: 1 } };
}

/** A reporter that keeps `event key attempt` lines. */
function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    synced: (n) => lines.push(`synced ${n}`),
    handled: (item) => lines.push(`${item.event} ${item.key} ${item.attempt}`),
    retry: (item, retry, error) => lines.push(`retry ${item.key} ${item.attempt} retry=${retry} ${error.message}`),
    drop: (item, error) => lines.push(`drop ${item.key} ${item.attempt} ${error.message}`),
    problem: (p) => lines.push(`problem ${p.error.message}`),
    info: () => {},
    summary: () => {},
  };
}

/** A handler whose runs the test records and may hold open. */
function controllableHandler(): Handler & { runs: WorkItem[]; hold: Set<string>; release(key: string): void; running: Map<string, number> } {
  const waiting = new Map<string, Array<() => void>>();
  const running = new Map<string, number>();
  const h = {
    runs: [] as WorkItem[],
    hold: new Set<string>(),
    running,
    release(key: string) {
      for (const resolve of waiting.get(key) ?? []) resolve();
      waiting.delete(key);
    },
    async handle(item: WorkItem, signal: AbortSignal) {
      h.runs.push(item);
      running.set(item.key, (running.get(item.key) ?? 0) + 1);
      if ((running.get(item.key) ?? 0) > 1) throw new Error(`two workers on ${item.key}`);
      try {
        if (h.hold.has(item.key)) {
          await new Promise<void>((resolve) => {
            waiting.set(item.key, [...(waiting.get(item.key) ?? []), resolve]);
            signal.addEventListener('abort', () => resolve(), { once: true });
          });
        }
      } finally {
        running.set(item.key, running.get(item.key)! - 1);
      }
    },
  };
  return h;
}

function setup(
  items: InformerObject[],
  handler: Handler,
  options: { workers?: number; maxRetries?: number; drainTimeoutMs?: number; resyncMs?: number } & Pick<ControllerOptions, 'onFatal' | 'once' | 'changes' | 'finalizer' | 'record'> = {},
) {
  const transport = new FakeTransport();
  transport.listReplies.push(page('10', items));
  const clock = new FakeClock(0);
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, deployments, { namespace: 'default' }), clock, random: () => 0, resyncMs: options.resyncMs ?? 0 });
  const queue = createRateLimitingQueue<string>({ clock });
  const reporter = recordingReporter();
  const controller = new Controller({
    informer,
    queue,
    handler,
    reporter,
    kind: 'Deployment',
    workers: options.workers ?? 1,
    maxRetries: options.maxRetries ?? 5,
    drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
    ...(options.onFatal ? { onFatal: options.onFatal } : {}),
    once: options.once ?? false,
    ...(options.changes ? { changes: options.changes } : {}),
    finalizer: options.finalizer,
    record: options.record,
  });
  const stopper = new AbortController();
  const done = controller.run(stopper.signal);
  return { transport, clock, informer, queue, reporter, controller, stopper, done };
}

test("the seed's scenario: others synced once; test-deployment tried 6 times with 5, 10, 20, 40, 80 ms delays, then dropped", async (t) => {
  const inner = controllableHandler();
  const s = setup([dep('demo-1', '1'), dep('test-deployment', '2'), dep('demo-2', '3')], failOnHandler(/test-deployment/, inner));
  await flush();
  const attemptsAt: number[] = [];
  const record = () => {
    const n = s.reporter.lines.filter((l) => l.startsWith('retry default/test-deployment') || l.startsWith('drop default/test-deployment')).length;
    while (attemptsAt.length < n) attemptsAt.push(s.clock.now());
  };
  record();
  for (let i = 0; i < 200; i++) {
    s.clock.step(1);
    await flush(2);
    record();
  }
  const tries = s.reporter.lines.filter((l) => l.includes('default/test-deployment'));
  t.deepEqual(tries, [
    'retry default/test-deployment 1 retry=0 simulated error for deployment test-deployment',
    'retry default/test-deployment 2 retry=1 simulated error for deployment test-deployment',
    'retry default/test-deployment 3 retry=2 simulated error for deployment test-deployment',
    'retry default/test-deployment 4 retry=3 simulated error for deployment test-deployment',
    'retry default/test-deployment 5 retry=4 simulated error for deployment test-deployment',
    'drop default/test-deployment 6 simulated error for deployment test-deployment',
  ]);
  t.deepEqual(attemptsAt.map((a, i) => (i === 0 ? 0 : a - attemptsAt[i - 1]!)), [0, 5, 10, 20, 40, 80]);
  t.deepEqual(s.reporter.lines.filter((l) => l.startsWith('sync ')), ['sync default/demo-1 1', 'sync default/demo-2 1']);
  t.is(s.reporter.lines[0], 'synced 3');
  t.deepEqual(inner.runs.map((r) => r.key), ['default/demo-1', 'default/demo-2'], 'fail-on never reaches the inner handler');
  s.stopper.abort();
  t.deepEqual(await s.done, { synced: 2, deleted: 0, retried: 5, dropped: 1 });
});

test('--max-retries 0 drops at the first failure', async (t) => {
  const s = setup([dep('bad', '1')], failOnHandler(/bad/), { maxRetries: 0 });
  await flush();
  t.deepEqual(s.reporter.lines, ['synced 1', 'drop default/bad 1 simulated error for deployment bad']);
  s.stopper.abort();
  await s.done;
});

test('20 updates while the handler runs collapse into one more run', async (t) => {
  const handler = controllableHandler();
  handler.hold.add('default/busy');
  const s = setup([dep('busy', '1')], handler);
  await flush();
  t.is(handler.runs.length, 1);
  for (let i = 0; i < 20; i++) s.transport.watch.send({ type: 'MODIFIED', object: dep('busy', String(100 + i)) });
  await flush();
  t.is(handler.runs.length, 1, 'never two runs of one key at once');
  handler.hold.delete('default/busy');
  handler.release('default/busy');
  await flush();
  t.is(handler.runs.length, 2);
  t.is(handler.runs[1]!.object?.metadata?.resourceVersion, '119', 'the second run reads the latest cached object');
  s.stopper.abort();
  await s.done;
});

test('a delete runs the handler with the last known object; a success is reported as deleted', async (t) => {
  const handler = controllableHandler();
  const s = setup([dep('x', '1')], handler);
  await flush();
  s.transport.watch.send({ type: 'DELETED', object: dep('x', '7') });
  await flush();
  t.like(handler.runs[1], { key: 'default/x', event: 'delete', attempt: 1 });
  t.is(handler.runs[1]!.object?.metadata?.resourceVersion, '7');
  t.deepEqual(s.reporter.lines, ['synced 1', 'sync default/x 1', 'delete default/x 1']);
  s.stopper.abort();
  t.like(await s.done, { synced: 1, deleted: 1 });
});

test('several workers handle different keys at once, never one key twice', async (t) => {
  const handler = controllableHandler();
  for (const k of ['a', 'b', 'c']) handler.hold.add(`default/${k}`);
  const s = setup([dep('a', '1'), dep('b', '2'), dep('c', '3')], handler, { workers: 2 });
  await flush();
  t.deepEqual(handler.runs.map((r) => r.key), ['default/a', 'default/b']);
  s.transport.watch.send({ type: 'MODIFIED', object: dep('a', '9') });
  await flush();
  t.is(handler.runs.length, 2);
  handler.release('default/a');
  await flush();
  t.deepEqual(handler.runs.map((r) => r.key), ['default/a', 'default/b', 'default/c']);
  for (const k of ['a', 'b', 'c']) handler.hold.delete(`default/${k}`);
  handler.release('default/b');
  handler.release('default/c');
  await flush();
  t.is(handler.runs.filter((r) => r.key === 'default/a').length, 2);
  s.stopper.abort();
  await s.done;
});

test('stopping lets the running handler finish and takes no more keys', async (t) => {
  const handler = controllableHandler();
  handler.hold.add('default/a');
  const s = setup([dep('a', '1'), dep('b', '2')], handler);
  await flush();
  s.stopper.abort();
  let finished = false;
  void s.done.then(() => (finished = true));
  await flush();
  t.false(finished, 'waits for the running handler');
  handler.release('default/a');
  const summary = await s.done;
  t.deepEqual(handler.runs.map((r) => r.key), ['default/a'], 'b was queued but not started');
  t.deepEqual(summary, { synced: 1, deleted: 0, retried: 0, dropped: 0 });
});

test('a handler still running after the drain timeout is told to stop', async (t) => {
  const handler = controllableHandler();
  handler.hold.add('default/a');
  const s = setup([dep('a', '1')], handler, { drainTimeoutMs: 20 });
  await flush();
  s.stopper.abort();
  await s.done;
  t.is(handler.runs.length, 1);
  t.is(handler.running.get('default/a'), 0);
});

test('stopped before the first sync: no workers, empty summary', async (t) => {
  const transport = new FakeTransport();
  transport.listReplies.push(new Error('connection refused'));
  const clock = new FakeClock(0);
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, deployments), clock, random: () => 0 });
  const reporter = recordingReporter();
  const controller = new Controller({ informer, queue: createRateLimitingQueue<string>({ clock }), handler: controllableHandler(), reporter, kind: 'Deployment', workers: 1, maxRetries: 5 });
  const stopper = new AbortController();
  const done = controller.run(stopper.signal);
  await flush();
  stopper.abort();
  t.deepEqual(await done, { synced: 0, deleted: 0, retried: 0, dropped: 0 });
  t.deepEqual(reporter.lines, []);
});

/** Steps the fake clock `ms` one millisecond at a time, letting the workers run. */
async function advance(s: { clock: FakeClock }, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    s.clock.step(1);
    await flush(2);
  }
}

/** A handler answering each run with the next of `answers` (then succeeding), recording the clock. */
function scripted(clock: () => number, answers: Array<HandlerResult | Error>): Handler & { at: Array<[number, number]> } {
  const h = {
    at: [] as Array<[number, number]>,
    async handle(item: WorkItem): Promise<HandlerResult | void> {
      h.at.push([clock(), item.attempt]);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return h;
}

test('requeue-after on success: the key runs again after exactly that long, its retries not counted', async (t) => {
  let now = () => 0;
  const h = scripted(() => now(), [{ requeueAfterMs: 1000 }, {}]);
  const s = setup([dep('poll', '1')], h);
  now = () => s.clock.now();
  await flush();
  await advance(s, 999);
  t.is(h.at.length, 1, 'not before the delay');
  await advance(s, 1);
  t.deepEqual(h.at, [[0, 1], [1000, 1]]);
  t.deepEqual(s.reporter.lines, ['synced 1', 'sync default/poll 1', 'sync default/poll 1']);
  s.stopper.abort();
  await s.done;
});

test('requeue-after on a failure: retried after exactly that long instead of the backoff, attempts not counted toward --max-retries', async (t) => {
  let now = () => 0;
  const failing = () => new HookFailure('exec "h" exited with status 1', { kind: 'requeue-after', ms: 3000 });
  const h = scripted(() => now(), [failing(), failing(), failing(), {}]);
  const s = setup([dep('later', '1')], h, { maxRetries: 1 });
  now = () => s.clock.now();
  await flush();
  await advance(s, 9000);
  t.deepEqual(h.at, [[0, 1], [3000, 1], [6000, 1], [9000, 1]]);
  t.is(s.reporter.lines.filter((l) => l.startsWith('drop')).length, 0);
  t.is(s.reporter.lines.at(-1), 'sync default/later 1');
  s.stopper.abort();
  await s.done;
});

test('permanent: dropped at the first failure, whatever --max-retries says, with the hook\'s message', async (t) => {
  const h = scripted(() => 0, [new HookFailure('exec "h" exited with status 1', { kind: 'permanent', message: 'bad config' })]);
  const s = setup([dep('broken', '1')], h, { maxRetries: 5 });
  await flush();
  await advance(s, 100);
  t.deepEqual(s.reporter.lines, ['synced 1', 'drop default/broken 1 exec "h" exited with status 1: permanent: bad config']);
  s.stopper.abort();
  t.deepEqual(await s.done, { synced: 0, deleted: 0, retried: 0, dropped: 1 });
});

test('a hook breaking the result contract stops watchq (onFatal), not retried', async (t) => {
  const fatal: Error[] = [];
  const h = scripted(() => 0, [new UsageError('--exec "h" wrote "soon" to WATCHQ_RESULT: not a result watchq knows')]);
  const s = setup([dep('odd', '1')], h, { onFatal: (e) => fatal.push(e) });
  await flush();
  await advance(s, 100);
  t.is(fatal.length, 1);
  t.is(h.at.length, 1);
  t.false(s.reporter.lines.some((l) => l.startsWith('retry')));
  s.stopper.abort();
  await s.done;
});

test('what happened, as the hook sees it: sync for the first list, add for later objects, update with the last handled object, resync for the same one, delete', async (t) => {
  const handler = controllableHandler();
  const s = setup([dep('first', '1')], handler, { resyncMs: 1000 });
  await flush();
  s.transport.watch.send({ type: 'ADDED', object: dep('later', '2') });
  await flush();
  s.transport.watch.send({ type: 'MODIFIED', object: dep('first', '3') });
  await flush();
  // A wake-up for the version already handled, not asked for: nothing.
  s.queue.add('default/first');
  await flush();
  // The same versions again, asked for (--resync; requeue-after is tested below).
  s.clock.step(1000);
  await flush();
  s.transport.watch.send({ type: 'DELETED', object: dep('later', '4') });
  await flush();
  t.deepEqual(
    handler.runs.map((r) => [r.key, r.change, r.old?.metadata?.resourceVersion]),
    [
      ['default/first', 'sync', undefined],
      ['default/later', 'add', undefined],
      ['default/first', 'update', '1'],
      ['default/first', 'resync', undefined],
      ['default/later', 'resync', undefined],
      ['default/later', 'delete', undefined],
    ],
  );
  s.stopper.abort();
  await s.done;
});

test('a first run that failed is still the first: an update before it succeeds is its sync, and update compares with the last success', async (t) => {
  let fail = true;
  const runs: WorkItem[] = [];
  const handler: Handler = {
    async handle(item) {
      runs.push(item);
      if (fail) throw new Error('not yet');
    },
  };
  const s = setup([dep('flaky', '1')], handler);
  await flush();
  s.transport.watch.send({ type: 'MODIFIED', object: dep('flaky', '2') });
  fail = false;
  await advance(s, 20);
  s.transport.watch.send({ type: 'MODIFIED', object: dep('flaky', '3') });
  await advance(s, 20);
  // The failed run's rate-limited retry still comes (client-go's queue does not cancel it), for the version already handled: it runs nothing.
  t.deepEqual(runs.map((r) => [r.change, r.old?.metadata?.resourceVersion]), [['sync', undefined], ['sync', undefined], ['update', '2']]);
  s.stopper.abort();
  await s.done;
});

test('--changes: an update that leaves the template\'s view alone runs nothing; one that changes it runs, compared with the last success', async (t) => {
  const handler = controllableHandler();
  const { transport, stopper, done } = setup([dep('web', '1')], handler, { changes: (o) => JSON.stringify((o as { spec?: unknown }).spec) });
  await flush();
  const annotated = (rv: string, replicas: number) => ({ ...dep('web', rv), metadata: { name: 'web', namespace: 'default', resourceVersion: rv, annotations: { seen: rv } }, spec: { replicas } });
  transport.watch.send({ type: 'MODIFIED', object: annotated('2', 1) });
  await flush();
  transport.watch.send({ type: 'MODIFIED', object: annotated('3', 1) });
  await flush();
  t.is(handler.runs.length, 1, 'annotations alone change nothing --changes looks at');
  transport.watch.send({ type: 'MODIFIED', object: annotated('4', 2) });
  await flush();
  t.deepEqual(handler.runs.map((r) => [r.change, r.old?.metadata?.resourceVersion]), [['sync', undefined], ['update', '1']]);
  stopper.abort();
  await done;
});

/** A finalizer client that records its calls and answers with the next resourceVersion. */
function fakeFinalizer(name = 'example.com/hold') {
  const calls: string[] = [];
  let fail: Error | undefined;
  return {
    calls,
    failNext: (error: Error) => (fail = error),
    client: {
      name,
      async add<T extends InformerObject>(object: T): Promise<T> {
        calls.push(`add ${object.metadata?.name} ${object.metadata?.resourceVersion}`);
        if (fail) throw [fail, (fail = undefined)][0];
        return { ...object, metadata: { ...object.metadata, resourceVersion: `${object.metadata?.resourceVersion}+f`, finalizers: [name], managedFields: [{}] } };
      },
      async remove(object: InformerObject): Promise<void> {
        calls.push(`remove ${object.metadata?.name}`);
      },
    },
  };
}

test('--finalizer: added before the first run (the hook sees it, its echo runs nothing); a deletion runs finalize then removes it; the disappearance runs nothing more', async (t) => {
  const handler = controllableHandler();
  const fin = fakeFinalizer();
  const { transport, reporter, stopper, done } = setup([dep('web', '1')], handler, { finalizer: fin.client });
  await flush();
  const held = (rv: string, extra: Record<string, unknown> = {}) => ({ ...dep('web', rv), metadata: { name: 'web', namespace: 'default', resourceVersion: rv, finalizers: ['example.com/hold'], ...extra } });
  t.deepEqual(handler.runs.map((r) => [r.change, r.object?.metadata?.finalizers, r.object?.metadata?.managedFields]), [['sync', ['example.com/hold'], undefined]]);
  transport.watch.send({ type: 'MODIFIED', object: held('1+f') });
  await flush();
  t.is(handler.runs.length, 1, 'the echo of our own write');
  transport.watch.send({ type: 'MODIFIED', object: held('3', { deletionTimestamp: '2026-12-07T00:00:00Z' }) });
  await flush();
  transport.watch.send({ type: 'DELETED', object: held('4', { deletionTimestamp: '2026-12-07T00:00:00Z', finalizers: [] }) });
  await flush();
  t.deepEqual(handler.runs.map((r) => r.change), ['sync', 'finalize']);
  t.deepEqual(fin.calls, ['add web 1', 'remove web']);
  t.deepEqual(reporter.lines.slice(1), ['sync default/web 1', 'finalize default/web 1']);
  stopper.abort();
  await done;
});

test('--finalizer: an object leaving the selectors gets its delete run, then loses the finalizer; one deleted without it waits for delete; a 403 adding it is fatal', async (t) => {
  const handler = controllableHandler();
  const held = (name: string, rv: string, extra: Record<string, unknown> = {}) => ({ ...dep(name, rv), metadata: { name, namespace: 'default', resourceVersion: rv, finalizers: ['example.com/hold'], ...extra } });
  const fin = fakeFinalizer();
  const fatal: Error[] = [];
  const { transport, stopper, done } = setup([held('leaving', '1'), dep('other', '2')], handler, { finalizer: fin.client, onFatal: (e) => fatal.push(e) });
  await flush();
  t.deepEqual(fin.calls, ['add other 2'], 'one already holding it is not patched');
  transport.watch.send({ type: 'DELETED', object: held('leaving', '5') });
  await flush();
  t.deepEqual(handler.runs.map((r) => `${r.change} ${r.key}`), ['sync default/leaving', 'sync default/other', 'delete default/leaving']);
  t.deepEqual(fin.calls.slice(1), ['remove leaving']);
  // Being deleted without our finalizer (taken off by hand): nothing until it is gone.
  transport.watch.send({ type: 'MODIFIED', object: { ...dep('other', '6'), metadata: { name: 'other', namespace: 'default', resourceVersion: '6', deletionTimestamp: 'x', finalizers: ['someone/else'] } } });
  await flush();
  t.is(handler.runs.length, 3);
  const { ForbiddenError } = await import('../../../../shared/errors.ts');
  fin.failNext(new ForbiddenError('deployments.apps "new" is forbidden'));
  transport.watch.send({ type: 'ADDED', object: dep('new', '7') });
  await flush();
  t.is(fatal[0]?.message, 'deployments.apps "new" is forbidden');
  t.is(handler.runs.length, 3, 'no run without the finalizer');
  stopper.abort();
  await done;
});

test('--owns: a change to an owned object (not its first list, not its resync) runs its controller owner again as resync; other owners, kinds and UIDs run nothing', async (t) => {
  const handler = controllableHandler();
  const transport = new FakeTransport();
  const owner = { ...dep('web', '1'), metadata: { name: 'web', namespace: 'default', resourceVersion: '1', uid: 'u-web' } };
  transport.listReplies.push(page('10', [owner]));
  const secrets: ApiResource = { ...deployments, group: '', resource: 'secrets', kind: 'Secret' };
  const ownedTransport = new FakeTransport();
  const ref = (kind: string, name: string, uid: string, controller = true) => ({ apiVersion: 'apps/v1', kind, name, uid, controller });
  const secret = (name: string, rv: string, refs: unknown[]) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', resourceVersion: rv, ownerReferences: refs } });
  ownedTransport.listReplies.push(page('10', [secret('made', '2', [ref('Deployment', 'web', 'u-web')])]));
  const clock = new FakeClock(0);
  const informer = createInformer({ watchList: false, listWatch: createListWatch(transport, deployments, { namespace: 'default' }), clock, random: () => 0 });
  const ownedInformer = createInformer<InformerObject>({ watchList: false, listWatch: createListWatch(ownedTransport, secrets, { namespace: 'default' }), clock, random: () => 0, resyncMs: 1000 });
  const { controllerOwnerKey } = await import('../../../../shared/informer/owner-key.ts');
  const queue = createRateLimitingQueue<string>({ clock });
  const controller = new Controller({ informer, queue, handler, reporter: recordingReporter(), kind: 'Deployment', workers: 1, maxRetries: 5, owned: [{ informer: ownedInformer, ownerOf: (o) => controllerOwnerKey(o, deployments) }] });
  const stopper = new AbortController();
  const done = controller.run(stopper.signal);
  await flush();
  clock.step(1000); // the owned informer's resync
  await flush();
  t.deepEqual(handler.runs.map((r) => r.change), ['sync'], 'its first list and its resync run nothing more');
  ownedTransport.watch.send({ type: 'DELETED', object: secret('made', '3', [ref('Deployment', 'web', 'u-web')]) });
  await flush();
  for (const refs of [[ref('Deployment', 'other', 'u-other')], [ref('StatefulSet', 'web', 'u-web')], [ref('Deployment', 'web', 'u-old')], [ref('Deployment', 'web', 'u-web', false)]]) {
    ownedTransport.watch.send({ type: 'ADDED', object: secret(`stray-${handler.runs.length}-${refs[0]!.uid}-${refs[0]!.kind}-${refs[0]!.controller}`, '4', refs) });
    await flush();
  }
  t.deepEqual(handler.runs.map((r) => [r.key, r.change]), [['default/web', 'sync'], ['default/web', 'resync']]);
  stopper.abort();
  await done;
});

test('--record-handled: a sync whose object carries the record of its view runs nothing; a success writes the record; its echo runs nothing', async (t) => {
  const handler = controllableHandler();
  const annotated = (name: string, rv: string, handled?: string) => ({ ...dep(name, rv), metadata: { name, namespace: 'default', resourceVersion: rv, ...(handled ? { annotations: { handled } } : {}) } });
  const written: string[] = [];
  const view = (o: InformerObject) => `spec:${(o.spec as { replicas: number }).replicas}`;
  const record = {
    annotation: 'handled',
    matches: (o: InformerObject) => (o.metadata?.annotations as Record<string, string> | undefined)?.handled === view(o),
    write: async (o: InformerObject) => void written.push(`${o.metadata?.name} ${view(o)}`),
  };
  const { transport, stopper, done } = setup([annotated('old', '1', 'spec:1'), annotated('new', '2')], handler, { record });
  await flush();
  t.deepEqual(handler.runs.map((r) => r.key), ['default/new'], 'the object recorded as handled is not run again');
  t.deepEqual(written, ['new spec:1']);
  transport.watch.send({ type: 'MODIFIED', object: annotated('new', '3', 'spec:1') });
  await flush();
  t.is(handler.runs.length, 1, 'the echo of the record');
  transport.watch.send({ type: 'MODIFIED', object: { ...annotated('old', '4', 'spec:1'), spec: { replicas: 2 } } });
  await flush();
  t.deepEqual(handler.runs.map((r) => [r.key, r.change, r.old?.metadata?.resourceVersion]), [['default/new', 'sync', undefined], ['default/old', 'update', '1']]);
  stopper.abort();
  await done;
});

test('--once: every key handled, retries included (a requeue-after on success is not waited for), then run ends by itself; the dropped key is named', async (t) => {
  let s: ReturnType<typeof setup> | undefined;
  const runs: string[] = [];
  const handler: Handler = {
    async handle(item) {
      runs.push(`${item.key} ${item.attempt}`);
      if (item.key === 'default/bad') throw new Error('exit 1');
      if (item.key === 'default/flaky' && item.attempt === 1) throw new Error('not yet');
      return item.key === 'default/poller' ? { requeueAfterMs: 60_000 } : {};
    },
  };
  s = setup([dep('ok', '1'), dep('bad', '2'), dep('flaky', '3'), dep('poller', '4')], handler, { once: true, maxRetries: 2 });
  let ended = false;
  void s.done.then(() => (ended = true));
  await advance(s, 100);
  t.true(ended, 'ended by itself');
  t.deepEqual(runs.sort(), ['default/bad 1', 'default/bad 2', 'default/bad 3', 'default/flaky 1', 'default/flaky 2', 'default/ok 1', 'default/poller 1']);
  t.deepEqual([...s.controller.failures()], [['default/bad', 'exit 1']]);
});

test('--once with nothing to do ends at the first sync', async (t) => {
  const s = setup([], controllableHandler(), { once: true });
  await flush();
  t.deepEqual(await s.done, { synced: 0, deleted: 0, retried: 0, dropped: 0 });
});
