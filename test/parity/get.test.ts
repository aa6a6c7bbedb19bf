/**
 * `lsres` and `dynget` against `kubectl get`, for every listable type the server serves (the
 * built-in groups and the seed's CRD): tables (alignment included), -o wide, -o name, -o json and
 * -o yaml in a namespace seeded with objects of many kinds; -A and cluster-scoped lists narrowed
 * to this run's objects by label, and the unnarrowed cluster-scoped lists of types no other test
 * changes. dynget's table adds a UID column (a documented superset): its other formats are compared.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { forEachLimited, sameAsKubectl, type Outcome, runTag } from '../helpers/oracle.ts';
import { repoRoot, runPlugin } from '../helpers/plugin.ts';
import { waitFor } from '../helpers/wait.ts';

const run = runTag();
let ns = '';
let kubeconfig = '';
let types: Array<{ name: string; namespaced: boolean }> = [];

/** Groups whose types are always there; CRDs other test files create and delete come and go. */
const stableGroup = (name: string) => !name.includes('.') || /\.k8s\.io$|^[^.]+\.(apps|batch|policy|autoscaling)$|\.aiops\.org$/.test(name) || /^[a-z]+\.(apps|batch|policy|autoscaling)$/.test(name);
/** Cluster-scoped types whose full lists no other test changes while this one runs. */
const quietClusterTypes = new Set(['apiservices.apiregistration.k8s.io', 'nodes', 'priorityclasses.scheduling.k8s.io', 'flowschemas.flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io', 'ingressclasses.networking.k8s.io', 'storageclasses.storage.k8s.io', 'csidrivers.storage.k8s.io', 'runtimeclasses.node.k8s.io']);

test.before(async () => {
  const cluster = await ensureCluster();
  kubeconfig = cluster.kubeconfig;
  await kubectlOk(['apply', '-f', path.join(repoRoot, 'test/fixtures/seed/crd.yaml')]);
  await kubectlOk(['wait', '--for=condition=Established', 'crd/myresources.aiops.org', '--timeout=60s']);
  ns = await createNamespace('parity-get');
  await kubectlOk(['label', 'namespace', ns, `parity=${run}`]);
  const seed = fs.readFileSync(path.join(repoRoot, 'test/fixtures/parity/seed.yaml'), 'utf8').replace(/\bNS\b/g, ns).replace(/\bRUN\b/g, run);
  await kubectlOk(['apply', '-f', '-'], { input: seed });
  await waitFor('the deployment, daemonset and statefulset to settle', async () => {
    const out = await kubectlOk(['get', 'deploy/web', 'ds/agent', 'sts/db', '-n', ns, '-o', 'jsonpath={.items[*].status.readyReplicas}{"/"}{.items[1].status.numberReady}']);
    const pods = await kubectlOk(['get', 'pods', '-n', ns, '-o', 'jsonpath={range .items[*]}{.status.phase}{" "}{end}']);
    return /^2 1\/\d+$/.test(out.trim()) && !pods.includes('Pending') ? true : undefined;
  }, 90_000, 500);
  const list = await kubectlOk(['api-resources', '--verbs=list', '-o', 'name']);
  const namespaced = new Set((await kubectlOk(['api-resources', '--verbs=list', '--namespaced=true', '-o', 'name'])).split('\n'));
  types = list.split('\n').filter((n) => n && stableGroup(n) && n !== 'componentstatuses').map((name) => ({ name, namespaced: namespaced.has(name) }));
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  await kubectl(['delete', 'clusterrole,clusterrolebinding,priorityclass,storageclass,pv,ingressclass', '-l', `parity=${run}`, '--wait=false']);
});

const plugin = (name: string, args: string[]) => (): Promise<Outcome> => runPlugin(name, ['--kubeconfig', kubeconfig, ...args]);
const oracle = (args: string[]) => (): Promise<Outcome> => kubectl(args);

test('the suite sees every type it should', (t) => {
  const names = types.map((x) => x.name);
  for (const expected of ['pods', 'deployments.apps', 'myresources.aiops.org', 'clusterroles.rbac.authorization.k8s.io', 'horizontalpodautoscalers.autoscaling', 'leases.coordination.k8s.io']) {
    t.true(names.includes(expected), expected);
  }
  t.true(types.length >= 40, `${types.length} types`);
});

for (const format of ['table', 'wide', 'name', 'json', 'yaml']) {
  test(`lsres TYPE -n NS ${format === 'table' ? '' : `-o ${format} `}prints what kubectl get does, for every namespaced type`, async (t) => {
    const o = format === 'table' ? [] : ['-o', format];
    // Events keep arriving and changing here (the HPA finds no metrics every 15 s), so two runs
    // never list the same ones: they are compared in the -A tests below, narrowed by label.
    const chosen = types.filter((x) => x.namespaced && !/^events(\.|$)/.test(x.name));
    await forEachLimited(chosen, 3, async ({ name }) => {
      await sameAsKubectl(t, `${name} ${format}`, plugin('lsres', [name, '-n', ns, ...o]), oracle(['get', name, '-n', ns, ...o]));
    });
  });
}

