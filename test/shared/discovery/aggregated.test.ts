import test from 'ava';
import { AccessDeniedError, ApiError } from '../../../shared/errors.ts';
import type { GroupDiscoveryList } from '../../../shared/discovery/aggregated.ts';
import { AGGREGATED_ACCEPT, fetchDiscoveryDocument, flattenDiscovery } from '../../../shared/discovery/aggregated.ts';
import { createFakeServer, loadFixture } from '../../fixtures/discovery/fake-server.ts';

test('asks for aggregated discovery v2, then v2beta1, then plain JSON', async (t) => {
  const server = createFakeServer({ '/apis': { body: loadFixture('apis.json'), etag: '"abc"' } });
  const result = await fetchDiscoveryDocument(server, 'apis');
  t.is(server.requests[0]?.headers?.['Accept'], AGGREGATED_ACCEPT);
  t.regex(AGGREGATED_ACCEPT, /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList,application\/json;g=apidiscovery\.k8s\.io;v=v2beta1;as=APIGroupDiscoveryList,application\/json$/);
  t.false(result.notModified);
  if (result.notModified) return;
  t.true(result.aggregated);
  t.true(result.complete);
  t.is(result.etag, '"abc"');
  t.true(result.document.items.some((g) => g.metadata?.name === 'apps'));
});

test('revalidates with If-None-Match and reports 304', async (t) => {
  const server = createFakeServer({ '/api': { body: loadFixture('api.json'), etag: '"e1"' } });
  t.deepEqual(await fetchDiscoveryDocument(server, 'api', { etag: '"e1"' }), { notModified: true });
  t.is(server.requests[0]?.headers?.['If-None-Match'], '"e1"');
  const changed = await fetchDiscoveryDocument(server, 'api', { etag: '"old"' });
  t.false(changed.notModified);
});

test('v2beta1 documents parse the same way', async (t) => {
  const doc = loadFixture<GroupDiscoveryList>('apis.json');
  doc.apiVersion = 'apidiscovery.k8s.io/v2beta1';
  const server = createFakeServer({ '/apis': { body: doc } });
  const result = await fetchDiscoveryDocument(server, 'apis');
  t.false(result.notModified);
  if (!result.notModified) t.is(result.document.items.length, doc.items.length);
});

/** An old server: APIVersions, APIGroupList, and one APIResourceList per group version. */
function legacyServer() {
  return createFakeServer({
    '/api': { body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } },
    '/api/v1': {
      body: {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'], categories: ['all'] },
          { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
          { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch'] },
          { name: 'namespaces', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] },
        ],
      },
    },
    '/apis': {
      body: {
        kind: 'APIGroupList',
        groups: [
          {
            name: 'autoscaling',
            versions: [
              { groupVersion: 'autoscaling/v1', version: 'v1' },
              { groupVersion: 'autoscaling/v2', version: 'v2' },
            ],
            preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
          },
          {
            name: 'metrics.k8s.io',
            versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }],
            preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' },
          },
        ],
      },
    },
    '/apis/autoscaling/v1': {
      body: { kind: 'APIResourceList', groupVersion: 'autoscaling/v1', resources: [{ name: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['list'], shortNames: ['hpa'] }] },
    },
    '/apis/autoscaling/v2': {
      body: { kind: 'APIResourceList', groupVersion: 'autoscaling/v2', resources: [{ name: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['list'], shortNames: ['hpa'] }] },
    },
    '/apis/metrics.k8s.io/v1beta1': {
      status: 503,
      body: { kind: 'Status', status: 'Failure', message: 'service unavailable', code: 503 },
    },
  });
}

test('an old server: falls back to one request per group version, preferred version first', async (t) => {
  const server = legacyServer();
  const [core, groups] = await Promise.all([fetchDiscoveryDocument(server, 'api'), fetchDiscoveryDocument(server, 'apis')]);
  if (core.notModified || groups.notModified) return t.fail();
  t.false(core.aggregated);
  t.true(core.complete);
  t.is(core.etag, undefined);
  t.deepEqual(
    server.paths().sort(),
    ['/api', '/api/v1', '/apis', '/apis/autoscaling/v1', '/apis/autoscaling/v2', '/apis/metrics.k8s.io/v1beta1'].sort(),
  );
  t.false(groups.complete);
  t.deepEqual(groups.warnings, ['unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: service unavailable']);

  const flat = flattenDiscovery(core.document, groups.document);
  const pods = flat.resources.find((r) => r.resource === 'pods');
  t.deepEqual(pods?.subresources, ['log', 'status']);
  t.deepEqual(pods?.shortNames, ['po']);
  t.is(flat.resources.find((r) => r.resource === 'namespaces')?.singular, 'namespace', 'singular guessed from the kind');
  t.false(flat.resources.find((r) => r.resource === 'namespaces')?.namespaced);
  const hpa = flat.resources.filter((r) => r.resource === 'horizontalpodautoscalers');
  t.deepEqual(hpa.map((r) => [r.version, r.preferredVersion, r.groupPriority]), [['v2', true, 1], ['v1', false, 1]]);
  t.false(flat.resources.some((r) => r.group === 'metrics.k8s.io'));
  t.deepEqual(flat.warnings, []);
});

test('a stale version in an aggregated document is a warning', (t) => {
  const empty = { kind: 'APIGroupDiscoveryList' as const, apiVersion: 'apidiscovery.k8s.io/v2', items: [] };
  const groups = { ...empty, items: [{ metadata: { name: 'metrics.k8s.io' }, versions: [{ version: 'v1beta1', freshness: 'Stale' as const }] }] };
  t.deepEqual(flattenDiscovery(empty, groups).warnings, ['unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: stale']);
});

test('HTTP errors become typed errors', async (t) => {
  const forbidden = createFakeServer({ '/apis': { status: 403, body: { kind: 'Status', message: 'forbidden: User "x" cannot get path "/apis"', code: 403 } } });
  const e1 = await t.throwsAsync(fetchDiscoveryDocument(forbidden, 'apis'), { instanceOf: AccessDeniedError });
  t.is(e1.message, 'failed to get /apis: forbidden: User "x" cannot get path "/apis"');
  const broken = createFakeServer({ '/api': { status: 500, body: 'oops' } });
  const e2 = await t.throwsAsync(fetchDiscoveryDocument(broken, 'api'), { instanceOf: ApiError });
  t.is(e2.status, 500);
  const odd = createFakeServer({ '/api': { body: { kind: 'Pod' } } });
  await t.throwsAsync(fetchDiscoveryDocument(odd, 'api'), { instanceOf: ApiError, message: /unexpected discovery document/ });
  const garbage = createFakeServer();
  garbage.request = async () => ({ status: 200, headers: {}, body: Buffer.from('<html>') });
  await t.throwsAsync(fetchDiscoveryDocument(garbage, 'api'), { instanceOf: ApiError, message: /not JSON/ });
});
