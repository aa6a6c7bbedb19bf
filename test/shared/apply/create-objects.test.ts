/** Creation and rollback in-process, over a fake transport that records and answers each request. */
import test from 'ava';
import { createObjects } from '../../../shared/apply/create-objects.ts';
import type { PlannedObject } from '../../../shared/apply/plan.ts';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import type { Discovery } from '../../../shared/discovery/discovery-client.ts';
import type { Transport, TransportRequest } from '../../../shared/kube/transport.ts';

const configmaps: ApiResource = { group: '', version: 'v1', resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], categories: [], verbs: ['create'], subresources: [], preferredVersion: true, groupPriority: 0, versionPriority: 0 };
const planned = (name: string): PlannedObject => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }, file: 'f', document: 1, line: 1, resource: configmaps, namespace: 'ns', dependsOnSet: false, input: 0 });
const notImplemented = () => {
  throw new Error('not implemented');
};
const discovery = { resourceFor: async () => configmaps, refresh: notImplemented } as unknown as Discovery;

function fakeTransport(answer: (req: TransportRequest) => number): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    serverName: 'fake',
    sent,
    async request(req) {
      sent.push(`${req.method ?? 'GET'} ${req.path.split('?')[0]}${req.path.includes('dryRun=All') ? ' (dry run)' : ''}`);
      const status = answer(req);
      const name = /"name":"([^"]+)"/.exec(String(req.body ?? ''))?.[1] ?? '';
      const body = status < 300 ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', uid: 'u' } } : { kind: 'Status', message: 'internal error', code: status };
      return { status, headers: {}, body: Buffer.from(JSON.stringify(body)) };
    },
    stream: notImplemented,
  };
}

const options = (transport: Transport) => ({ transport, discovery, dryRun: 'none' as const, validation: 'Strict' as const, serverSide: false, forceConflicts: false });

test('every object is dry-run first, then created in order, with fieldValidation', async (t) => {
  const transport = fakeTransport(() => 201);
  const results = await createObjects([planned('a'), planned('b')], options(transport));
  t.deepEqual(results.map((r) => r.metadata?.name), ['a', 'b']);
  t.deepEqual(transport.sent, ['POST /api/v1/namespaces/ns/configmaps (dry run)', 'POST /api/v1/namespaces/ns/configmaps (dry run)', 'POST /api/v1/namespaces/ns/configmaps', 'POST /api/v1/namespaces/ns/configmaps']);
});

test('a create that fails late: what was created is deleted again, and a delete that fails is named', async (t) => {
  let creates = 0;
  const transport = fakeTransport((req) => {
    if (req.method === 'DELETE') return req.path.endsWith('/a') ? 500 : 200;
    if (req.path.includes('dryRun=All')) return 201;
    return ++creates === 3 ? 500 : 201;
  });
  const error = await t.throwsAsync(createObjects([planned('a'), planned('b'), planned('c')], options(transport)));
  t.regex(error!.message, /internal error \(1 of the 2 object\(s\) created before it were deleted again; still there: configmap\/a \(namespace ns\)\)/);
  t.deepEqual(transport.sent.filter((r) => r.startsWith('DELETE')), ['DELETE /api/v1/namespaces/ns/configmaps/b', 'DELETE /api/v1/namespaces/ns/configmaps/a']);
});

test('interrupted between creates: the run stops, takes back what it made, and says so', async (t) => {
  const abort = new AbortController();
  const transport = fakeTransport((req) => {
    if (!req.path.includes('dryRun=All') && req.method === 'POST') abort.abort('SIGINT');
    return req.method === 'DELETE' ? 200 : 201;
  });
  const error = await t.throwsAsync(createObjects([planned('a'), planned('b')], { ...options(transport), signal: abort.signal }));
  t.is((error as { exitCode?: number }).exitCode, 130);
  t.is(error!.message, 'interrupted: the 1 object(s) created before it were deleted again');
});
