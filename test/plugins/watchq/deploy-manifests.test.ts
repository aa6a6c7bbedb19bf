import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { imagesOf, isPinned } from '../../../scripts/sea/pin-image.ts';
import { createNamespace, ensureCluster, kubectl, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
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
      'networkpolicy.networking.k8s.io/watchq created (server dry run)',
      'deployment.apps/watchq created (server dry run)',
      '',
    ].join('\n'),
  );
  t.is((await kubectlOk(['get', 'deploy,role,rolebinding,sa,networkpolicy', '-n', ns, '-o', 'name'])).trim(), 'serviceaccount/default');
});

test('a server dry run into a namespace enforcing the restricted Pod Security Standard: accepted without a warning', async (t) => {
  await ensureCluster();
  const ns = await createNamespace('watchq-restricted');
  await kubectlOk(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted']);
  const r = await kubectl(['apply', '--dry-run=server', '-n', ns, '-f', manifest]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '', 'no PodSecurity warning');
  t.regex(r.stdout, /deployment\.apps\/watchq created \(server dry run\)/);
});

test('the Role: its own Lease only (kubectl auth can-i as the ServiceAccount)', async (t) => {
  await ensureCluster();
  const ns = await createNamespace('watchq-can-i');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: roleAndBinding() + '\n---\n' + documents(/kind: ServiceAccount\b/) });
  const as = `system:serviceaccount:${ns}:watchq`;
  const canI = async (...what: string[]) => {
    const r = await kubectl(['auth', 'can-i', ...what, '-n', ns, `--as=${as}`]);
    return r.stdout.trim();
  };
  const expected: Array<[string[], 'yes' | 'no']> = [
    [['list', 'deployments.apps'], 'yes'],
    [['watch', 'deployments.apps'], 'yes'],
    [['create', 'leases.coordination.k8s.io'], 'yes'],
    [['get', 'leases.coordination.k8s.io/watchq-deployments'], 'yes'],
    [['update', 'leases.coordination.k8s.io/watchq-deployments'], 'yes'],
    // Another controller's leader election is out of reach.
    [['update', 'leases.coordination.k8s.io/kube-scheduler'], 'no'],
    [['get', 'leases.coordination.k8s.io/kube-scheduler'], 'no'],
    [['list', 'leases.coordination.k8s.io'], 'no'],
    [['delete', 'leases.coordination.k8s.io/watchq-deployments'], 'no'],
    [['patch', 'leases.coordination.k8s.io/watchq-deployments'], 'no'],
    [['get', 'deployments.apps'], 'no'],
    [['get', 'secrets'], 'no'],
  ];
  const actual = await Promise.all(expected.map(async ([what]) => [what, await canI(...what)] as const));
  t.deepEqual(actual, expected);
});

test('images are pinned by digest: the manifest, and the Dockerfile\'s base', (t) => {
  const images = imagesOf(fs.readFileSync(manifest, 'utf8'));
  t.deepEqual(images.map((i) => i.split('@')[0]), ['ghcr.io/kubectl-plugins/kubectl-watchq:0.1.0']);
  t.true(images.every(isPinned), images.join(', '));
  const from = fs.readFileSync(path.join(repoRoot, 'plugins/watchq/deploy/Dockerfile'), 'utf8').match(/^FROM\s+(\S+)/gm) ?? [];
  t.true(from.length > 0);
  t.true(from.every((line) => isPinned(line.replace(/^FROM\s+/, ''))), from.join(', '));
});

test('the metrics port listens on the pod IP, not on every interface', (t) => {
  const text = fs.readFileSync(manifest, 'utf8');
  t.true(text.includes('"--metrics-addr", "[$(POD_IP)]:9090"'));
  t.regex(text, /- name: POD_IP\n\s+valueFrom:\n\s+fieldRef: \{fieldPath: status\.podIP\}/);
  t.false(text.includes('0.0.0.0'));
});

test("the manifest's Role grants exactly what watchq --leader-elect says it needs", async (t) => {
  await ensureCluster();
  const ns = await createNamespace('watchq-rbac');
  const sa = await serviceAccountKubeconfig(ns, 'watchq');
  const r = await runPlugin('watchq', ['--kubeconfig', sa, 'deployments', '--leader-elect'], { timeoutMs: 60_000 });
  t.is(r.code, 3, r.stderr);
  const commands = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('kubectl create role '));
  t.deepEqual(commands.sort(), [
    `kubectl create role watchq-create-get-update-leases.coordination.k8s.io-for-${ns}-watchq --verb=create,get,update --resource=leases.coordination.k8s.io -n ${ns}`,
    `kubectl create role watchq-list-watch-deployments.apps-for-${ns}-watchq --verb=list,watch --resource=deployments.apps -n ${ns}`,
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
  return documents(/kind: (Role|RoleBinding)\b/);
}

function documents(kind: RegExp): string {
  return fs
    .readFileSync(manifest, 'utf8')
    .split(/^---$/m)
    .filter((doc: string) => kind.test(doc))
    .join('\n---\n');
}

const sharded = path.join(repoRoot, 'plugins/watchq/deploy/watchq-sharded.yaml');

test('the sharded example (3 replicas, --shards 12, a PodDisruptionBudget): a server-side dry run, restricted, pinned', async (t) => {
  await ensureCluster();
  const ns = await createNamespace('watchq-sharded');
  await kubectlOk(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted']);
  const r = await kubectl(['apply', '--dry-run=server', '-n', ns, '-f', sharded]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '', 'no PodSecurity warning');
  t.regex(r.stdout, /poddisruptionbudget\.policy\/watchq-sharded created \(server dry run\)/);
  t.regex(r.stdout, /deployment\.apps\/watchq-sharded created \(server dry run\)/);
  const text = fs.readFileSync(sharded, 'utf8');
  t.true(imagesOf(text).every(isPinned));
  t.true(text.includes('args: ["deployments", "--shards", "12",'));
});

test("the sharded example's Role names every Lease it may update, and is enough to run: the shards are owned", async (t) => {
  await ensureCluster();
  const ns = await createNamespace('watchq-sharded-rbac');
  const doc = (kind: RegExp) => fs.readFileSync(sharded, 'utf8').split(/^---$/m).filter((d) => kind.test(d)).join('\n---\n');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: `${doc(/kind: (Role|RoleBinding)\b/)}\n---\n${doc(/kind: ServiceAccount\b/)}` });
  const as = `system:serviceaccount:${ns}:watchq-sharded`;
  const canI = async (...what: string[]) => (await kubectl(['auth', 'can-i', ...what, '-n', ns, `--as=${as}`])).stdout.trim();
  t.is(await canI('update', 'leases.coordination.k8s.io/watchq-deployments-11-of-12'), 'yes');
  t.is(await canI('update', 'leases.coordination.k8s.io/watchq-deployments-member-11'), 'yes');
  t.is(await canI('update', 'leases.coordination.k8s.io/watchq-deployments-12-of-12'), 'no');
  t.is(await canI('update', 'leases.coordination.k8s.io/kube-scheduler'), 'no');
  const w = new WatchqProcess(['--kubeconfig', await serviceAccountKubeconfig(ns, 'watchq-sharded'), 'deployments', '--shards', '12', '-o', 'json']);
  await w.waitFor('all 12 shards', () => /Shards owned: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 of 12/.test(w.stderr) || undefined);
  t.is((await w.stop()).code, 0, w.stderr);
});
