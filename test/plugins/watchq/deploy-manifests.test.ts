import test from 'ava';
import path from 'node:path';
import { createNamespace, ensureCluster, kubectlOk } from '../../helpers/cluster.ts';
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
