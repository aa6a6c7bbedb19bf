import test from 'ava';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '../../../shared/errors.ts';
import type { GroupDiscoveryList } from '../../../shared/discovery/aggregated.ts';
import { fullName } from '../../../shared/discovery/api-resource.ts';
import { createDiscovery } from '../../../shared/discovery/discovery-client.ts';
import { DEFAULT_TTL_MS } from '../../../shared/discovery/disk-cache.ts';
import { createFakeServer, loadFixture } from '../../fixtures/discovery/fake-server.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

/** The shared fake clock, on a wall-clock scale (the cache compares file times with it). */
const fakeClock = () => new FakeClock(Date.UTC(2026, 0, 1));

/** The recorded documents, without the seed's CRD (as before `kubectl apply`). */
function withoutCrd(): GroupDiscoveryList {
  const apis = loadFixture<GroupDiscoveryList>('apis.json');
  apis.items = apis.items.filter((g) => g.metadata?.name !== 'aiops.org');
  return apis;
}

function server(apis: GroupDiscoveryList = loadFixture('apis.json')) {
  return createFakeServer({
    '/api': { body: loadFixture('api.json'), etag: '"core-1"' },
    '/apis': { body: apis, etag: '"groups-1"' },
  });
}

async function setup() {
  const cacheDir = await mkdtemp(join(tmpdir(), 'discovery-client-'));
  return { cacheDir, clock: fakeClock() };
}

test('a cold cache costs exactly two requests, sent together; a warm one none', async (t) => {
  const opts = await setup();
  const srv = server();
  let inFlight = 0;
  let maxInFlight = 0;
  const request = srv.request.bind(srv);
  srv.request = async (req) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return request(req);
  };
  const cold = createDiscovery(srv, opts);
  t.is((await cold.resolveOne('po')).resource, 'pods');
  t.is((await cold.resolveOne('myres')).resource, 'myresources');
  t.deepEqual(srv.paths().sort(), ['/api', '/apis']);
  t.is(cold.requestCount, 2);
  t.is(maxInFlight, 2, '/api and /apis are fetched concurrently');

  // Our own subfolder, nothing of kubectl's.
  t.deepEqual(await readdir(opts.cacheDir), ['kubectl-plugins']);
  t.deepEqual((await readdir(cold.cacheDir!)).sort(), ['api.json', 'apis.json']);
  t.is(cold.cacheDir, join(opts.cacheDir, 'kubectl-plugins', 'discovery', '127.0.0.1_6443'));

  const warm = createDiscovery(srv, opts);
  t.is((await warm.resolveOne('deploy')).group, 'apps');
  t.deepEqual(await warm.resolve('all'), await cold.resolve('all'));
  t.is(warm.requestCount, 0);
  t.is(srv.requests.length, 2);
});

test('an expired cache revalidates by ETag: 304 reuses and re-stamps it', async (t) => {
  const opts = await setup();
  const srv = server();
  await createDiscovery(srv, opts).resources();
  opts.clock.step(DEFAULT_TTL_MS + 1);

  const later = createDiscovery(srv, opts);
  const resources = await later.resources();
  t.true(resources.some((r) => r.resource === 'myresources'));
  t.is(later.requestCount, 2);
  t.deepEqual(
    srv.requests.slice(2).map((r) => [r.path, r.headers?.['If-None-Match']]).sort(),
    [['/api', '"core-1"'], ['/apis', '"groups-1"']],
  );

  const again = createDiscovery(srv, opts);
  await again.resources();
  t.is(again.requestCount, 0, 'the 304 made the cache fresh again');
});

test('an expired cache whose server changed is replaced', async (t) => {
  const opts = await setup();
  const srv = server(withoutCrd());
  await createDiscovery(srv, opts).resources();
  opts.clock.step(DEFAULT_TTL_MS);
  srv.routes.set('/apis', { body: loadFixture('apis.json'), etag: '"groups-2"' });

  const later = createDiscovery(srv, opts);
  t.is((await later.resolveOne('AIOps')).group, 'aiops.org');
  t.is(later.requestCount, 2);
  const third = createDiscovery(srv, opts);
  t.is((await third.resolveOne('AIOps')).group, 'aiops.org');
  t.is(third.requestCount, 0);
});

test('a name missing from a warm cache refreshes once and is found (a CRD created a second ago)', async (t) => {
  const opts = await setup();
  const srv = server(withoutCrd());
  await createDiscovery(srv, opts).resources();
  srv.routes.set('/apis', { body: loadFixture('apis.json'), etag: '"groups-2"' });

  const d = createDiscovery(srv, opts);
  const r = await d.resolveOne('myres');
  t.is(fullName(r), 'myresources.aiops.org');
  t.is(d.requestCount, 2, 'one refresh: /api (304) and /apis (200)');
  // the refreshed documents are cached for the next process
  const next = createDiscovery(srv, opts);
  t.is((await next.resolveOne('myres')).version, 'v1alpha1');
  t.is(next.requestCount, 0);
});

test('a miss on documents fetched by this client is final: no second fetch', async (t) => {
  const opts = await setup();
  const srv = server();
  const d = createDiscovery(srv, opts);
  const e = await t.throwsAsync(d.resolveOne('nosuchthing'), { instanceOf: NotFoundError });
  t.is(e.message, 'the server doesn\'t have a resource type "nosuchthing"');
  t.is(d.requestCount, 2);
  await t.throwsAsync(d.resolveOne('nosuchthing'), { instanceOf: NotFoundError });
  t.is(d.requestCount, 2);
});

