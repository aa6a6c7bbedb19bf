/** The handled record: a fixed-size digest of the view, blind to itself and to what every write changes. */
import test from 'ava';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import type { Transport, TransportRequest } from '../../../shared/kube/transport.ts';
import { handledRecord } from '../../../shared/object-patch/handled-record.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true } as ApiResource;
const key = 'example.com/handled';

function recordingTransport(status = 200): Transport & { sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  return { serverName: 'fake', sent, request: async (req) => (sent.push(req), { status, headers: {}, body: Buffer.from('{}') }), stream: () => Promise.reject(new Error('no')) };
}
const cm = (rv: string, data: Record<string, string>, annotations?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns', resourceVersion: rv, managedFields: [{ manager: rv }], ...(annotations ? { annotations } : {}) }, data });

test('written as a merge patch of one annotation; then the same data at another version, with the record, matches; other data does not', async (t) => {
  const transport = recordingTransport();
  const record = handledRecord(transport, configmaps, key);
  await record.write(cm('1', { a: '1' }));
  t.is(transport.sent.length, 1);
  t.is(transport.sent[0]!.path, '/api/v1/namespaces/ns/configmaps/c?fieldManager=kubectl-watchq');
  const value = (JSON.parse(String(transport.sent[0]!.body)) as { metadata: { annotations: Record<string, string> } }).metadata.annotations[key]!;
  t.regex(value, /^sha256:[0-9a-f]{32}$/);
  t.true(record.matches(cm('2', { a: '1' }, { [key]: value })));
  t.false(record.matches(cm('3', { a: '2' }, { [key]: value })));
  t.false(record.matches(cm('4', { a: '1' }, { [key]: value, other: 'x' })), 'another annotation is a change of the object');
  t.false(record.matches(cm('5', { a: '1' })));
  await record.write(cm('2', { a: '1' }, { [key]: value }));
  t.is(transport.sent.length, 1, 'already recorded: nothing written');
});

test('with a view (--changes), only the view counts; a view failing on the object is a change; a 404 writing is fine, a 403 is not', async (t) => {
  const record = handledRecord(recordingTransport(404), configmaps, key, (o) => JSON.stringify((o as { data?: unknown }).data));
  const transport = recordingTransport();
  await handledRecord(transport, configmaps, key, (o) => JSON.stringify((o as { data?: unknown }).data)).write(cm('1', { a: '1' }));
  const value = (JSON.parse(String(transport.sent[0]!.body)) as { metadata: { annotations: Record<string, string> } }).metadata.annotations[key]!;
  t.true(record.matches(cm('9', { a: '1' }, { [key]: value, other: 'x' })));
  const failing = handledRecord(recordingTransport(), configmaps, key, () => {
    throw new Error('no such field');
  });
  t.false(failing.matches(cm('1', {}, { [key]: value })));
  await t.notThrowsAsync(record.write(cm('1', { a: '2' })));
  await t.throwsAsync(handledRecord(recordingTransport(403), configmaps, key).write(cm('1', {})), { instanceOf: (await import('../../../shared/errors.ts')).ForbiddenError });
});
