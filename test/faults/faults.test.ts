/**
 * Faults of the real API server: frozen, restarted, compacted, tokens revoked. These tests stop
 * and restart kube-apiserver, so they run alone after every other test (ava.faults.config.js,
 * the second half of `npm test`), one at a time.
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNamespace, ensureCluster, kubectl, kubectlOk, restartApiserver, signalApiserver } from '../helpers/cluster.ts';
import { pluginPath, runPlugin } from '../helpers/plugin.ts';
import { waitFor } from '../helpers/wait.ts';

interface Watchq {
  child: ChildProcess;
  events: Array<{ event: string; key?: string; time: string }>;
  stderr: () => string;
  stop(): Promise<number>;
}

function startWatchq(args: string[]): Watchq {
  const child = spawn(pluginPath('watchq'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Watchq['events'] = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line));
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return {
    child,
    events,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const synced = (w: Watchq, key: string) => w.events.some((e) => e.event === 'sync' && e.key === key);
const deleted = (w: Watchq, key: string) => w.events.some((e) => e.event === 'delete' && e.key === key);

test.serial('a frozen API server: lsres --request-timeout 2s exits 5 in about 2 s', async (t) => {
  const { kubeconfig } = await ensureCluster();
  await signalApiserver('STOP');
  try {
    const r = await runPlugin('lsres', ['--kubeconfig', kubeconfig, '--request-timeout', '2s']);
    t.is(r.code, 5, r.stderr);
    t.regex(r.stderr, /^error: unable to connect to the server .*request timed out after 2s/m);
    t.true(r.ms < 4000, `took ${Math.round(r.ms)} ms`);
  } finally {
    await signalApiserver('CONT');
  }
});

test.serial('5 API server restarts while objects change: every change is handled, no reconnect storm', async (t) => {
  const { kubeconfig } = await ensureCluster();
  const ns = await createNamespace('faults-restart');
  const w = startWatchq(['--kubeconfig', kubeconfig, 'configmaps', '-n', ns, '-o', 'json', '-v=6']);
  t.teardown(() => w.child.kill('SIGKILL'));
  await waitFor('the first sync', async () => (w.events.some((e) => e.event === 'synced') ? true : undefined));
  const created: string[] = [];
  let stopChanging = false;
  const changer = (async () => {
    for (let i = 0; !stopChanging; i++) {
      const r = await kubectl(['create', 'configmap', `cm-${i}`, '-n', ns, '--from-literal', `i=${i}`], { timeoutMs: 10_000 });
      if (r.code === 0) created.push(`${ns}/cm-${i}`);
      await sleep(100);
    }
  })();
  const resumeMs: number[] = [];
  for (let round = 0; round < 5; round++) {
    await restartApiserver(); // returns once /readyz answers
    const ready = Date.now();
    const marker = `marker-${round}`;
    await kubectlOk(['create', 'configmap', marker, '-n', ns]);
    await waitFor(`watchq to see ${marker}`, async () => (synced(w, `${ns}/${marker}`) ? true : undefined), 30_000, 50);
    resumeMs.push(Date.now() - ready);
  }
  stopChanging = true;
  await changer;
  await waitFor('every created ConfigMap to be handled', async () => (created.every((k) => synced(w, k)) ? true : undefined), 30_000);
  t.deepEqual(created.filter((k) => !synced(w, k)), [], 'lost keys');
  t.true(Math.max(...resumeMs) <= 5000, `resumed after ${resumeMs.join(', ')} ms`);
  const watches = w.stderr().split('\n').filter((l) => /GET \S+configmaps\?.*watch=(1|true)/.test(l)).length;
  t.true(watches <= 5 * 6, `${watches} watch requests for 5 restarts`);
  t.is(await w.stop(), 0);
  t.log(`resume after /readyz: ${resumeMs.join(', ')} ms; ${created.length} objects created; ${watches} watch requests`);
});

test.serial('410 Gone: after compaction the informer relists and reports what it missed', async (t) => {
  const { kubeconfig } = await ensureCluster();
  // Only ConfigMaps, right after the restarts above: no need to wait for the default ServiceAccount.
  const ns = await createNamespace('faults-gone', { serviceAccount: false });
  await kubectlOk(['create', 'configmap', 'keep', '-n', ns]);
  await kubectlOk(['create', 'configmap', 'change', '-n', ns, '--from-literal=v=1']);
  await kubectlOk(['create', 'configmap', 'remove', '-n', ns]);
  const w = startWatchq(['--kubeconfig', kubeconfig, 'configmaps', '-n', ns, '-o', 'json']);
  t.teardown(() => w.child.kill('SIGKILL'));
  await waitFor('the first sync of all three', async () => (['keep', 'change', 'remove'].every((n) => synced(w, `${ns}/${n}`)) ? true : undefined));
  const before = w.events.length;
  w.child.kill('SIGSTOP');
  try {
    // The restart first, so none of the changes can reach watchq through its old connection.
    await restartApiserver();
    await kubectlOk(['create', 'configmap', 'added', '-n', ns]);
    await kubectlOk(['patch', 'configmap', 'change', '-n', ns, '-p', '{"data":{"v":"2"}}']);
    await kubectlOk(['delete', 'configmap', 'remove', '-n', ns]);
    await compactEtcd();
  } finally {
    w.child.kill('SIGCONT');
  }
  await waitFor('the missed changes', async () => (synced(w, `${ns}/added`) && deleted(w, `${ns}/remove`) ? true : undefined), 30_000);
  const after = w.events.slice(before);
  t.true(after.some((e) => e.event === 'sync' && e.key === `${ns}/change`), 'the update is reported');
  t.false(after.some((e) => e.key === `${ns}/keep`), 'an unchanged object is not reported again');
  t.true(after.some((e) => e.event === 'error' && /listing again/.test(JSON.stringify(e))), `a relist happened:\n${after.map((e) => JSON.stringify(e)).join('\n')}\n${w.stderr()}`);
  t.is(await w.stop(), 0);
});

test.serial('a revoked ServiceAccount token: watchq reads the rotated token file and goes on', async (t) => {
  const { server, caFile } = await ensureCluster();
  // This test needs only a ServiceAccount of its own.
  const ns = await createNamespace('faults-token', { serviceAccount: false });
  await kubectlOk(['create', 'serviceaccount', 'watcher', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'watcher', '--clusterrole=view', `--serviceaccount=${ns}:watcher`, '-n', ns]);
  // A token bound to a Secret dies with it: that is our revocation.
  const bound = async (secret: string) => {
    await kubectlOk(['create', 'secret', 'generic', secret, '-n', ns]);
    return (await kubectlOk(['create', 'token', 'watcher', '-n', ns, '--bound-object-kind=Secret', `--bound-object-name=${secret}`])).trim();
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-'));
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, await bound('first'));
  const config = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    config,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${server}", certificate-authority: "${caFile}"}\nusers:\n- name: u\n  user: {tokenFile: "${tokenFile}"}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: ${ns}}\ncurrent-context: x\n`,
  );
  const w = startWatchq(['--kubeconfig', config, 'configmaps', '-o', 'json']);
  t.teardown(() => w.child.kill('SIGKILL'));
  await waitFor('the first sync', async () => (w.events.some((e) => e.event === 'synced') ? true : undefined));
  fs.writeFileSync(tokenFile, await bound('second'));
  await kubectlOk(['delete', 'secret', 'first', '-n', ns]);
  await restartApiserver(); // the open watch ends; the next requests must carry the new token
  await kubectlOk(['create', 'configmap', 'after-rotation', '-n', ns]);
  await waitFor('the change after the rotation', async () => (synced(w, `${ns}/after-rotation`) ? true : undefined), 30_000);
  t.false(w.stderr().includes(fs.readFileSync(tokenFile, 'utf8').trim()), 'the token is never printed');
  t.is(await w.stop(), 0);
});

/** Compacts etcd to its current revision through its JSON gateway. */
async function compactEtcd(): Promise<void> {
  const { clusterPaths } = await import('../../scripts/cluster/paths.ts');
  const settings = JSON.parse(fs.readFileSync(clusterPaths().clusterJson, 'utf8')) as { etcdClientPort: number };
  const base = `http://127.0.0.1:${settings.etcdClientPort}`;
  const range = await fetch(`${base}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: Buffer.from('/').toString('base64'), limit: 1 }) });
  const revision = ((await range.json()) as { header: { revision: string } }).header.revision;
  const compact = await fetch(`${base}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision, physical: true }) });
  if (!compact.ok) throw new Error(`etcd compaction failed: ${compact.status} ${await compact.text()}`);
}
