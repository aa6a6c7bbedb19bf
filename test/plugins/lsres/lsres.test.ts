import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, ensureCluster, kubectl, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
import { repoRoot, runPlugin } from '../../helpers/plugin.ts';
import { waitFor } from '../../helpers/wait.ts';

let ns = '';
let kubeconfig = '';

test.before(async () => {
  const cluster = await ensureCluster();
  kubeconfig = cluster.kubeconfig;
  ns = await createNamespace('lsres');
  await kubectlOk(['apply', '-n', ns, '-f', path.join(repoRoot, 'test/fixtures/seed/nginx.yaml')]);
  await waitFor('2 Running nginx pods', async () => {
    const out = await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=nginx', '--field-selector=status.phase=Running', '-o', 'name']);
    return out.trim().split('\n').filter(Boolean).length === 2 ? true : undefined;
  });
  await waitFor('deployment available', async () => {
    const out = await kubectlOk(['get', 'deploy', 'nginx-deployment', '-n', ns, '-o', 'jsonpath={.status.availableReplicas}']);
    return out === '2' ? true : undefined;
  });
});

const lsres = (args: string[], env?: NodeJS.ProcessEnv) => runPlugin('lsres', ['--kubeconfig', kubeconfig, ...args], env ? { env } : {});
/**
 * AGE cells tick between two runs (and a wider age moves the columns after it): compare every
 * cell but the ages. Alignment itself is covered by test/shared/output/tab-writer.test.ts.
 */
const normalizeAge = (text: string) => text.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b/g, '<age>').replace(/ {2,}/g, '  ');

test('the seed scenario prints what kubectl get pods,deployments,services prints', async (t) => {
  const ours = await lsres(['-n', ns]);
  const theirs = await kubectlOk(['get', 'pods,deployments,services', '-n', ns]);
  t.is(ours.code, 0, ours.stderr);
  t.is(normalizeAge(ours.stdout), normalizeAge(theirs));
  t.regex(ours.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
  t.regex(ours.stdout, /^deployment\.apps\/nginx-deployment\s+2\/2\s+2\s+2\s+/m);
  t.regex(ours.stdout, /^service\/nginx-service\s+NodePort\s+/m);
});

test('the default namespace shows the kubernetes service, like kubectl', async (t) => {
  const ours = await lsres(['svc', '-n', 'default']);
  t.is(ours.code, 0);
  t.regex(ours.stdout, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+/m);
});

test('-o wide, -A, -l and --field-selector match kubectl', async (t) => {
  for (const args of [['pods', '-o', 'wide', '-n', ns], ['deploy', '-A'], ['pods', '-l', 'app=nginx', '-n', ns], ['pods', '--field-selector', 'status.phase=Running', '-n', ns]]) {
    const ours = await lsres(args);
    const theirs = await kubectlOk(['get', ...args]);
    t.is(ours.code, 0, ours.stderr);
    // Across namespaces other test files add and remove objects meanwhile: keep the header and ours.
    const scope = (text: string) => (args.includes('-A') ? text.split('\n').filter((l, i) => i === 0 || l.startsWith(`${ns} `)).join('\n') : text);
    t.is(normalizeAge(scope(ours.stdout)), normalizeAge(scope(theirs)), args.join(' '));
  }
});

test('-o name and --no-headers', async (t) => {
  const names = await lsres(['-n', ns, '-o', 'name']);
  t.is(names.stdout, await kubectlOk(['get', 'pods,deployments,services', '-n', ns, '-o', 'name']));
  const plain = await lsres(['deploy', '-n', ns, '--no-headers']);
  t.false(plain.stdout.includes('NAME'));
  t.regex(plain.stdout, /^nginx-deployment\s/);
});

test('-o json and yaml: one v1 List with apiVersion and kind on every item', async (t) => {
  const json = await lsres(['-n', ns, '-o', 'json']);
  t.is(json.code, 0);
  const list = JSON.parse(json.stdout);
  t.is(list.kind, 'List');
  t.deepEqual(
    list.items.map((i: any) => `${i.apiVersion}/${i.kind}`).sort(),
    ['apps/v1/Deployment', 'v1/Pod', 'v1/Pod', 'v1/Service'],
  );
  const yaml = await lsres(['deploy', '-n', ns, '-o', 'yaml']);
  t.regex(yaml.stdout, /^apiVersion: v1\nitems:\n/);
  t.regex(yaml.stdout, /name: nginx-deployment/);
});

test('nothing found says so on stderr and exits 0', async (t) => {
  const empty = await createNamespace('lsres-empty');
  const r = await lsres(['-n', empty, 'cm', '-l', 'nothing=here']);
  t.is(r.code, 0);
  t.is(r.stdout, '');
  t.is(r.stderr, `No resources found in ${empty} namespace.\n`);
});

test('1,200 ConfigMaps with --chunk-size 500 take 3 list requests', async (t) => {
  const many = await createNamespace('lsres-chunks');
  const items = Array.from({ length: 1200 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } }));
  await kubectlOk(['create', '-n', many, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), timeoutMs: 180_000 });
  const r = await lsres(['cm', '-n', many, '--chunk-size', '500', '-v=6', '--no-headers']);
  t.is(r.code, 0, r.stderr);
  const lists = r.stderr.split('\n').filter((l) => /GET \S+\/api\/v1\/namespaces\/[^/]+\/configmaps\?limit=500/.test(l));
  t.is(lists.length, 3, lists.join('\n'));
  t.is(r.stdout.trim().split('\n').length, 1201, 'every ConfigMap plus kube-root-ca.crt');
});

