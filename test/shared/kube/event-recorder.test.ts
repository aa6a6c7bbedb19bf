/** Events as client-go's recorder writes them: one Event per object and reason, counted again within 10 minutes; failures said once. */
import test from 'ava';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import { eventRecorder } from '../../../shared/kube/event-recorder.ts';
import type { Transport, TransportRequest } from '../../../shared/kube/transport.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true } as ApiResource;
const nodes = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false } as ApiResource;
const cm = { metadata: { name: 'c', namespace: 'ns', uid: 'u1', resourceVersion: '7' } };

function transport(status = 201): Transport & { sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  return { serverName: 'fake', sent, request: async (req) => (sent.push(req), { status, headers: {}, body: Buffer.from('{"kind":"Status","message":"events is forbidden"}') }), stream: () => Promise.reject(new Error('no')) };
}

test('a new Event, then the same reason counted on it within 10 minutes, then a new one after', async (t) => {
  const tr = transport();
  const clock = new FakeClock(0);
  const recorder = eventRecorder(tr, configmaps, 'kubectl-watchq', () => t.fail(), clock);
  await recorder.record(cm, 'Warning', 'HookFailed', 'exit 1');
  const event = JSON.parse(String(tr.sent[0]!.body)) as Record<string, unknown> & { metadata: { name: string; namespace: string }; involvedObject: Record<string, string> };
  t.is(tr.sent[0]!.path, '/api/v1/namespaces/ns/events');
  t.regex(event.metadata.name, /^c\.[0-9a-f]+$/);
  t.deepEqual(event.involvedObject, { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'ns', uid: 'u1', resourceVersion: '7' });
  t.like(event, { reason: 'HookFailed', type: 'Warning', message: 'exit 1', count: 1, source: { component: 'kubectl-watchq' } });
  clock.step(60_000);
  await recorder.record(cm, 'Warning', 'HookFailed', 'exit 2');
  t.is(tr.sent[1]!.method, 'PATCH');
  t.is(tr.sent[1]!.path, `/api/v1/namespaces/ns/events/${event.metadata.name}`);
  t.like(JSON.parse(String(tr.sent[1]!.body)), { count: 2, message: 'exit 2' });
  await recorder.record(cm, 'Warning', 'HookDropped', 'exit 2');
  t.is(tr.sent[2]!.method, 'POST', 'another reason: another Event');
  clock.step(10 * 60_000);
  await recorder.record(cm, 'Warning', 'HookFailed', 'exit 3');
  t.is(tr.sent[3]!.method, 'POST', 'after the window: a new Event');
});

test('a cluster-scoped object: Events in default; a refusal is said once and never thrown', async (t) => {
  const tr = transport(403);
  const errors: string[] = [];
  const recorder = eventRecorder(tr, nodes, 'kubectl-watchq', (e) => errors.push(e.message), new FakeClock(0));
  await recorder.record({ metadata: { name: 'n1', uid: 'u' } }, 'Warning', 'HookFailed', 'x');
  await recorder.record({ metadata: { name: 'n2', uid: 'u' } }, 'Warning', 'HookFailed', 'x');
  await recorder.flush();
  t.is(tr.sent[0]!.path, '/api/v1/namespaces/default/events');
  t.deepEqual(errors, ['events is forbidden']);
});
