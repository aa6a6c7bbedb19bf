/**
 * watchq --shards (issue 28) on the local cluster with ShardedListAndWatch on: 3 replicas × 12
 * shards over ConfigMaps updated while replicas die, leave and join. Never two replicas on one key
 * at once; every key's last version handled; each replica 3–5 shards; each replica receives only
 * its shards' objects (the API server filters them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { shardOf } from '../../../shared/listwatch/shard-range.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';
import { liveConfigMaps, overlaps, ShardedReplicas, writeConfigMaps } from './sharding-scenario.ts';

const count = 240;
const shards = 12;

test('3 replicas × 12 shards: shared 4/4/4, filtered by the API server; a killed replica taken over after its lease, a stopped one at once, a fourth takes its share; no key on two replicas at once, every last version handled', async (t) => {
  const { kubeconfig } = await ensureCluster();
  const ns = await createNamespace('watchq-shards');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-shards-'));
  const set = new ShardedReplicas(dir, kubeconfig, ns, shards);
  t.teardown(async () => {
    await set.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    await deleteNamespace(ns);
  });
  await writeConfigMaps(ns, count, 0);
  const [a, b, c] = ['a', 'b', 'c'].map((name) => set.start(name));
  const ownedBy = () => ['a', 'b', 'c', 'd'].filter((n) => set.replicas.has(n)).map((n) => set.owned(n).length);
  await a!.waitFor('the shards shared out', () => ownedBy().reduce((x, y) => x + y, 0) === shards && ownedBy().every((n) => n >= 3 && n <= 5) && set.runs().length >= count, 60_000);
  t.regex(a!.stderr, /Sharding: 12 shards of the FNV-1a hash of metadata\.uid, filtered by the API server \(shardInfo echoed\)/);
  // Each shard's informer holds exactly that shard's objects (its last first-sync per shard counts them).
  const live0 = [...(await liveConfigMaps(ns)).values()];
  for (const [name, p] of [['a', a!], ['b', b!], ['c', c!]] as const) {
    for (const shard of set.owned(name)) {
      const synced = p.events().filter((e) => e.event === 'synced' && (e as { shard?: number }).shard === shard).at(-1) as { count?: number } | undefined;
      t.is(synced?.count, live0.filter((o) => shardOf(o.uid, shards) === shard).length, `replica ${name}, shard ${shard}`);
    }
  }

  // Updates all along; replica c killed (its leases expire), then b stopped (hands over at once), then d joins.
  await writeConfigMaps(ns, count, 1);
  await c!.stop('SIGKILL');
  const killedAt = Date.now();
  // Changes while the shards move (kubectl apply takes seconds for 240 objects: not timed).
  const updating = writeConfigMaps(ns, count, 2);
  await a!.waitFor("c's shards taken over", () => set.owned('a').length + set.owned('b').length === shards || undefined, 60_000);
  const takeover = Date.now() - killedAt;
  await updating;
  // Not before the dead replica's Leases expired (15 s after its last renewal, at most one 2 s
  // renew period before the kill), and not long after (the bench times it on a quiet machine).
  t.true(takeover >= 13_000 && takeover <= 30_000, `taken over ${takeover} ms after the kill (lease 15 s)`);
  await b!.stop('SIGTERM');
  const stoppedAt = Date.now();
  await a!.waitFor("b's shards handed over", () => set.owned('a').length === shards || undefined, 30_000);
  t.true(Date.now() - stoppedAt < 10_000, `handed over in ${Date.now() - stoppedAt} ms`);
  const d = set.start('d');
  await d.waitFor('d takes its share', () => set.owned('d').length === shards / 2 || undefined, 30_000);
  await writeConfigMaps(ns, count, 3);

  // Every key's last version handled, by someone.
  const live = await liveConfigMaps(ns);
  await a!.waitFor('every last version handled', () => [...live].every(([key, o]) => set.runs().some((r) => r.key === key && r.rv >= o.rv)) || undefined, 60_000);
  t.deepEqual(overlaps(set.runs()), []);
  // A replica ran only keys of shards it owned at some point.
  t.true(set.runs().every((r) => r.replica !== 'd' || set.owned('d').includes(shardOf(r.uid, shards))));
});

test('bad --shards: 0, with --leader-elect, with --once: exit 2', async (t) => {
  const { kubeconfig } = await ensureCluster();
  for (const [args, message] of [
    [['--shards', '0'], /^error: invalid value 0 for --shards: must be a whole number ≥ 1$/m],
    [['--shards', '3', '--leader-elect'], /^error: --shards already hands each shard to one replica through a Lease: drop --leader-elect$/m],
    [['--shards', '3', '--once'], /^error: --once cannot be used with --shards$/m],
  ] as const) {
    const r = await runPlugin('watchq', ['--kubeconfig', kubeconfig, ...args], { timeoutMs: 30_000 });
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, message);
  }
  await sleep(0);
});

test('--shards as a user who may not touch Leases: exit 3, and the fix commands name the Lease verbs sharding needs', async (t) => {
  await ensureCluster();
  const ns = await createNamespace('watchq-shards-rbac');
  t.teardown(() => deleteNamespace(ns));
  const sa = await serviceAccountKubeconfig(ns, 'sharder');
  await kubectlOk(['create', 'role', 'watch-cm', '--verb=list,watch', '--resource=configmaps', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'watch-cm', '--role=watch-cm', `--serviceaccount=${ns}:sharder`, '-n', ns]);
  const r = await runPlugin('watchq', ['--kubeconfig', sa, 'configmaps', '--shards', '2'], { timeoutMs: 60_000 });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /^error: leases\.coordination\.k8s\.io is forbidden: .*cannot list resource "leases"/m);
  t.regex(r.stderr, new RegExp(`kubectl create role \\S+ --verb=create,get,list,update --resource=leases\\.coordination\\.k8s\\.io -n ${ns}`));
});
