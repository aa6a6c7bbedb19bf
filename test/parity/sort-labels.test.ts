/**
 * --sort-by, -L/--label-columns, --show-labels, --show-kind and --chunk-size 0 against
 * `kubectl get` on the same objects: sorting by strings, numbers, timestamps, quantities (`100m`
 * < `1` < `512Mi` < `2Gi`), a field some objects lack, ties in lists longer than 12 (Go's
 * pdqsort, not just its insertion sort), in tables and in -o name|json|jsonpath|custom-columns.
 * Where kubectl's table path fails or prints nothing (several types; a field no object has),
 * the difference is tested and documented in README.
 */
import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl, kubectlOk } from '../helpers/cluster.ts';
import { sameAsKubectl } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';
import { seededNamespace } from './output-seed.ts';

const sizes = ['100m', '1', '2Gi', '512Mi', '10', '9', 'abc', '1e3', '0.5', '1k'];

const seeded = seededNamespace('parity-sort', async ({ ns, run }) => {
  // 30 ConfigMaps: ranks, sizes as quantities (some missing), groups with ties.
  const items = Array.from({ length: 30 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `item-${String((i * 7) % 30).padStart(2, '0')}`, namespace: ns, labels: { sort: run, group: `g${i % 4}`, ...(i % 3 === 0 ? { tier: `t${i % 5}` } : {}) } },
    data: { rank: String((i * 11) % 30), ...(i % 5 === 4 ? {} : { size: sizes[i % sizes.length]! }) },
  }));
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
  // Three more a second apart, for creationTimestamp.
  for (const name of ['late-c', 'late-a', 'late-b']) {
    await kubectlOk(['create', 'configmap', name, '-n', ns]);
    await kubectlOk(['label', 'configmap', name, '-n', ns, `late=${run}`]);
    await sleep(1100);
  }
});
const { plugin, oracle } = seeded;
const compare = (t: import('ava').ExecutionContext, args: string[], options: { stderr?: boolean } = {}) => sameAsKubectl(t, args.join(' '), plugin('lsres', args), oracle(['get', ...args]), options);

const sorts = ['.metadata.name', '{.metadata.name}', 'metadata.name', '.data.size', '.data.rank', '.metadata.labels.group', '.metadata.labels.tier', '.metadata.creationTimestamp', '.metadata.uid', '.kind'];

test('--sort-by in a table, -o name, -o json, jsonpath and custom columns, as kubectl sorts', async (t) => {
  for (const sortBy of sorts) {
    for (const format of [[], ['-o', 'name'], ['-o', 'json'], ['-o', 'jsonpath={range .items[*]}{.metadata.name}{" "}{end}'], ['-o', 'custom-columns=NAME:.metadata.name,SIZE:.data.size,GROUP:.metadata.labels.group']]) {
      await compare(t, ['cm', '-n', seeded.ns, '-l', `sort=${seeded.run}`, `--sort-by=${sortBy}`, ...format]);
    }
  }
  for (const sortBy of ['.metadata.creationTimestamp', '.metadata.name']) await compare(t, ['cm', '-n', seeded.ns, '-l', `late=${seeded.run}`, `--sort-by=${sortBy}`]);
});

test('--sort-by on numbers and across namespaces', async (t) => {
  await compare(t, ['svc', '-n', seeded.ns, '--sort-by=.spec.ports[0].port']);
  await compare(t, ['svc', '-n', seeded.ns, '--sort-by=.spec.ports[0].port', '-o', 'name']);
  await compare(t, ['deploy,svc,cm', '-n', seeded.ns, '-l', `run=${seeded.run}`, '--sort-by=.metadata.name', '-o', 'name']);
  await compare(t, ['deploy,svc,cm', '-n', seeded.ns, '-l', `run=${seeded.run}`, '--sort-by=.metadata.name', '-o', 'jsonpath={.items[*].metadata.name}']);
  await compare(t, ['cm', '-A', '-l', `run=${seeded.run}`, '--sort-by=.metadata.name']);
  await compare(t, ['cm', 'alpha', 'beta', 'gamma', '-n', seeded.ns, '--sort-by=.data.count', '-o', 'name']);
  await compare(t, ['cm', 'beta', '-n', seeded.ns, '--sort-by=.metadata.nope']);
});

