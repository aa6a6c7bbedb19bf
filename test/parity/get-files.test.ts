/**
 * `lsres -f` and `dynget -f` against `kubectl get -f` (#26): the objects a manifest names, from a
 * file, a directory (-R), stdin and comma lists, each in its own namespace or the run's, as
 * tables, names, JSON and YAML; one object alone prints without a List; and the refusals.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { sameAsKubectl, type Outcome } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';

let ns = '';
let other = '';
let kubeconfig = '';
let dir = '';

const cm = (name: string, namespace?: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  k: v\n`;

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  [ns, other] = await Promise.all([createNamespace('parity-get-files'), createNamespace('parity-get-files-other')]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'get-files-'));
  const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n`;
  // Objects of two namespaces and a cluster-scoped one: each is fetched where it says it is.
  fs.writeFileSync(path.join(dir, 'app.yaml'), [cm('one', ns), cm('two', ns), svc.replace('name: web', `name: web\n  namespace: ${ns}`), cm('elsewhere', other), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${other}\n`].join('---\n'));
  fs.writeFileSync(path.join(dir, 'single.yaml'), cm('one'));
  fs.mkdirSync(path.join(dir, 'tree', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tree', 'a.yaml'), cm('two'));
  fs.writeFileSync(path.join(dir, 'tree', 'sub', 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } }));
  fs.writeFileSync(path.join(dir, 'missing.yaml'), `${cm('one')}---\n${cm('not-there')}`);
  fs.writeFileSync(path.join(dir, 'unknown.yaml'), 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: [cm('one'), cm('two'), svc].join('---\n') });
  await kubectlOk(['apply', '-f', '-'], { input: cm('elsewhere', other) });
});

test.after.always(async () => {
  await Promise.all([ns, other].filter(Boolean).map((n) => deleteNamespace(n)));
  fs.rmSync(dir, { recursive: true, force: true });
});

const fill = (args: string[]) => args.map((a) => a.replaceAll('DIR', dir).replaceAll('NS', ns));
const ours = (plugin: 'lsres' | 'dynget', args: string[], input?: string) => (): Promise<Outcome> => runPlugin(plugin, ['--kubeconfig', kubeconfig, ...fill(args)], input === undefined ? {} : { input });
const theirs = (args: string[], input?: string) => (): Promise<Outcome> => kubectl(['get', ...fill(args)], input === undefined ? {} : { input });

const forms: string[][] = [
  ['-f', 'DIR/app.yaml'],
  ['-f', 'DIR/app.yaml', '-o', 'wide'],
  ['-f', 'DIR/app.yaml', '-o', 'name'],
  ['-f', 'DIR/app.yaml', '-o', 'json'],
  ['-f', 'DIR/app.yaml', '-o', 'yaml'],
  ['-f', 'DIR/app.yaml', '--no-headers'],
  ['-f', 'DIR/app.yaml', '-o', 'jsonpath={.items[*].metadata.name}'],
  ['-f', 'DIR/single.yaml', '-n', 'NS', '-o', 'json'],
  ['-f', 'DIR/single.yaml', '-n', 'NS', '-o', 'jsonpath={.metadata.name}'],
  ['-f', 'DIR/single.yaml,DIR/tree/a.yaml', '-n', 'NS', '-o', 'name'],
  ['-f', 'DIR/tree', '-n', 'NS', '-o', 'name'],
  ['-f', 'DIR/tree', '-R', '-n', 'NS'],
  ['--filename=DIR/tree', '--recursive', '-n', 'NS', '-o', 'yaml'],
];

for (const args of forms) {
  for (const plugin of ['lsres', 'dynget'] as const) {
    // dynget's tables carry its UID column: its tables are compared by lsres, its names and objects here.
    if (plugin === 'dynget' && !args.some((a) => /^(name|json|yaml|jsonpath=.*)$/.test(a))) continue;
    test(`${plugin} ${args.join(' ')}: as kubectl get`, async (t) => {
      await sameAsKubectl(t, args.join(' '), ours(plugin, args), theirs(args), { mask: (s) => s.replace(/("?(?:resourceVersion|uid|creationTimestamp)"?: )"?[^"\n,]*"?/g, '$1…') });
    });
  }
}

test('lsres -f - reads the manifests from stdin, as kubectl get -f -', async (t) => {
  const input = [cm('two'), cm('one')].join('---\n');
  await sameAsKubectl(t, 'stdin', ours('lsres', ['-f', '-', '-n', 'NS', '-o', 'name'], input), theirs(['-f', '-', '-n', 'NS', '-o', 'name'], input));
});

test('an object that does not exist: the table prints the others, -o name and json nothing, kubectl\'s NotFound line, exit 4 (kubectl: 1)', async (t) => {
  for (const output of [[], ['-o', 'name'], ['-o', 'json']]) {
    const args = ['-f', 'DIR/missing.yaml', '-n', 'NS', ...output];
    const [a, b] = await Promise.all([ours('lsres', args)(), theirs(args)()]);
    t.is(a.stdout.replace(/\d+s$/m, 'AGE'), b.stdout.replace(/\d+s$/m, 'AGE'), args.join(' '));
    t.is(b.code, 1);
    t.is(a.code, 4, a.stderr);
    t.is(a.stderr.split('\n')[0], b.stderr.split('\n')[0]);
  }
});

test('-n naming another namespace than an object\'s: kubectl\'s refusal, before any request', async (t) => {
  const args = ['-f', 'DIR/app.yaml', '-n', 'NS'];
  const [a, b] = await Promise.all([ours('lsres', args)(), theirs(args)()]);
  t.is(a.code, 2, a.stderr);
  t.is(a.stdout, '');
  t.is(a.stderr.split('\n')[0], b.stderr.split('\n')[0]);
});

test('refusals before any request: a missing path (kubectl\'s words), TYPE arguments beside -f, -R without -f, -k', async (t) => {
  const missing = await ours('lsres', ['-f', 'DIR/nope.yaml'])();
  const kubectlMissing = await theirs(['-f', 'DIR/nope.yaml'])();
  t.is(missing.code, 2, missing.stderr);
  t.is(missing.stderr.split('\n')[0], kubectlMissing.stderr.split('\n')[0]);
  const mixed = await ours('dynget', ['-f', 'DIR/single.yaml', 'pods'])();
  const kubectlMixed = await theirs(['-f', 'DIR/single.yaml', 'pods'])();
  t.is(mixed.code, 2);
  t.is(mixed.stderr.split('\n')[0], kubectlMixed.stderr.split('\n')[0]);
  const recursive = await ours('lsres', ['-R'])();
  t.is(recursive.code, 2);
  t.regex(recursive.stderr, /^error: -R needs -f/);
  const kustomize = await ours('lsres', ['-k', 'DIR'])();
  t.is(kustomize.code, 2);
  t.regex(kustomize.stderr, /^error: -k \(kustomize\) is not supported: these plugins do not build kustomizations\nhint: render it first: kubectl kustomize .* \| kubectl lsres -f -\n$/);
});

test('an unknown kind in a manifest: kubectl\'s message, exit 4', async (t) => {
  const r = await ours('lsres', ['-f', 'DIR/unknown.yaml'])();
  const k = await theirs(['-f', 'DIR/unknown.yaml'])();
  t.is(r.code, 4, r.stderr);
  t.not(k.code, 0);
  t.regex(r.stderr, /no matches for kind "Gizmo" in version "example\.com\/v1"/);
  t.regex(k.stderr, /no matches for kind "Gizmo" in version "example\.com\/v1"/);
});

test('lsres --raw PATH prints the body as dynget --raw and kubectl get --raw do', async (t) => {
  const raw = `/api/v1/namespaces/${ns}/configmaps/one`;
  const [a, b] = await Promise.all([ours('lsres', ['--raw', raw])(), theirs(['--raw', raw])()]);
  t.is(a.code, 0, a.stderr);
  t.deepEqual(JSON.parse(a.stdout), JSON.parse(b.stdout));
  const refused = await ours('lsres', ['--raw', raw, 'pods'])();
  t.is(refused.code, 2);
});
