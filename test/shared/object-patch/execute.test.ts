/** Object operations carried out over a fake transport that records and answers each request (the cluster test is watchq's). */
import test from 'ava';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import type { TransportRequest, Transport } from '../../../shared/kube/transport.ts';
import { executeOperations } from '../../../shared/object-patch/execute.ts';
import { parseObjectOperations } from '../../../shared/object-patch/operations.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const secrets: ApiResource = { group: '', version: 'v1', resource: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, shortNames: [], categories: [], verbs: [], subresources: [], preferredVersion: true, groupPriority: 0, versionPriority: 0 };
const discovery = { resourceFor: async () => secrets, resolveOne: async () => secrets };

function fakeTransport(answer: (req: TransportRequest, n: number) => number | { status: number; body: unknown }): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    serverName: 'fake',
    sent,
    async request(req) {
      sent.push(`${req.method ?? 'GET'} ${req.path}${req.headers?.['Content-Type'] ? ` ${req.headers['Content-Type']}` : ''}`);
      const a = answer(req, sent.length);
      const { status, body } = typeof a === 'number' ? { status: a, body: statusBody(a) } : a;
      return { status, headers: {}, body: Buffer.from(JSON.stringify(body)) };
    },
    stream: () => Promise.reject(new Error('not implemented')),
  };
}
function statusBody(code: number): unknown {
  if (code < 300) return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', resourceVersion: '7' } };
  const reason = code === 409 ? 'AlreadyExists' : code === 404 ? 'NotFound' : 'InternalError';
  return { kind: 'Status', code, reason, message: `${reason.toLowerCase()} s` };
}
const run = (yaml: string, transport: Transport, clock = new FakeClock()) => executeOperations(parseObjectOperations(yaml, 'WATCHQ_PATCH'), { transport, discovery, defaultNamespace: 'ctx', clock });
const secret = 'object: {apiVersion: v1, kind: Secret, metadata: {name: s}}';

test('Create: POST in the context namespace with our field manager; an existing object is an error named with its document', async (t) => {
  const transport = fakeTransport(() => 409);
  const error = await t.throwsAsync(run(`operation: Create\n${secret}\n`, transport));
  t.deepEqual(transport.sent, ['POST /api/v1/namespaces/ctx/secrets?fieldManager=kubectl-watchq application/json']);
  t.is(error!.message, 'document 1 (line 1): Create v1/Secret s: alreadyexists s');
});

test('CreateIfNotExists: an existing object is fine; CreateOrUpdate replaces it on the version read, retrying a conflict', async (t) => {
  const ifNot = fakeTransport(() => 409);
  await run(`operation: CreateIfNotExists\n${secret}\n`, ifNot);
  t.is(ifNot.sent.length, 1);
  const clock = new FakeClock();
  const orUpdate = fakeTransport((req, n) => (req.method === 'POST' ? 409 : req.method === 'PUT' && n === 3 ? { status: 409, body: { kind: 'Status', reason: 'Conflict', message: 'conflict' } } : 200));
  const done = run(`operation: CreateOrUpdate\nnamespace: other\n${secret}\n`, orUpdate, clock);
  while (orUpdate.sent.length < 3) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  clock.step(10);
  await done;
  t.deepEqual(orUpdate.sent, [
    'POST /api/v1/namespaces/other/secrets?fieldManager=kubectl-watchq application/json',
    'GET /api/v1/namespaces/other/secrets/s',
    'PUT /api/v1/namespaces/other/secrets/s?fieldManager=kubectl-watchq application/json',
    'GET /api/v1/namespaces/other/secrets/s',
    'PUT /api/v1/namespaces/other/secrets/s?fieldManager=kubectl-watchq application/json',
  ]);
});

test('Apply: server-side apply, forcing conflicts', async (t) => {
  const transport = fakeTransport(() => 200);
  await run(`operation: Apply\n${secret}\n`, transport);
  t.deepEqual(transport.sent, ['PATCH /api/v1/namespaces/ctx/secrets/s?fieldManager=kubectl-watchq&force=true application/apply-patch+yaml']);
});

test('patches: the subresource on the path; a missing object fails unless ignoreMissingObject', async (t) => {
  const transport = fakeTransport(() => 404);
  await run('operation: MergePatch\nkind: Secret\nname: s\nsubresource: status\nignoreMissingObject: true\nmergePatch: {a: 1}\n', transport);
  t.deepEqual(transport.sent, ['PATCH /api/v1/namespaces/ctx/secrets/s/status?fieldManager=kubectl-watchq application/merge-patch+json']);
  const error = await t.throwsAsync(run('operation: JSONPatch\nkind: Secret\nname: s\njsonPatch: [{op: remove, path: /a}]\n', transport));
  t.regex(error!.message, /JSONPatch Secret s: notfound s$/);
  t.is((error as { exitCode?: number }).exitCode, 4);
});

test('Delete waits (polling every second) until a foreground deletion is done; the others do not wait; a missing object is fine', async (t) => {
  const clock = new FakeClock();
  const transport = fakeTransport((req, n) => (req.method === 'DELETE' ? 200 : n < 3 ? 200 : 404));
  const done = run('operation: Delete\nkind: Secret\nname: s\n', transport, clock);
  for (let i = 0; i < 2; i++) {
    while (clock.pendingTimers === 0) await new Promise((r) => setImmediate(r));
    clock.step(1000);
  }
  await done;
  t.deepEqual(transport.sent, ['DELETE /api/v1/namespaces/ctx/secrets/s application/json', 'GET /api/v1/namespaces/ctx/secrets/s', 'GET /api/v1/namespaces/ctx/secrets/s']);
  const background = fakeTransport(() => 404);
  await run('operation: DeleteNonCascading\nkind: Secret\nname: s\n---\noperation: DeleteInBackground\nkind: Secret\nname: s\n', background);
  t.is(background.sent.length, 2);
});

test('the first refusal stops the rest', async (t) => {
  const transport = fakeTransport(() => 500);
  const error = await t.throwsAsync(run(`operation: Apply\n${secret}\n---\noperation: Apply\n${secret}\n`, transport));
  t.is(transport.sent.length, 1);
  t.is((error as { exitCode?: number }).exitCode, 1);
});
