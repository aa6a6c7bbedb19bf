import test from 'ava';
import type { WorkItem } from '../../../../plugins/watchq/handler.ts';
import { createReporter, logTimestamp, problemMessage } from '../../../../plugins/watchq/output.ts';
import { memoryStreams } from '../../../helpers/streams.ts';

const at = new Date(2024, 10, 4, 19, 13, 16);
const deployment = (name: string, replicas: number): WorkItem => ({
  key: `default/${name}`,
  event: 'sync',
  object: { kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas } },
  attempt: 1,
  kind: 'Deployment',
});

test('Go log timestamps', (t) => {
  t.is(logTimestamp(at), '2024/11/04 19:13:16');
});

test('text: the seed lines, data on stdout, log lines with a timestamp on stderr', (t) => {
  const streams = memoryStreams();
  const r = createReporter('text', streams, 'Deployment', () => at);
  r.synced(3);
  r.handled(deployment('demo-1', 1), 1);
  r.handled({ key: 'default/nginx-7c5b', event: 'sync', object: { metadata: { name: 'nginx-7c5b' } }, attempt: 1, kind: 'Pod' }, 1);
  r.handled({ key: 'default/x', event: 'delete', object: undefined, attempt: 1, kind: 'Deployment' }, 1);
  r.handled({ key: 'node-1', event: 'sync', object: { metadata: { name: 'node-1' } }, attempt: 1, kind: 'Node' }, 1);
  const failing = { ...deployment('test-deployment', 1), attempt: 3 };
  r.retry(failing, 2, new Error('simulated error for deployment test-deployment'), 1);
  r.drop(failing, new Error('simulated error for deployment test-deployment'), 1);
  r.summary({ synced: 2, deleted: 1, retried: 5, dropped: 1 });
  t.is(
    streams.out(),
    [
      'Sync/Add/Update for Deployment demo-1, Replicas: 1',
      'Sync/Add/Update for Pod default/nginx-7c5b',
      'Deleted Deployment default/x',
      'Sync/Add/Update for Node node-1',
      '',
    ].join('\n'),
  );
  t.is(
    streams.err(),
    [
      '2024/11/04 19:13:16 Synced 3 objects',
      '2024/11/04 19:13:16 Retry 2 for key default/test-deployment: simulated error for deployment test-deployment',
      '2024/11/04 19:13:16 Dropping deployment "default/test-deployment" out of the queue: simulated error for deployment test-deployment',
      '2024/11/04 19:13:16 Summary: 2 synced, 1 deleted, 5 retried, 1 dropped',
      '',
    ].join('\n'),
  );
});

test('text, watching every namespace (-A): Deployments named namespace/name, so equal names in two namespaces differ', (t) => {
  const streams = memoryStreams();
  const r = createReporter('text', streams, 'Deployment', () => at, { manyNamespaces: true });
  r.handled(deployment('demo-1', 1), 1);
  r.handled({ ...deployment('demo-1', 2), key: 'team-b/demo-1' }, 1);
  t.is(streams.out(), 'Sync/Add/Update for Deployment default/demo-1, Replicas: 1\nSync/Add/Update for Deployment team-b/demo-1, Replicas: 2\n');
});

test('json: one object per line with time, event, key, kind, attempt, error, durationMs', (t) => {
  const streams = memoryStreams();
  const r = createReporter('json', streams, 'Deployment', () => at);
  r.synced(2);
  r.handled(deployment('demo-1', 1), 12.3456);
  r.retry({ ...deployment('bad', 1), attempt: 2 }, 1, new Error('boom'), 3);
  r.drop({ ...deployment('bad', 1), attempt: 6 }, new Error('boom'), 3);
  r.handled({ key: 'default/x', event: 'delete', object: undefined, attempt: 1, kind: 'Deployment' }, 1);
  r.problem({ phase: 'watch', action: 'reconnect', delayMs: 1600, error: new Error('connection reset by peer') }, 'deployments.apps in namespace "default"');
  const lines = streams.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const time = at.toISOString();
  t.deepEqual(lines, [
    { time, event: 'synced', kind: 'Deployment', count: 2 },
    { time, event: 'sync', key: 'default/demo-1', kind: 'Deployment', attempt: 1, durationMs: 12.35 },
    { time, event: 'retry', key: 'default/bad', kind: 'Deployment', attempt: 2, retry: 1, error: 'boom', durationMs: 3 },
    { time, event: 'drop', key: 'default/bad', kind: 'Deployment', attempt: 6, error: 'boom', durationMs: 3 },
    { time, event: 'delete', key: 'default/x', kind: 'Deployment', attempt: 1, durationMs: 1 },
    {
      time,
      event: 'error',
      kind: 'Deployment',
      phase: 'watch',
      action: 'reconnect',
      retryInMs: 1600,
      error: 'watch of deployments.apps in namespace "default" ended: connection reset by peer; retrying in 1.6s',
    },
  ]);
  t.is(streams.err(), '');
});

test('problem messages say what happens next', (t) => {
  t.is(problemMessage({ phase: 'list', action: 'retry-list', delayMs: 800, error: new Error('refused') }, 'pods'), 'failed to list pods: refused; retrying in 800ms');
  t.is(problemMessage({ phase: 'watch', action: 'relist', delayMs: 0, error: new Error('too old resource version: 1 (5)') }, 'pods'), 'watch of pods ended: too old resource version: 1 (5); listing again');
});
