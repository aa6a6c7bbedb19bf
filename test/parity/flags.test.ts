/**
 * pflag's grammar through the built executables, kubectl on the same argv as the oracle where it
 * has the flag (`lsres`/`dynget` ↔ `kubectl get`, `mkdeploy NAME` ↔ `kubectl create deployment`):
 * for forms that work, the same stdout; for refusals, the same first `error:` line, and exit 2
 * where kubectl exits 1 (our documented usage code, README "Flags"). Forms kubectl has no flag
 * for are checked against what they must produce. A second part proves that no form of
 * `--dry-run` creates anything: the namespace is listed before and after.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { sameAsKubectl, type Outcome } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';

let ns = '';
let kubeconfig = '';
let dir = '';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('parity-flags');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-flags-'));
  await kubectlOk(['create', 'configmap', 'web-config', '-n', ns, '--from-literal=a=b']);
  await kubectlOk(['label', 'configmap', 'web-config', '-n', ns, 'app=web']);
  await kubectlOk(['create', 'configmap', 'db-config', '-n', ns, '--from-literal=a=b']);
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  fs.rmSync(dir, { recursive: true, force: true });
});

type Plugin = 'lsres' | 'dynget' | 'mkdeploy' | 'watchq';
const fill = (args: string[]) => args.map((a) => a.replaceAll('NS', ns));
const ours = (plugin: Plugin, args: string[], input?: string) => (): Promise<Outcome> =>
  runPlugin(plugin, ['--kubeconfig', kubeconfig, ...fill(args)], input === undefined ? {} : { input });
const theirs = (args: string[], input?: string) => (): Promise<Outcome> => kubectl(fill(args), input === undefined ? {} : { input });
const firstLine = (text: string) => text.split('\n').find((l) => l.trim() !== '') ?? '';
/** kubectl's klog header (`W1202 00:41:11.127998   27794 helpers.go:719] `) and our `Warning: ` say the same. */
const warningText = (text: string) => text.replace(/^[IWE]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] /gm, '').replace(/^Warning: /gm, '');

