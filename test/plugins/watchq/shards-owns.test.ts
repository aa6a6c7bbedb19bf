/**
 * watchq --shards with --owns and --metadata-only (issue 28): an owned object follows its
 * controller owner's shard (the hash of the owner's UID, filtered here); --metadata-only hands
 * the hook PartialObjectMetadata.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { shardOf } from '../../../shared/listwatch/shard-range.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';
import { liveConfigMaps, ShardedReplicas, writeConfigMaps } from './sharding-scenario.ts';

test("a Secret owned by a ConfigMap runs the ConfigMap again on the replica that owns the ConfigMap's shard", async (t) => {
  const { kubeconfig } = await ensureCluster();
  const ns = await createNamespace('watchq-shards-owns');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-shards-owns-'));
  const set = new ShardedReplicas(dir, kubeconfig, ns, 4, ['--owns', 'secrets']);
  t.teardown(async () => {
    await set.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    await deleteNamespace(ns);
  });
  await writeConfigMaps(ns, 20, 0);
  const a = set.start('a');
  set.start('b');
  await a.waitFor('2 shards each, every ConfigMap handled', () => (set.owned('a').length === 2 && set.owned('b').length === 2 && new Set(set.runs().map((r) => r.key)).size === 20) || undefined, 60_000);
  const live = await liveConfigMaps(ns);
  const before = set.runs().length;
  for (const i of [0, 1, 2, 3, 4, 5]) {
    const owner = live.get(`${ns}/cm-${i}`)!;
    await kubectlOk(['create', '-n', ns, '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${i}`, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${i}`, uid: owner.uid, controller: true }] } }),
    });
  }
  await a.waitFor('the owners run again', () => set.runs().slice(before).filter((r) => /\/cm-[0-5]$/.test(r.key)).length >= 6 || undefined, 30_000);
  for (const run of set.runs().slice(before)) t.true(set.owned(run.replica).includes(shardOf(run.uid, 4)), `${run.key} ran on ${run.replica}, which owns its shard`);
});

test('--metadata-only: the hook gets PartialObjectMetadata', async (t) => {
  const { kubeconfig } = await ensureCluster();
  const ns = await createNamespace('watchq-metadata');
  t.teardown(() => deleteNamespace(ns));
  await kubectlOk(['create', 'cm', 'big', '-n', ns, '--from-literal=payload=not-in-metadata']);
  const r = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, 'configmaps', '--field-selector', 'metadata.name=big', '--metadata-only', '--once', '--exec', 'cat'], { timeoutMs: 60_000 });
  t.is(r.code, 0, r.stderr);
  const line = r.stderr.split('\n').find((l) => l.startsWith(`[${ns}/big] {`))!;
  const object = JSON.parse(line.slice(`[${ns}/big] `.length)) as { kind: string; metadata: { name: string }; data?: unknown };
  t.is(object.kind, 'PartialObjectMetadata');
  t.is(object.metadata.name, 'big');
  t.is(object.data, undefined);
  t.false(line.includes('not-in-metadata'));
});
