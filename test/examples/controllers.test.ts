/**
 * The example controllers of examples/controllers/ (issue 27), run as their comments say against
 * the real local cluster, each checked for what it promises. The hooks' own `kubectl` is the
 * cluster's (first on PATH), reaching the cluster through the kubeconfig watchq writes for them.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { repoRoot } from '../helpers/plugin.ts';
import { WatchqProcess } from '../plugins/watchq/watchq-process.ts';

let kubeconfig = '';
let env: NodeJS.ProcessEnv = {};
const running: WatchqProcess[] = [];
const namespaces: string[] = [];

test.before(async () => {
  const cluster = await ensureCluster();
  kubeconfig = cluster.kubeconfig;
  // No KUBECONFIG of the user's: the hooks must find the cluster through watchq's.
  env = { ...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent', PATH: `${path.dirname(cluster.kubectl)}${path.delimiter}${process.env.PATH ?? ''}` };
});

test.after.always(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  for (const ns of namespaces) {
    const left = await kubectl(['get', 'cm', '-n', ns, '-o', 'name']);
    for (const name of left.stdout.split('\n').filter(Boolean)) await kubectl(['patch', name, '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  }
  await Promise.all(namespaces.map((ns) => deleteNamespace(ns)));
});

async function namespace(prefix: string): Promise<string> {
  const ns = await createNamespace(prefix);
  namespaces.push(ns);
  return ns;
}
function watchq(ns: string, args: string[]): WatchqProcess {
  const p = new WatchqProcess(['--kubeconfig', kubeconfig, '-n', ns, '-o', 'json', ...args], env);
  running.push(p);
  return p;
}
const example = (name: string) => path.join(repoRoot, 'examples', 'controllers', name);
const get = async (ns: string, what: string, jsonpath: string) => (await kubectl(['get', what, '-n', ns, '-o', `jsonpath=${jsonpath}`])).stdout;
async function eventually(what: string, p: WatchqProcess, check: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    if (await check()) return;
    if (p.child.exitCode !== null) break;
  }
  throw new Error(`timed out waiting for ${what}\nstderr:\n${p.stderr}`);
}

test('copy-to-secret.sh: a Secret per labelled ConfigMap, made again when deleted (--owns), deleted with it even across downtime (--finalizer)', async (t) => {
  const ns = await namespace('ex-copy');
  await kubectlOk(['create', 'cm', 'settings', '-n', ns, '--from-literal=color=blue']);
  await kubectlOk(['label', 'cm', 'settings', '-n', ns, 'copy=true']);
  const args = ['configmaps', '-l', 'copy=true', '--owns', 'secrets', '--finalizer', 'example.com/copy-to-secret', '--exec', example('copy-to-secret.sh')];
  const p = watchq(ns, args);
  const secretData = () => get(ns, 'secret/settings', '{.data.color}');
  await eventually('the Secret', p, async () => (await secretData()) === Buffer.from('blue').toString('base64'));
  t.is(await get(ns, 'secret/settings', '{.metadata.ownerReferences[0].name}'), 'settings');

  await kubectlOk(['delete', 'secret', 'settings', '-n', ns]);
  await eventually('the Secret made again', p, async () => (await secretData()) !== '');
  t.true(p.events().some((e) => e.event === 'sync' && e.key === `${ns}/settings`));

  // Deleted while watchq is down: held by the finalizer until watchq is back, the Secret goes too.
  t.is((await p.stop('SIGTERM')).code, 0);
  await kubectlOk(['delete', 'cm', 'settings', '-n', ns, '--wait=false']);
  const q = watchq(ns, args);
  await eventually('the ConfigMap finalized', q, async () => (await kubectl(['get', 'cm', 'settings', '-n', ns])).code !== 0);
  await eventually('the Secret deleted', q, async () => (await kubectl(['get', 'secret', 'settings', '-n', ns])).code !== 0);
  t.true(q.events().some((e) => e.event === 'finalize'));
  t.is((await q.stop('SIGTERM')).code, 0);
});

test('team-label.sh: a Deployment without a team label gets one and an annotation, with one confirming run and no more; taking the label away runs it again', async (t) => {
  const ns = await namespace('ex-team');
  await kubectlOk(['create', 'deployment', 'api', '-n', ns, '--image=nginx:1.27', '--replicas=0']);
  const p = watchq(ns, ['deployments', '--changes', '{.spec}{.metadata.labels.team}', '--exec', example('team-label.sh')]);
  await eventually('the label', p, async () => (await get(ns, 'deploy/api', '{.metadata.labels.team}')) === 'unassigned');
  t.regex(await get(ns, 'deploy/api', "{.metadata.annotations['example\\.com/team-label']}"), /^defaulted at .* \(sync\)$/);
  await new Promise((r) => setTimeout(r, 2000));
  const runs = () => p.events().filter((e) => e.event === 'sync').length;
  t.is(runs(), 2, 'the run that wrote the label, and the one that found it');
  await kubectlOk(['label', 'deploy', 'api', '-n', ns, 'team-']);
  await eventually('the label again', p, async () => (await get(ns, 'deploy/api', '{.metadata.labels.team}')) === 'unassigned');
  await new Promise((r) => setTimeout(r, 1500));
  t.is(runs(), 4);
  t.is((await p.stop('SIGTERM')).code, 0);
});

test("shell-operator-hook.sh: a shell-operator hook's write-back (cat > $KUBERNETES_PATCH_PATH) runs unchanged; --config still answers its binding", async (t) => {
  const ns = await namespace('ex-shop');
  await kubectlOk(['create', 'cm', 'orders', '-n', ns]);
  await kubectlOk(['label', 'cm', 'orders', '-n', ns, 'audit=true']);
  const p = watchq(ns, ['configmaps', '-l', 'audit=true', '--exec', example('shell-operator-hook.sh')]);
  await eventually('the audit ConfigMap', p, async () => (await get(ns, 'cm/orders-audit', '{.data.source}')) === 'orders');
  await eventually('the annotation', p, async () => (await get(ns, 'cm/orders', "{.metadata.annotations['example\\.com/audited-as']}")) === 'orders-audit');
  t.is((await p.stop('SIGTERM')).code, 0);
  const config = fs.readFileSync(example('shell-operator-hook.sh'), 'utf8');
  t.regex(config, /cat > "\$KUBERNETES_PATCH_PATH"/);
  const { execFileSync } = await import('node:child_process');
  t.regex(execFileSync(example('shell-operator-hook.sh'), ['--config']).toString(), /^configVersion: v1\n/);
});