test('a ServiceAccount with no rights gets exit 3 and the Forbidden reason', async (t) => {
  const sa = await serviceAccountKubeconfig(ns, 'nobody');
  const r = await runPlugin('lsres', ['--kubeconfig', sa, 'pods']);
  t.is(r.code, 3);
  t.regex(r.stderr, new RegExp(`^error: pods is forbidden: User "system:serviceaccount:${ns}:nobody" cannot list resource "pods" in API group "" in the namespace "${ns}"`, 'm'));
  t.false(r.stderr.includes('    at '), 'no stack trace');
});

const configFailures: Array<[string, (dir: string) => string[], RegExp]> = [
  ['a missing kubeconfig', (dir) => ['--kubeconfig', path.join(dir, 'missing')], /^error: cannot read kubeconfig .*missing: no such file$/m],
  ['an unknown context', () => ['--context', 'nope'], /^error: context "nope" does not exist/m],
  ['an unreachable server', () => ['--server', 'https://127.0.0.1:1'], /^error: unable to connect to the server https:\/\/127\.0\.0\.1:1: connection refused$/m],
];
for (const [what, args, message] of configFailures) {
  test(`${what} is exit 5 with one error line`, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsres-'));
    const r = await runPlugin('lsres', [...(what === 'a missing kubeconfig' ? [] : ['--kubeconfig', kubeconfig]), ...args(dir)]);
    t.is(r.code, 5, r.stderr);
    t.regex(r.stderr, message);
    t.is(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1);
    t.is(r.stdout, '');
  });
}

test('bad flags are exit 2 and send nothing', async (t) => {
  for (const args of [['--bogus'], ['-o', 'xml'], ['-o', 'go-template={{.kind'], ['-o', 'jsonpath={.items['], ['--chunk-size', '-5'], ['--request-timeout', 'soon']]) {
    const r = await lsres(args);
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, /^error: /);
  }
});

test('-A: the NAMESPACE column and every namespace, as kubectl shows them', async (t) => {
  // Other test files create and delete pods meanwhile: compare this file's namespace only.
  const mine = (text: string) => normalizeAge(text.split('\n').filter((l) => l.startsWith(`${ns} `)).join('\n'));
  const ours = await lsres(['pods', '-A', '--no-headers']);
  t.is(ours.code, 0, ours.stderr);
  const theirs = (await kubectl(['get', 'pods', '-A', '--no-headers'])).stdout;
  t.is(mine(ours.stdout), mine(theirs));
  t.is(mine(ours.stdout).split('\n').length, 2);
});
