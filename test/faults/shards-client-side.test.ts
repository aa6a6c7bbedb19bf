/**
 * watchq --shards with the API server's ShardedListAndWatch gate off (issue 28): the server
 * ignores shard selectors, so watchq filters by the same hash itself. It restarts kube-apiserver
 * twice (gate off, then on again), so it runs with the fault tests, alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { shardOf } from '../../shared/listwatch/shard-range.ts';
import { deleteNamespace, ensureCluster, kubectlOk, setShardedListAndWatch } from '../helpers/cluster.ts';
import { liveConfigMaps, overlaps, ShardedReplicas, writeConfigMaps } from '../plugins/watchq/sharding-scenario.ts';

test('gate off: the same shards, filtered here (said once); each shard informer holds exactly its objects; no key on two replicas at once', async (t) => {
  const { kubeconfig } = await ensureCluster();
  await setShardedListAndWatch(false);
  // Without waiting for the default ServiceAccount: after the other fault tests froze the API
  // server, the controller-manager may be gone (it exits when it loses its own lease); no pods here.
  const ns = `watchq-shards-client-${Date.now().toString(36)}`;
  await kubectlOk(['create', 'namespace', ns]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-shards-client-'));
  const set = new ShardedReplicas(dir, kubeconfig, ns, 6);
  t.teardown(async () => {
    await set.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    await deleteNamespace(ns);
    await setShardedListAndWatch(true);
  });
  await writeConfigMaps(ns, 120, 0);
  const a = set.start('a');
  const b = set.start('b');
  await a.waitFor('3 shards each', () => (set.owned('a').length === 3 && set.owned('b').length === 3) || undefined, 60_000);
  t.regex(a.stderr, /Sharding: 6 shards of the FNV-1a hash of metadata\.uid, filtered here: the API server does not apply shard selectors/);
  await writeConfigMaps(ns, 120, 1);
  const live = await liveConfigMaps(ns);
  await a.waitFor('every last version handled', () => [...live].every(([key, o]) => set.runs().some((r) => r.key === key && r.rv >= o.rv)) || undefined, 60_000);
  for (const [name, p] of [['a', a], ['b', b]] as const) {
    for (const shard of set.owned(name)) {
      const synced = p.events().filter((e) => e.event === 'synced' && (e as { shard?: number }).shard === shard).at(-1);
      t.is(synced?.count, [...live.values()].filter((o) => shardOf(o.uid, 6) === shard).length, `replica ${name}, shard ${shard}`);
    }
  }
  // The update round ran each key on the replica owning its shard.
  const round1 = set.runs().filter((r) => r.rv > Math.min(...[...live.values()].map((o) => o.rv)) - 1 && live.get(r.key)?.rv === r.rv);
  t.true(round1.every((r) => set.owned(r.replica).includes(shardOf(r.uid, 6))));
  t.deepEqual(overlaps(set.runs()), []);
});