test('a miss on a warm cache refreshes once, then fails; a deleted CRD is not found', async (t) => {
  const opts = await setup();
  const srv = server();
  await createDiscovery(srv, opts).resources();
  srv.routes.set('/apis', { body: withoutCrd(), etag: '"groups-2"' });

  const d = createDiscovery(srv, opts);
  t.is((await d.resolveOne('po')).resource, 'pods', 'a hit on the warm cache sends nothing');
  t.is(d.requestCount, 0);
  // The cache still has the CRD: the stale cache answers, as kubectl's would.
  t.is((await d.resolveOne('myres')).resource, 'myresources');
  await t.throwsAsync(d.resolveOne('nosuchthing'), { instanceOf: NotFoundError });
  t.is(d.requestCount, 2);
  await t.throwsAsync(d.resolveOne('myres'), { instanceOf: NotFoundError });
  await t.throwsAsync(d.resourceFor({ group: 'aiops.org', version: 'v1alpha1', kind: 'AIOps' }), { instanceOf: NotFoundError });
  t.is(d.requestCount, 2);
});

test('concurrent misses share one refresh', async (t) => {
  const opts = await setup();
  const srv = server(withoutCrd());
  await createDiscovery(srv, opts).resources();
  srv.routes.set('/apis', { body: loadFixture('apis.json'), etag: '"groups-2"' });
  const d = createDiscovery(srv, opts);
  const found = await Promise.all([d.resolveOne('myres'), d.resolveOne('AIOps'), d.resolve('myresources,pods')]);
  t.is(found[0].resource, 'myresources');
  t.is(found[1].resource, 'myresources');
  t.is(found[2].length, 2);
  t.is(d.requestCount, 2);
});

test('a short name claimed by two groups goes to the first, with kubectl\'s warning, and does not refresh', async (t) => {
  const opts = await setup();
  const apis = loadFixture<GroupDiscoveryList>('apis.json');
  for (const name of ['a.example.com', 'b.example.com']) {
    apis.items.push({
      metadata: { name },
      versions: [{ version: 'v1', resources: [{ resource: 'widgets', singularResource: 'widget', scope: 'Cluster', responseKind: { kind: 'Widget' }, shortNames: ['wd'], verbs: ['list'] }] }],
    });
  }
  const srv = server(apis);
  await createDiscovery(srv, opts).resources();
  const warnings: string[] = [];
  const d = createDiscovery(srv, { ...opts, warn: (m) => warnings.push(m) });
  const found = await d.resolveOne('wd');
  t.is(found.group, 'a.example.com');
  t.deepEqual(warnings, ['short name "wd" could also match lower priority resource widgets.b.example.com']);
  t.is(d.requestCount, 0);
});

test('refresh() fetches again even when fresh', async (t) => {
  const opts = await setup();
  const srv = server();
  const d = createDiscovery(srv, opts);
  await d.resources();
  await d.refresh();
  t.is(d.requestCount, 4);
  t.is(srv.requests[2]?.headers?.['If-None-Match'], '"core-1"');
});

test('without a disk cache every client fetches', async (t) => {
  const srv = server();
  const a = createDiscovery(srv, { cacheDir: null });
  const b = createDiscovery(srv, { cacheDir: null });
  await a.resources();
  await b.resources();
  t.is(a.requestCount + b.requestCount, 4);
  t.is(a.cacheDir, undefined);
});

test('an unwritable cache directory does not break discovery', async (t) => {
  const opts = await setup();
  const blocker = join(opts.cacheDir, 'file');
  await writeFile(blocker, 'not a directory');
  const d = createDiscovery(server(), { ...opts, cacheDir: blocker });
  t.is((await d.resolveOne('svc')).resource, 'services');
});

test('a failed load is not remembered', async (t) => {
  const opts = await setup();
  const srv = server();
  srv.routes.set('/apis', { status: 500, body: { kind: 'Status', message: 'etcd is down' } });
  const d = createDiscovery(srv, opts);
  await t.throwsAsync(d.resources(), { message: 'failed to get /apis: etcd is down' });
  srv.routes.set('/apis', { body: loadFixture('apis.json') });
  t.true((await d.resources()).length > 0);
});

test('an old server: per group-version discovery, partial failure warned and not cached', async (t) => {
  const opts = await setup();
  const srv = createFakeServer({
    '/api': { body: { kind: 'APIVersions', versions: ['v1'] } },
    '/api/v1': { body: { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['list'], shortNames: ['po'] }] } },
    '/apis': { body: { kind: 'APIGroupList', groups: [{ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }] }] } },
  });
  const warnings: string[] = [];
  const d = createDiscovery(srv, { ...opts, onWarning: (w) => warnings.push(w) });
  t.is((await d.resolveOne('po')).resource, 'pods');
  t.is(d.requestCount, 4);
  t.deepEqual(warnings, ['unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server could not find the requested resource']);
  t.deepEqual(await readdir(d.cacheDir!), ['api.json'], 'the complete core document is cached, the partial groups one is not');
});
