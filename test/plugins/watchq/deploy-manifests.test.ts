import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { createNamespace, ensureCluster, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
import { WatchqProcess } from './watchq-process.ts';
import { repoRoot, runPlugin } from '../../helpers/plugin.ts';

const manifest = path.join(repoRoot, 'plugins/watchq/deploy/watchq.yaml');

test('the in-cluster manifests pass a server-side dry run and create nothing', async (t) => {
  const { kubeconfig } = await ensureCluster();
  const ns = await createNamespace('watchq-deploy');
  const r = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-n', ns, '-f', manifest, '--dry-run=server']);
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    [
      'serviceaccount/watchq created (server dry run)',
      'role.rbac.authorization.k8s.io/watchq created (server dry run)',
      'rolebinding.rbac.authorization.k8s.io/watchq created (server dry run)',
      'deployment.apps/watchq created (server dry run)',
      '',
    ].join('\n'),
  );
  t.is((await kubectlOk(['get', 'deploy,role,rolebinding,sa', '-n', ns, '-o', 'name'])).trim(), 'serviceaccount/default');
});

test("the manifest's Role grants exactly what watchq --leader-elect says it needs", async (t) => {
  await ensureCluster();
  const ns = await createNamespace('watchq-rbac');
  const sa = await serviceAccountKubeconfig(ns, 'watchq');
  const r = await runPlugin('watchq', ['--kubeconfig', sa, 'deployments', '--leader-elect'], { timeoutMs: 60_000 });
  t.is(r.code, 3, r.stderr);
  const commands = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('kubectl create role '));
  t.deepEqual(commands.sort(), [
    `kubectl create role watchq-create-get-update --verb=create,get,update --resource=leases.coordination.k8s.io -n ${ns}`,
    `kubectl create role watchq-list-watch --verb=list,watch --resource=deployments.apps -n ${ns}`,
  ]);
  // The manifest's Role, applied in this namespace, is enough to run.
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: roleAndBinding() });
  const w = new WatchqProcess(['--kubeconfig', sa, 'deployments', '--leader-elect', '-o', 'json']);
  await w.waitForSync();
  await w.waitFor('leadership', () => /Leading: lease/.test(w.stderr) || undefined);
  t.is((await w.stop()).code, 0);
});

/** The Role and RoleBinding documents of the manifest (not its Deployment). */
function roleAndBinding(): string {
  return fs
    .readFileSync(manifest, 'utf8')
    .split(/^---$/m)
    .filter((doc: string) => /kind: (Role|RoleBinding)\b/.test(doc))
    .join('\n---\n');
}