/** Forms that work: the same output as kubectl's on the same flags. */
const working: Array<{ plugin: Plugin; args: string[]; kubectl: string[]; stderr?: boolean }> = [
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-oname'], kubectl: ['get', 'configmaps', '-nNS', '-oname'] },
  { plugin: 'lsres', args: ['configmaps', '-n=NS', '-o=name'], kubectl: ['get', 'configmaps', '-n=NS', '-o=name'] },
  { plugin: 'lsres', args: ['--namespace=NS', 'configmaps', '--output', 'name'], kubectl: ['get', '--namespace=NS', 'configmaps', '--output', 'name'] },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-lapp=web', '-oname'], kubectl: ['get', 'configmaps', '-nNS', '-lapp=web', '-oname'] },
  { plugin: 'lsres', args: ['-nNS', '-oname', '--', 'configmaps'], kubectl: ['get', '-nNS', '-oname', '--', 'configmaps'] },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-oname', '-v6'], kubectl: ['get', 'configmaps', '-nNS', '-oname', '-v6'], stderr: false },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-oname', '-v', '6'], kubectl: ['get', 'configmaps', '-nNS', '-oname', '-v', '6'], stderr: false },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-oname', '--v=0'], kubectl: ['get', 'configmaps', '-nNS', '-oname', '--v=0'] },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-oname', '-v=-1'], kubectl: ['get', 'configmaps', '-nNS', '-oname', '-v=-1'] },
  { plugin: 'lsres', args: ['-Aoname', '-lapp=web', 'configmaps'], kubectl: ['get', '-Aoname', '-lapp=web', 'configmaps'] },
  { plugin: 'lsres', args: ['--all_namespaces=false', '-nNS', '-oname', 'configmaps'], kubectl: ['get', '--all_namespaces=false', '-nNS', '-oname', 'configmaps'] },
  // A list flag takes one value per occurrence: `configmaps` stays the type.
  { plugin: 'lsres', args: ['--as=admin', '--as-group', 'system:masters', 'configmaps', '--as-group', 'g2', '-nNS', '-oname'], kubectl: ['get', '--as=admin', '--as-group', 'system:masters', 'configmaps', '--as-group', 'g2', '-nNS', '-oname'] },
  // A flag given twice: pflag's Set overwrites, so the last value counts (list flags append).
  { plugin: 'lsres', args: ['configmaps', '-n', 'default', '-nNS', '-oname'], kubectl: ['get', 'configmaps', '-n', 'default', '-nNS', '-oname'] },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-o', 'json', '-oname', '--chunk-size=1', '--chunk-size', '0'], kubectl: ['get', 'configmaps', '-nNS', '-o', 'json', '-oname', '--chunk-size=1', '--chunk-size', '0'] },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-oname', '-v', '6', '-v=0', '-l', 'app=none', '--selector', 'app=web'], kubectl: ['get', 'configmaps', '-nNS', '-oname', '-v', '6', '-v=0', '-l', 'app=none', '--selector', 'app=web'] },
  { plugin: 'dynget', args: ['configmap', 'web-config', '-nNS', '-oyaml', '--output=name', '--context=nowhere', '--context', 'local'], kubectl: ['get', 'configmap', 'web-config', '-nNS', '-oyaml', '--output=name', '--context=nowhere', '--context', 'local'] },
  { plugin: 'mkdeploy', args: ['web', '--image=nginx', '-r', '5', '--replicas=2', '--port=1', '--port', '80', '--dry-run=server', '--dry-run=client', '-ojson', '-oyaml'], kubectl: ['create', 'deployment', 'web', '--image=nginx', '-r', '5', '--replicas=2', '--port=1', '--port', '80', '--dry-run=server', '--dry-run=client', '-ojson', '-oyaml'] },
  // A value as typed, quotes and all.
  { plugin: 'lsres', args: ['configmaps', '-n', "'NS'", '--selector="app=web"'], kubectl: ['get', 'configmaps', '-n', "'NS'", '--selector="app=web"'] },
  // StringSlice flags (--image, -f, -L): each value is a comma-separated list, read as CSV.
  { plugin: 'mkdeploy', args: ['web', '--image=nginx,redis', '--dry-run=client', '-oyaml'], kubectl: ['create', 'deployment', 'web', '--image=nginx,redis', '--dry-run=client', '-oyaml'] },
  { plugin: 'mkdeploy', args: ['web', '--image=', '--image', 'nginx', '--image="busybox",redis', '--dry-run=client', '-ojson'], kubectl: ['create', 'deployment', 'web', '--image=', '--image', 'nginx', '--image="busybox",redis', '--dry-run=client', '-ojson'] },
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-L', 'app,tier', '-L', '"x"', '--label-columns=y'], kubectl: ['get', 'configmaps', '-nNS', '-L', 'app,tier', '-L', '"x"', '--label-columns=y'] },
  { plugin: 'dynget', args: ['configmap', 'web-config', '-nNS', '-ojson'], kubectl: ['get', 'configmap', 'web-config', '-nNS', '-ojson'] },
  { plugin: 'dynget', args: ['configmap', '-nNS', '-oname', '--chunk-size=0x1'], kubectl: ['get', 'configmap', '-nNS', '-oname', '--chunk-size=0x1'] },
  { plugin: 'mkdeploy', args: ['web', '--image=nginx', '-r', '0x3', '--dry-run=client', '-oyaml'], kubectl: ['create', 'deployment', 'web', '--image=nginx', '-r', '0x3', '--dry-run=client', '-oyaml'] },
  { plugin: 'mkdeploy', args: ['web', '--image', 'nginx', '--image', 'redis', '--port=8080', '--dry-run=client', '-ojson'], kubectl: ['create', 'deployment', 'web', '--image', 'nginx', '--image', 'redis', '--port=8080', '--dry-run=client', '-ojson'] },
  { plugin: 'mkdeploy', args: ['web', '--image', 'nginx', '--port=-1', '--dry-run=client', '-oyaml'], kubectl: ['create', 'deployment', 'web', '--image', 'nginx', '--port=-1', '--dry-run=client', '-oyaml'] },
  { plugin: 'mkdeploy', args: ['web', '--image', 'busybox', '--dry-run=client', '-oyaml', '--', 'sleep', '-n', '--', '10'], kubectl: ['create', 'deployment', 'web', '--image', 'busybox', '--dry-run=client', '-oyaml', '--', 'sleep', '-n', '--', '10'] },
  // --request-timeout: a bare number is seconds, a Go duration otherwise (client-go's ParseTimeout).
  { plugin: 'lsres', args: ['configmaps', '-nNS', '-oname', '--request-timeout', '30'], kubectl: ['get', 'configmaps', '-nNS', '-oname', '--request-timeout', '30'] },
  { plugin: 'dynget', args: ['configmaps', '-nNS', '-oname', '--request-timeout=1m0.5s'], kubectl: ['get', 'configmaps', '-nNS', '-oname', '--request-timeout=1m0.5s'] },
];

