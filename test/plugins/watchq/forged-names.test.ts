/**
 * Object names that try to forge output (issue 20): RBAC names may hold newlines and escape
 * sequences. A Role named `fake\nDeleted Role …\e[31m…` must not print a `Deleted …` line of its
 * own, nor colour the terminal: watchq shows it as kubectl shows the cell, `fake...`.
 */
import test from 'ava';
import { createNamespace, ensureCluster, kubectlOk } from '../../helpers/cluster.ts';
import { WatchqProcess } from './watchq-process.ts';

// (A name may not hold '/'; the forged line fakes a key without one.)
const forged = 'fake\nDeleted Role kube-system:bootstrap-signer\x1b[31m';

test('a Role whose name holds a newline and ESC: one event line each for sync and delete, cut at the newline', async (t) => {
  const { kubeconfig } = await ensureCluster();
  const ns = await createNamespace('watchq-forged');
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: forged, namespace: ns }, rules: [] };
  const w = new WatchqProcess(['--kubeconfig', kubeconfig, '-n', ns, 'roles']);
  await w.waitForSync();
  await kubectlOk(['create', '-f', '-'], { input: JSON.stringify(role) });
  await w.waitFor('the sync line', () => w.stdout.includes(`Sync/Add/Update for Role ${ns}/fake...`) || undefined);
  // Deleted by the REST path (kubectl cannot take such a name on its command line).
  await kubectlOk(['delete', '--raw', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/${encodeURIComponent(forged)}`]);
  await w.waitFor('the delete line', () => w.stdout.includes(`Deleted Role ${ns}/fake...`) || undefined);
  const done = await w.stop();
  const lines = done.stdout.split('\n').filter((l) => l !== '');
  t.deepEqual(lines, [`Sync/Add/Update for Role ${ns}/fake...`, `Deleted Role ${ns}/fake...`]);
  t.false(done.stdout.includes('\x1b'), 'no ESC on stdout');
  t.false(done.stderr.includes('\x1b'), 'no ESC on stderr');
  t.false(done.stderr.split('\n').some((l) => l.startsWith('Deleted')), 'no forged line on stderr');
});
