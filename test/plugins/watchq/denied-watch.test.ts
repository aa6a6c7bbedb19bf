import test from 'ava';
import { createNamespace, deleteNamespace, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';

test('a ServiceAccount that may list but not watch: exit 3 with the commands that grant the watch, not retries for ever', async (t) => {
  const ns = await createNamespace('watchq-nowatch');
  t.teardown(() => deleteNamespace(ns));
  const sa = await serviceAccountKubeconfig(ns, 'lister');
  await kubectlOk(['create', 'role', 'list-only', '--verb=list', '--resource=configmaps', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'list-only', '--role=list-only', `--serviceaccount=${ns}:lister`, '-n', ns]);
  const r = await runPlugin('watchq', ['--kubeconfig', sa, 'configmaps'], { timeoutMs: 30_000 });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /^error: configmaps is forbidden: .*cannot watch resource "configmaps"/m);
  t.regex(r.stderr, new RegExp(`kubectl create role watchq-watch-configmaps-for-${ns}-lister --verb=watch --resource=configmaps -n ${ns}`));
  t.notRegex(r.stderr, /retrying in/);
});