for (const form of working) {
  test(`${form.plugin} ${form.args.join(' ')}: as kubectl ${form.kubectl.join(' ')}`, async (t) => {
    await sameAsKubectl(t, form.args.join(' '), ours(form.plugin, form.args), theirs(form.kubectl), { stderr: form.stderr ?? true });
  });
}

test('bare --dry-run is a client dry run with kubectl deprecation warning (and --dry-run=true)', async (t) => {
  for (const flag of ['--dry-run', '--dry-run=true']) {
    const args = ['web', '--image', 'nginx', flag, '-oname'];
    const [a, b] = await Promise.all([ours('mkdeploy', args)(), theirs(['create', 'deployment', ...args])()]);
    t.is(a.code, 0, a.stderr);
    t.is(a.stdout, b.stdout, flag);
    t.is(warningText(a.stderr), warningText(b.stderr), flag);
    t.regex(a.stderr, /deprecated/);
  }
});

/** Refusals: kubectl's first error line word for word; ours exits 2, kubectl 1. */
const refused: Array<{ plugin: Plugin; args: string[]; kubectl?: string[]; message?: string }> = [
  { plugin: 'lsres', args: ['pods', '-n'], kubectl: ['get', 'pods', '-n'] },
  { plugin: 'lsres', args: ['pods', '--namespace'], kubectl: ['get', 'pods', '--namespace'] },
  { plugin: 'lsres', args: ['pods', '-l'], kubectl: ['get', 'pods', '-l'] },
  { plugin: 'lsres', args: ['pods', '-o'], kubectl: ['get', 'pods', '-o'] },
  { plugin: 'lsres', args: ['pods', '--as-group'], kubectl: ['get', 'pods', '--as-group'] },
  { plugin: 'lsres', args: ['pods', '--request-timeout'], kubectl: ['get', 'pods', '--request-timeout'] },
  { plugin: 'lsres', args: ['pods', '-v', 'abc'], kubectl: ['get', 'pods', '-v', 'abc'] },
  { plugin: 'lsres', args: ['pods', '--v=x'], kubectl: ['get', 'pods', '--v=x'] },
  { plugin: 'lsres', args: ['pods', '-v'], kubectl: ['get', 'pods', '-v'] },
  { plugin: 'lsres', args: ['pods', '--chunk-size=abc'], kubectl: ['get', 'pods', '--chunk-size=abc'] },
  { plugin: 'lsres', args: ['pods', '--bogus'], kubectl: ['get', 'pods', '--bogus'] },
  { plugin: 'lsres', args: ['pods', '-AZ'], kubectl: ['get', 'pods', '-AZ'] },
  { plugin: 'lsres', args: ['pods', '---x'], kubectl: ['get', 'pods', '---x'] },
  { plugin: 'lsres', args: ['pods', '-A=maybe'], kubectl: ['get', 'pods', '-A=maybe'] },
  { plugin: 'dynget', args: ['pods', '-nkube-system', '-n'], kubectl: ['get', 'pods', '-nkube-system', '-n'] },
  { plugin: 'dynget', args: ['pods', '--no-headers=maybe'], kubectl: ['get', 'pods', '--no-headers=maybe'] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--replicas'], kubectl: ['create', 'deployment', 'x', '--image', 'nginx', '--replicas'] },
  { plugin: 'mkdeploy', args: ['x', '--image'], kubectl: ['create', 'deployment', 'x', '--image'] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--port', 'http'], kubectl: ['create', 'deployment', 'x', '--image', 'nginx', '--port', 'http'] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--replicas=99999999999'], kubectl: ['create', 'deployment', 'x', '--image', 'nginx', '--replicas=99999999999'] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--dry-run=bogus'], kubectl: ['create', 'deployment', 'x', '--image', 'nginx', '--dry-run=bogus'] },
  // Durations (#26): mkdeploy --wait is kubectl rollout status, whose --timeout is a Duration;
  // --request-timeout is client-go's ParseTimeout (a bare number is seconds there, a negative one is not).
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--wait', '--timeout', '5'], kubectl: ['rollout', 'status', 'deploy/x', '--timeout', '5'] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--wait', '--timeout=5d'], kubectl: ['rollout', 'status', 'deploy/x', '--timeout=5d'] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--wait', '--timeout', ''], kubectl: ['rollout', 'status', 'deploy/x', '--timeout', ''] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--wait', '--timeout', '1.5.s'], kubectl: ['rollout', 'status', 'deploy/x', '--timeout', '1.5.s'] },
  { plugin: 'lsres', args: ['pods', '--request-timeout=abc'], kubectl: ['get', 'pods', '--request-timeout=abc'] },
  { plugin: 'lsres', args: ['pods', '--request-timeout', '-5'], kubectl: ['get', 'pods', '--request-timeout', '-5'] },
  { plugin: 'dynget', args: ['pods', '--request-timeout', '5d'], kubectl: ['get', 'pods', '--request-timeout', '5d'] },
  { plugin: 'mkdeploy', args: ['x', '--image=a"b'], kubectl: ['create', 'deployment', 'x', '--image=a"b'] },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx,"redis'], kubectl: ['create', 'deployment', 'x', '--image', 'nginx,"redis'] },
  { plugin: 'mkdeploy', args: ['-f', '"a"b'], kubectl: ['create', '-f', '"a"b'] },
  { plugin: 'lsres', args: ['pods', '-L', '"x\ny'], kubectl: ['get', 'pods', '-L', '"x\ny'] },
  // kubectl has no such flag: what ours must say.
  { plugin: 'watchq', args: ['--workers', 'many'], message: 'invalid argument "many" for "--workers" flag: strconv.ParseInt: parsing "many": invalid syntax' },
  { plugin: 'watchq', args: ['-o'], message: "flag needs an argument: 'o' in -o" },
  { plugin: 'watchq', args: ['--exec-timeout', '10s'], message: '--exec-timeout needs --exec' },
  { plugin: 'watchq', args: ['--resync', '10'], message: 'invalid argument "10" for "--resync" flag: time: missing unit in duration "10"' },
  { plugin: 'watchq', args: ['--exec', 'true', '--exec-timeout=30'], message: 'invalid argument "30" for "--exec-timeout" flag: time: missing unit in duration "30"' },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--label'], message: 'flag needs an argument: --label' },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--env', 'A=1', 'extra'], message: 'unexpected arguments: extra' },
  { plugin: 'lsres', args: ['--access', 'pods', '-o', 'yaml'], message: '-o yaml cannot be used with --access' },
  { plugin: 'lsres', args: ['--access', 'pods', '-oname'], message: '-o name cannot be used with --access' },
  { plugin: 'lsres', args: ['--access', 'pods', '-lapp=web'], message: '--selector cannot be used with --access' },
  { plugin: 'lsres', args: ['--access', '--no-headers', 'pods', '--field-selector', 'a=b', '-n', 'x'], message: '--field-selector, --no-headers cannot be used with --access' },
  { plugin: 'mkdeploy', args: ['-f', 'FILE', '--wait', '--dry-run=server'], message: '--wait cannot be used with --dry-run' },
  { plugin: 'mkdeploy', args: ['x', '--image', 'nginx', '--timeout', '1m'], message: '--timeout needs --wait' },
  { plugin: 'mkdeploy', args: ['-f', 'FILE', '--replicas', '3', '--env', 'A=1'], message: '--replicas, --env cannot be used with -f' },
  { plugin: 'mkdeploy', args: ['-f', 'FILE', '--image', 'nginx'], message: 'give either NAME --image IMAGE or -f PATH, not both' },
];

