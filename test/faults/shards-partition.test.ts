/**
 * watchq --shards under a network partition (issue 28): two replicas, each reaching the API
 * server through its own TCP proxy. One replica's proxy stops forwarding (connections open,
 * requests hang): it must stop handling its shards within the renew deadline, and the other
 * replica takes them over once their Leases expired, so no key ever runs on both at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { deleteNamespace, ensureCluster, kubectlOk } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/wait.ts';
import { TcpProxy } from '../plugins/watchq/tcp-proxy.ts';
import { liveConfigMaps, overlaps, ShardedReplicas, writeConfigMaps } from '../plugins/watchq/sharding-scenario.ts';

test.serial('a replica cut off from the API server stops its shards before the other takes them; no key on both at once', async (t) => {
  const cluster = await ensureCluster();
  // Without waiting for the default ServiceAccount: after the other fault tests froze the API
  // server, the controller-manager may be gone (it exits when it loses its own lease); no pods here.
  const ns = `watchq-shards-partition-${Date.now().toString(36)}`;
  await kubectlOk(['create', 'namespace', ns]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shards-partition-'));
  const set = new ShardedReplicas(dir, cluster.kubeconfig, ns, 4);
  const target = new URL(cluster.server);
  const proxies = [0, 1].map(() => new TcpProxy({ host: target.hostname, port: Number(target.port) }));
  for (const p of proxies) await p.up();
  t.teardown(async () => {
    await set.stopAll();
    for (const p of proxies) await p.down();
    fs.rmSync(dir, { recursive: true, force: true });
    await deleteNamespace(ns);
  });
  await writeConfigMaps(ns, 60, 0);
  const a = set.start('a', ['--server', `https://127.0.0.1:${proxies[0]!.port}`]);
  set.start('b', ['--server', `https://127.0.0.1:${proxies[1]!.port}`]);
  await waitFor('2 shards each', async () => (set.owned('a').length === 2 && set.owned('b').length === 2 ? true : undefined), 60_000, 200);

  proxies[0]!.freeze();
  const frozenAt = Date.now();
  const updating = writeConfigMaps(ns, 60, 1);
  await waitFor('a to give its shards up', async () => (set.owned('a').length === 0 ? true : undefined), 30_000, 200);
  const stoppedMs = Date.now() - frozenAt;
  await waitFor('b to own all 4', async () => (set.owned('b').length === 4 ? true : undefined), 60_000, 200);
  const tookOverMs = Date.now() - frozenAt;
  await updating;
  t.true(stoppedMs < tookOverMs, `a stopped after ${stoppedMs} ms, b took over after ${tookOverMs} ms`);
  t.true(stoppedMs <= 12_000, `a stopped ${stoppedMs} ms after the partition (renew deadline 10 s)`);
  const live = await liveConfigMaps(ns);
  await waitFor('every last version handled', async () => ([...live].every(([key, o]) => set.runs().some((r) => r.key === key && r.rv >= o.rv)) ? true : undefined), 60_000, 200);
  t.deepEqual(overlaps(set.runs()), []);
  t.true(a.stderr.includes('No longer leading'));
});
