/**
 * The initial state from a watch-list (KEP 3157, client-go 1.36's default): one watch with
 * sendInitialEvents=true whose ADDED events up to the initial-events-end bookmark are the state,
 * then the changes on the same watch; a LIST when the server cannot.
 */
import test from 'ava';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import { createInformer, type Informer } from '../../../shared/informer/informer.ts';
import { createListWatch } from '../../../shared/informer/list-watch.ts';
import type { InformerObject } from '../../../shared/listwatch/object-key.ts';
import type { InformerProblem } from '../../../shared/informer/reflector.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { FakeTransport, flush, page, status } from './fake-transport.ts';

const configmaps: ApiResource = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  singular: 'configmap',
  shortNames: ['cm'],
  categories: [],
  namespaced: true,
  verbs: ['list', 'watch'],
  subresources: [],
  preferredVersion: true,
  groupPriority: 1,
  versionPriority: 0,
};

const cm = (name: string, rv: string): InformerObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: rv } });
const endOfInitialEvents = (rv: string) => ({ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } } } });

interface Setup {
  transport: FakeTransport;
  informer: Informer<InformerObject>;
  calls: string[];
  problems: InformerProblem[];
}

async function start(prepare: (t: FakeTransport) => void = () => {}): Promise<Setup> {
  const transport = new FakeTransport();
  prepare(transport);
  const problems: InformerProblem[] = [];
  const informer = createInformer({ listWatch: createListWatch(transport, configmaps, { namespace: 'default' }), clock: new FakeClock(0), random: () => 0, onProblem: (p) => problems.push(p) });
  const calls: string[] = [];
  const name = (o: InformerObject) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  informer.addEventHandler({
    onAdd: (o, initial) => calls.push(`add ${name(o)}${initial ? ' initial' : ''}`),
    onUpdate: (a, b) => calls.push(`update ${name(a)} -> ${name(b)}`),
    onDelete: (o) => calls.push(`delete ${name(o)}`),
  });
  void informer.run();
  await flush();
  return { transport, informer, calls, problems };
}

test('the state streams on one watch: nothing is handled before the end bookmark, then every object at once; changes follow on the same watch', async (t) => {
  const s = await start();
  t.deepEqual(s.transport.listPaths, [], 'no LIST');
  const q = s.transport.watch.query;
  t.is(q.get('watch'), '1');
  t.is(q.get('sendInitialEvents'), 'true');
  t.is(q.get('resourceVersionMatch'), 'NotOlderThan');
  t.is(q.get('resourceVersion'), null, 'the most recent state');
  t.is(q.get('allowWatchBookmarks'), 'true');
  t.is(q.get('timeoutSeconds'), '300');

  s.transport.watch.send({ type: 'ADDED', object: cm('a', '5') }, { type: 'ADDED', object: cm('b', '6') });
  await flush();
  t.deepEqual(s.calls, []);
  t.false(s.informer.hasSynced());

  s.transport.watch.send(endOfInitialEvents('10'));
  await flush();
  t.deepEqual(s.calls, ['add a@5 initial', 'add b@6 initial']);
  t.true(s.informer.hasSynced());
  t.is(s.informer.lastSyncResourceVersion(), '10');
  t.like(s.informer.stats(), { lists: 1, watchLists: 1, watches: 1, events: 0 });

  s.transport.watch.send({ type: 'MODIFIED', object: cm('a', '11') }, { type: 'DELETED', object: cm('b', '12') });
  await flush();
  t.deepEqual(s.calls.slice(2), ['update a@5 -> a@11', 'delete b@12']);
  t.is(s.transport.watches.length, 1, 'the same watch goes on');
  t.is(s.informer.lastSyncResourceVersion(), '12');

  // The server ends that watch: an ordinary watch from the last resourceVersion follows.
  s.transport.watch.end();
  await flush();
  t.is(s.transport.watches.length, 2);
  t.is(s.transport.watch.query.get('sendInitialEvents'), null);
  t.is(s.transport.watch.query.get('resourceVersion'), '12');
  s.informer.stop();
});

test('a server that refuses the watch-list is listed instead; no problem is reported for it', async (t) => {
  const s = await start((transport) => {
    transport.watchReplies.push({ status: 422, body: status(422, 'Invalid', 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled') });
    transport.listReplies.push(page('20', [cm('a', '15')]));
  });
  t.deepEqual(s.calls, ['add a@15 initial']);
  t.true(s.informer.hasSynced());
  t.is(s.transport.listPaths.length, 1);
  t.is(s.transport.watch.query.get('resourceVersion'), '20');
  t.is(s.transport.watch.query.get('sendInitialEvents'), null);
  t.like(s.informer.stats(), { lists: 1, watchLists: 0 });
  t.deepEqual(s.problems, []);
  s.informer.stop();
});

test('a watch-list cut before its end bookmark: nothing half-synced, the state comes from a LIST', async (t) => {
  const s = await start((transport) => transport.listReplies.push(page('30', [cm('a', '25'), cm('c', '26')])));
  s.transport.watch.send({ type: 'ADDED', object: cm('a', '25') });
  s.transport.watch.fail();
  await flush();
  t.deepEqual(s.calls, ['add a@25 initial', 'add c@26 initial']);
  t.is(s.transport.listPaths.length, 1);
  t.like(s.informer.stats(), { lists: 1, watchLists: 0 });
  s.informer.stop();
});

test('410 Gone later: a new watch-list from the most recent state, only the differences reach the handlers', async (t) => {
  const s = await start();
  s.transport.watch.send({ type: 'ADDED', object: cm('a', '5') }, { type: 'ADDED', object: cm('b', '6') }, endOfInitialEvents('10'));
  await flush();
  s.calls.length = 0;
  s.transport.watch.send({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 10 (40)') });
  await flush();
  t.is(s.transport.watches.length, 2);
  t.is(s.transport.watch.query.get('sendInitialEvents'), 'true');
  t.is(s.transport.watch.query.get('resourceVersion'), null);
  s.transport.watch.send({ type: 'ADDED', object: cm('a', '5') }, { type: 'ADDED', object: cm('c', '41') }, endOfInitialEvents('42'));
  await flush();
  t.deepEqual(s.calls, ['add c@41', 'delete b@6']);
  t.like(s.informer.stats(), { lists: 2, watchLists: 2, relists: 1 });
  t.is(s.problems.map((p) => p.action).join(), 'relist');
  s.informer.stop();
});