for (const form of refused) {
  test(`refused: ${form.plugin} ${form.args.join(' ')}`, async (t) => {
    const file = path.join(dir, 'cm.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
    const args = form.args.map((a) => (a === 'FILE' ? file : a));
    const mine = await ours(form.plugin, args)();
    t.is(mine.code, 2, mine.stderr);
    t.is(mine.stdout, '');
    t.notRegex(mine.stderr, /\n\s+at /, 'no stack trace');
    const expected = form.kubectl ? firstLine((await theirs(form.kubectl)()).stderr) : `error: ${form.message}`;
    t.is(firstLine(mine.stderr), expected);
  });
}

test('mkdeploy -f takes comma-separated files, as kubectl create -f does', async (t) => {
  const [a, b] = ['one', 'two'].map((name) => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`);
    return file;
  });
  for (const files of [[`${a},${b}`], [`${b},${a}`, '-f', a]]) {
    const args = ['-f', ...files, '-nNS', '--dry-run=client', '-oname'];
    await sameAsKubectl(t, files.join(' '), ours('mkdeploy', args), theirs(['create', ...args]));
  }
});

test('mkdeploy --label and --env take one value each: NAME after them is still the NAME', async (t) => {
  const result = await ours('mkdeploy', ['--label', 'tier=front', '--env', 'MODE=fast', 'web', '--image', 'nginx', '--dry-run=client', '-ojson'])();
  t.is(result.code, 0, result.stderr);
  const deployment = JSON.parse(result.stdout) as { metadata: { name: string; labels: Record<string, string> }; spec: { template: { spec: { containers: Array<{ env: unknown }> } } } };
  t.is(deployment.metadata.name, 'web');
  t.deepEqual(deployment.metadata.labels, { app: 'web', tier: 'front' });
  t.deepEqual(deployment.spec.template.spec.containers[0]!.env, [{ name: 'MODE', value: 'fast' }]);
});

/** Every form of --dry-run, on both inputs mkdeploy takes. */
const dryRuns: string[][] = [
  ['dry-web', '--image', 'nginx', '--dry-run'],
  ['dry-web', '--image', 'nginx', '--dry-run=client'],
  ['dry-web', '--image', 'nginx', '--dry-run=true'],
  ['dry-web', '--image', 'nginx', '--dry-run=server'],
  ['dry-web', '--image', 'nginx', '--dry-run', 'server'],
  ['dry-web', '--image', 'nginx', '--dry-run', '-oyaml'],
  ['-f', 'FILE', '--dry-run'],
  ['-f', 'FILE', '--dry-run=client'],
  ['-f', 'FILE', '--dry-run=server'],
  ['-f', '-', '--dry-run'],
  ['--dry-run', '-f', 'FILE', '--wait'],
];

test('no form of --dry-run creates anything (the namespace listed before and after)', async (t) => {
  const file = path.join(dir, 'dry.yaml');
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry-cm\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dry-deploy\nspec:\n  selector:\n    matchLabels: {app: dry}\n  template:\n    metadata:\n      labels: {app: dry}\n    spec:\n      containers: [{name: c, image: nginx}]\n';
  fs.writeFileSync(file, manifest);
  const list = () => kubectlOk(['get', 'all,configmaps', '-n', ns, '-o', 'name']);
  const before = await list();
  for (const form of dryRuns) {
    const args = [...form.map((a) => (a === 'FILE' ? file : a)), '-n', ns];
    const result = await ours('mkdeploy', args, manifest)();
    t.true(result.code === 0 || result.code === 2, `${form.join(' ')}: ${result.stderr}`);
  }
  t.is(await list(), before);
});

test('a client dry run sends nothing: it works with an unreachable server and logs no request at -v=8', async (t) => {
  for (const form of [['dry-web', '--image', 'nginx', '--dry-run'], ['-f', '-', '--dry-run=client']]) {
    const result = await runPlugin('mkdeploy', [...form, '--server=https://127.0.0.1:9', '--token=x', '-v=8'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' });
    t.is(result.code, 0, result.stderr);
    t.notRegex(result.stderr, /GET|POST|https:\/\/127\.0\.0\.1:9\//);
  }
});

test('a rejected --token is named as the flag, not as the kubeconfig credentials', async (t) => {
  // A kubeconfig with the cluster and no user: the token is the only credential.
  const cluster = await ensureCluster();
  const anonymous = path.join(dir, 'no-user.kubeconfig');
  fs.writeFileSync(anonymous, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server: cluster.server, 'certificate-authority': cluster.caFile } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    users: [{ name: 'u', user: {} }],
  }));
  const bad = await runPlugin('lsres', ['--kubeconfig', anonymous, '--token=not-a-real-token', 'configmaps', '-n', ns]);
  t.is(bad.code, 3, bad.stderr);
  t.is(bad.stderr, 'error: You must be logged in to the server (Unauthorized)\nhint: the token given with --token was rejected: check it, or get a new one\n');
  const theirs = await kubectl(['--kubeconfig', anonymous, '--token=not-a-real-token', 'get', 'configmaps', '-n', ns]);
  t.is(firstLine(bad.stderr), firstLine(theirs.stderr));
});