test('--sort-by errors both report: a field no object has (-o name), an unsortable value', async (t) => {
  for (const args of [['cm', '-n', seeded.ns, '-l', `sort=${seeded.run}`, '--sort-by=.metadata.nope', '-o', 'name'], ['cm', '-n', seeded.ns, '-l', `sort=${seeded.run}`, '--sort-by=.data', '-o', 'json'], ['cm', '-n', seeded.ns, '--sort-by=.metadata.labels', '-o', 'name']]) {
    const [ours, theirs] = await Promise.all([plugin('lsres', args)(), oracle(['get', ...args])()]);
    t.not(theirs.code, 0, args.join(' '));
    t.is(ours.code, 1, args.join(' '));
    t.is(ours.stdout, theirs.stdout);
    t.regex(ours.stderr, /^error: (couldn't find any field with path "\{\.metadata\.nope\}" in the list of objects|field \{\.(data|metadata\.labels)\} is an unsortable type: unsortable type: map\[string\]interface \{\})\n$/);
  }
});

test('--sort-by where kubectl\'s table path fails: we sort each type\'s table (documented difference)', async (t) => {
  const several = ['deploy,svc,cm', '-n', seeded.ns, '-l', `run=${seeded.run}`, '--sort-by=.metadata.name'];
  const theirs = await kubectl(['get', ...several]);
  t.is(theirs.code, 1);
  t.is(theirs.stderr, 'error: couldn\'t find any field with path "{.metadata.name}" in the list of objects\n');
  const ours = await runPlugin('lsres', ['--kubeconfig', seeded.kubeconfig, ...several]);
  t.is(ours.code, 0, ours.stderr);
  // Each table is what kubectl prints for its type alone, sorted.
  const alone = await Promise.all(['deploy', 'svc', 'cm'].map((type) => kubectlOk(['get', type, '-n', seeded.ns, '-l', `run=${seeded.run}`, '--sort-by=.metadata.name', '--show-kind'])));
  const mask = (s: string) => s.replace(/\b\d+[smh]\b/g, 'AGE').replace(/ +/g, ' ');
  t.is(mask(ours.stdout), mask(alone.join('\n')));

  // A field no object has: kubectl prints nothing and "No resources found", exit 0; we say why, exit 1.
  const missing = ['cm', '-n', seeded.ns, '-l', `sort=${seeded.run}`, '--sort-by=.metadata.nope'];
  const theirsMissing = await kubectl(['get', ...missing]);
  t.is(theirsMissing.code, 0);
  t.is(theirsMissing.stdout, '');
  const oursMissing = await runPlugin('lsres', ['--kubeconfig', seeded.kubeconfig, ...missing]);
  t.is(oursMissing.code, 1);
  t.is(oursMissing.stderr, 'error: couldn\'t find any field with path "{.metadata.nope}" in the list of objects\n');
});

test('-L/--label-columns (repeatable, comma lists), --show-labels, --show-kind print as kubectl prints them', async (t) => {
  const base = ['cm', '-n', seeded.ns, '-l', `sort=${seeded.run}`, '--sort-by=.metadata.name'];
  for (const extra of [['-L', 'group'], ['-L', 'group,tier'], ['-L', 'group', '-L', 'tier'], ['--label-columns=tier,missing'], ['--show-labels'], ['--show-labels', '-L', 'tier'], ['--show-kind'], ['--show-kind', '-L', 'group', '--no-headers'], ['-o', 'wide', '--show-labels']]) {
    await compare(t, [...base, ...extra]);
  }
  for (const extra of [['-L', 'app.kubernetes.io/name,tier'], ['--show-labels'], ['--show-kind', '-o', 'name'], ['-L', 'app', '-o', 'json']]) {
    await compare(t, ['cm,svc', '-n', seeded.ns, '-l', `run=${seeded.run}`, ...extra]);
    await compare(t, ['cm', '-A', '-l', `run=${seeded.run}`, ...extra]);
  }
  await compare(t, ['cm/alpha', 'svc/web', '-n', seeded.ns, '--show-labels', '-L', 'app']);
  // dynget too (its UID column comes last).
  const dyn = await runPlugin('dynget', ['--kubeconfig', seeded.kubeconfig, 'cm', 'alpha', '-n', seeded.ns, '--show-labels', '-L', 'tier']);
  t.regex(dyn.stdout, /^NAME\s+DATA\s+AGE\s+TIER\s+LABELS\s+UID\n/);
  t.regex(dyn.stdout, /app\.kubernetes\.io\/name=alpha,app=web,run=\w+,tier=front\s+[0-9a-f-]{36}\n$/);
});

test('--show-labels with another output: both refuse', async (t) => {
  const args = ['cm', '-n', seeded.ns, '--show-labels', '-o', 'json'];
  const [ours, theirs] = await Promise.all([plugin('lsres', args)(), oracle(['get', ...args])()]);
  t.is(theirs.stderr, 'error: --show-labels option cannot be used with json printer\n');
  t.is(ours.stderr, theirs.stderr);
  t.is(ours.code, 2);
});

test('--chunk-size 0 lists in one request, as kubectl', async (t) => {
  for (const extra of [[], ['-o', 'json'], ['-o', 'name']]) await compare(t, ['cm', '-n', seeded.ns, '-l', `sort=${seeded.run}`, '--chunk-size', '0', ...extra]);
  const ours = await runPlugin('lsres', ['--kubeconfig', seeded.kubeconfig, 'cm', '-n', seeded.ns, '-l', `sort=${seeded.run}`, '--chunk-size=0', '-v=6']);
  t.regex(ours.stderr, /GET https:\/\/[^ ]+\/api\/v1\/namespaces\/[^ ?]+\/configmaps\?includeObject=None&labelSelector=[^ &]+ 200/);
  t.notRegex(ours.stderr, /limit=/);
});
