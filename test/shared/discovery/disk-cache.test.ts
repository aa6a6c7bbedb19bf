import test from 'ava';
import { mkdtemp, readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GroupDiscoveryList } from '../../../shared/discovery/aggregated.ts';
import { createDiskCache, DEFAULT_TTL_MS, defaultCacheRoot, discoveryCacheDir } from '../../../shared/discovery/disk-cache.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const doc = (name: string): GroupDiscoveryList => ({
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [{ metadata: { name }, versions: [{ version: 'v1', resources: [] }] }],
});

/** The shared fake clock, on a wall-clock scale (the cache compares file times with it). */
const fakeClock = () => new FakeClock(Date.UTC(2026, 0, 1));

const tempRoot = () => mkdtemp(join(tmpdir(), 'discovery-cache-'));

test('cache root: $KUBECACHEDIR, else ~/.kube/cache', (t) => {
  t.is(defaultCacheRoot({ KUBECACHEDIR: '/x/cache' }, '/home/u'), '/x/cache');
  t.is(defaultCacheRoot({ KUBECACHEDIR: '' }, '/home/u'), '/home/u/.kube/cache');
  t.is(defaultCacheRoot({}, '/home/u'), '/home/u/.kube/cache');
});

test('per-server directory in our own subfolder, sanitized like kubectl', (t) => {
  t.is(discoveryCacheDir('/c', '127.0.0.1:6443'), '/c/kubectl-plugins/discovery/127.0.0.1_6443');
  t.is(discoveryCacheDir('/c', 'https://api.example.com:443'), '/c/kubectl-plugins/discovery/api.example.com_443');
  t.is(discoveryCacheDir('/c', '[::1]:6443'), '/c/kubectl-plugins/discovery/___1__6443');
  t.is(discoveryCacheDir('/c', '../../etc'), '/c/kubectl-plugins/discovery/.._.._etc');
  t.is(discoveryCacheDir('/c', '..'), '/c/kubectl-plugins/discovery/_..');
});

test('a written entry reads back fresh, with its ETag, until the TTL passes', async (t) => {
  const clock = fakeClock();
  const dir = join(await tempRoot(), 'srv');
  const cache = createDiskCache(dir, { clock });
  t.is(await cache.read('apis'), undefined);
  await cache.write('apis', { etag: '"e1"', document: doc('apps') });
  await cache.write('api', { document: doc('') });
  t.deepEqual(await cache.read('apis'), { etag: '"e1"', document: doc('apps'), fresh: true });
  t.deepEqual(await cache.read('api'), { etag: undefined, document: doc(''), fresh: true });

  clock.step(DEFAULT_TTL_MS - 1);
  t.true((await cache.read('apis'))?.fresh);
  clock.step(1);
  const stale = await cache.read('apis');
  t.false(stale?.fresh);
  t.is(stale?.etag, '"e1"', 'a stale entry still offers its ETag for revalidation');

  await cache.touch('apis');
  t.true((await cache.read('apis'))?.fresh);
  t.false((await cache.read('api'))?.fresh);
});

test('custom TTL', async (t) => {
  const clock = fakeClock();
  const cache = createDiskCache(await tempRoot(), { clock, ttlMs: 1000 });
  await cache.write('api', { document: doc('') });
  clock.step(999);
  t.true((await cache.read('api'))?.fresh);
  clock.step(1);
  t.false((await cache.read('api'))?.fresh);
});

test('writes are atomic: a new file renamed over the old, no temp files left', async (t) => {
  const dir = await tempRoot();
  const cache = createDiskCache(dir, { clock: fakeClock() });
  await cache.write('apis', { etag: '"1"', document: doc('a') });
  const before = await stat(join(dir, 'apis.json'));
  await cache.write('apis', { etag: '"2"', document: doc('b') });
  const after = await stat(join(dir, 'apis.json'));
  t.not(after.ino, before.ino, 'replaced by rename, not rewritten in place');
  t.deepEqual(await readdir(dir), ['apis.json']);
  t.is(JSON.parse(await readFile(join(dir, 'apis.json'), 'utf8')).etag, '"2"');
});

test('a failed write leaves no temp file and the old entry intact', async (t) => {
  const dir = await tempRoot();
  const cache = createDiskCache(dir, { clock: fakeClock() });
  await cache.write('api', { document: doc('') });
  // A directory where the file should be makes the rename fail.
  await mkdir(join(dir, 'apis.json'));
  await t.throwsAsync(cache.write('apis', { document: doc('a') }));
  t.deepEqual((await readdir(dir)).sort(), ['api.json', 'apis.json']);
  t.truthy(await cache.read('api'));
});

test('a corrupt or foreign file is a miss', async (t) => {
  const dir = await tempRoot();
  const cache = createDiskCache(dir, { clock: fakeClock() });
  await writeFile(join(dir, 'api.json'), '{"document": {"kind": "APIGroupDisc');
  t.is(await cache.read('api'), undefined);
  await writeFile(join(dir, 'apis.json'), JSON.stringify({ document: { kind: 'APIGroupList', groups: [] } }));
  t.is(await cache.read('apis'), undefined);
});

test('touching a missing entry fails (the caller ignores it)', async (t) => {
  const cache = createDiskCache(join(await tempRoot(), 'none'), { clock: fakeClock() });
  await t.throwsAsync(cache.touch('api'));
});