for (const format of ['table', 'wide', 'name', 'json', 'yaml']) {
  test(`lsres TYPE -A -l parity=RUN ${format === 'table' ? '' : `-o ${format}`} prints what kubectl get does, for every type`, async (t) => {
    const o = format === 'table' ? [] : ['-o', format];
    await forEachLimited(types, 3, async ({ name }) => {
      await sameAsKubectl(t, `${name} -A ${format}`, plugin('lsres', [name, '-A', '-l', `parity=${run}`, ...o]), oracle(['get', name, '-A', '-l', `parity=${run}`, ...o]));
    });
  });
}

test('cluster-scoped lists no other test changes print as kubectl prints them, table and -o name', async (t) => {
  const chosen = types.filter((x) => quietClusterTypes.has(x.name));
  t.true(chosen.length >= 6, chosen.map((x) => x.name).join(','));
  await forEachLimited(chosen, 3, async ({ name }) => {
    for (const o of [[], ['-o', 'name'], ['-o', 'wide']]) {
      await sameAsKubectl(t, `${name} ${o.join(' ')}`, plugin('lsres', [name, ...o]), oracle(['get', name, ...o]));
    }
  });
});

test('several types at once: kind prefixes, a blank line between tables, none with --no-headers', async (t) => {
  const several = 'deploy,svc,cm,secrets,roles.rbac.authorization.k8s.io,myres';
  for (const extra of [[], ['--no-headers'], ['-o', 'name'], ['-o', 'wide']]) {
    await sameAsKubectl(t, `${several} ${extra.join(' ')}`, plugin('lsres', [several, '-n', ns, ...extra]), oracle(['get', several, '-n', ns, ...extra]));
  }
  await sameAsKubectl(t, 'the default three', plugin('lsres', ['-n', ns]), oracle(['get', 'pods,deployments,services', '-n', ns]));
});

test('dynget TYPE [NAME] -o name|json|yaml prints what kubectl get does', async (t) => {
  for (const [type, name] of [['myres', 'my-first-crd'], ['deploy', 'web'], ['cm', 'settings'], ['secret', 'creds'], ['hpa', 'web']] as const) {
    for (const o of ['name', 'json', 'yaml']) {
      await sameAsKubectl(t, `${type} ${o}`, plugin('dynget', [type, '-n', ns, '-o', o]), oracle(['get', type, '-n', ns, '-o', o]));
      await sameAsKubectl(t, `${type} ${name} ${o}`, plugin('dynget', [type, name, '-n', ns, '-o', o]), oracle(['get', type, name, '-n', ns, '-o', o]));
    }
  }
  await sameAsKubectl(t, 'with managed fields', plugin('dynget', ['deploy', 'web', '-n', ns, '-o', 'yaml', '--show-managed-fields']), oracle(['get', 'deploy', 'web', '-n', ns, '-o', 'yaml', '--show-managed-fields']));
});

test('a list longer than --chunk-size is aligned as one table, as kubectl aligns it', async (t) => {
  // A namespace of its own: the tests above list the seeded namespace's ConfigMaps meanwhile.
  const chunkNs = await createNamespace('parity-chunk');
  try {
    const objects = Array.from({ length: 30 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: i < 20 ? `c${i}` : `a-much-longer-name-that-comes-after-the-first-chunk-${i}`, namespace: chunkNs, labels: { chunk: run } } }));
    // One POST per object (apply would GET each first); a loaded two-core server may take a while.
    await kubectlOk(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), timeoutMs: 180_000 });
    for (const o of [[], ['-A']]) {
      await sameAsKubectl(t, `chunked ${o.join(' ')}`, plugin('lsres', ['cm', '-n', chunkNs, '-l', `chunk=${run}`, '--chunk-size', '7', ...o]), oracle(['get', 'cm', '-n', chunkNs, '-l', `chunk=${run}`, '--chunk-size', '7', ...o]));
    }
  } finally {
    await deleteNamespace(chunkNs);
  }
});

test('nothing found: the same message as kubectl, namespaced or cluster-scoped', async (t) => {
  for (const args of [['cm', '-l', 'none=here'], ['clusterroles', '-l', 'none=here'], ['cm', '-A', '-l', 'none=here'], ['cm', '-l', 'none=here', '-o', 'name'], ['cm', '-l', 'none=here', '-o', 'json']]) {
    await sameAsKubectl(t, args.join(' '), plugin('lsres', [...args, '-n', ns]), oracle(['get', ...args, '-n', ns]));
  }
});
