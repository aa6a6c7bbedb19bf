/**
 * Completion through the real kubectl (plugin completion: `kubectl __complete <plugin> …` runs the
 * `kubectl_complete-<plugin>` shim from PATH) against the real local cluster.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, ensureCluster, kubectl, kubectlOk } from '../../helpers/cluster.ts';
import { repoRoot } from '../../helpers/plugin.ts';
import { waitFor } from '../../helpers/wait.ts';

let ns = '';
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'complete-cache-'));

test.before(async () => {
  await ensureCluster();
  ns = await createNamespace('complete');
  await kubectlOk(['apply', '-f', path.join(repoRoot, 'test/fixtures/seed/crd.yaml')]);
  await kubectlOk(['wait', '--for=condition=Established', 'crd/myresources.aiops.org', '--timeout=30s']);
  await waitFor('the AIOps object', async () => ((await kubectl(['apply', '-n', ns, '-f', path.join(repoRoot, 'test/fixtures/seed/resource.yml')])).code === 0 ? true : undefined));
});

async function complete(words: string[]): Promise<{ candidates: string[]; directive: string; ms: number; stderr: string }> {
  const cluster = await ensureCluster();
  const started = performance.now();
  const env = { ...process.env, PATH: `${path.join(repoRoot, 'dist', 'bin')}${path.delimiter}${process.env.PATH}`, KUBECONFIG: cluster.kubeconfig, KUBECACHEDIR: cacheDir };
  return new Promise((resolve, reject) => {
    const child = spawn(cluster.kubectl, ['__complete', ...words], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const lines = stdout.trim().split('\n');
      resolve({ candidates: lines.slice(0, -1), directive: lines[lines.length - 1] ?? '', ms: performance.now() - started, stderr });
    });
  });
}

test.serial("kubectl __complete lsres '' lists resource types", async (t) => {
  const r = await complete(['lsres', '']);
  t.is(r.directive, ':4');
  for (const type of ['pods', 'deployments.apps', 'services', 'deploy', 'svc', 'myresources.aiops.org', 'myres']) t.true(r.candidates.includes(type), type);
  t.false(r.candidates.some((c) => /error/i.test(c)));
});

test.serial("kubectl __complete dynget aiops '' lists my-first-crd; warm answers within 500 ms", async (t) => {
  const r = await complete(['dynget', 'aiops', '-n', ns, '']);
  t.deepEqual(r.candidates, ['my-first-crd']);
  t.is(r.directive, ':4');
  const warm = await complete(['dynget', 'aiops', '-n', ns, '']);
  t.deepEqual(warm.candidates, ['my-first-crd']);
  t.log(`warm completion through kubectl: ${Math.round(warm.ms)} ms`);
  // The 500 ms goal is measured outside the suite (0.45–0.5 s here); under a loaded test run only bound it loosely.
  t.true(warm.ms < 5000, `${Math.round(warm.ms)} ms`);
});

test.serial("kubectl __complete lsres -n '' lists namespaces from the cluster", async (t) => {
  const r = await complete(['lsres', '-n', '']);
  t.true(r.candidates.includes(ns));
  t.true(r.candidates.includes('default'));
  t.true(r.candidates.includes('kube-system'));
});

test.serial('flags and -o values complete; an unreachable cluster gives no candidates and no error', async (t) => {
  // kubectl get's printers, plus our `table`.
  const theirs = (await complete(['get', 'pods', '-o', ''])).candidates.map((c) => c.split('\t')[0]!);
  t.true(theirs.includes('kyaml') && theirs.includes('go-template'), theirs.join(' '));
  t.true(theirs.includes('jsonpath') && theirs.includes('custom-columns'), theirs.join(' '));
  for (const plugin of ['lsres', 'dynget']) t.deepEqual((await complete([plugin, '-o', ''])).candidates.sort(), ['table', ...theirs].sort(), plugin);
  t.true((await complete(['mkdeploy', '--rep'])).candidates.includes('--replicas'));
  const down = await complete(['dynget', 'aiops', '--server', 'https://127.0.0.1:1', '']);
  t.deepEqual(down.candidates, []);
  t.is(down.directive, ':4');
});

test.serial("each plugin completes its own -o values: mkdeploy kubectl create's printers, watchq text and json", async (t) => {
  t.deepEqual((await complete(['mkdeploy', '-o', ''])).candidates, ['json', 'yaml', 'name']);
  t.deepEqual((await complete(['watchq', '--output', ''])).candidates, ['text', 'json']);
  t.deepEqual((await complete(['watchq', '-o=j'])).candidates, ['-o=json']);
  t.deepEqual((await complete(['dynget', 'pods', '-o', 'w'])).candidates, ['wide']);
});

test.serial('watchq completes one type, only types it can list and watch; lsres every listable type', async (t) => {
  const watchq = await complete(['watchq', '']);
  const lsres = await complete(['lsres', '']);
  for (const type of ['deployments.apps', 'pods', 'configmaps', 'myres']) t.true(watchq.candidates.includes(type), type);
  // componentstatuses can be listed, not watched.
  t.true(lsres.candidates.includes('componentstatuses'));
  t.false(watchq.candidates.includes('componentstatuses'));
  t.deepEqual((await complete(['watchq', 'pods', ''])).candidates, [], 'a second type is not taken');
});

test.serial('flag values attached by pflag rules do not hide the next word: -ojson, -nNS', async (t) => {
  const types = await complete(['lsres', '-ojson', '']);
  t.true(types.candidates.includes('pods'));
  t.deepEqual((await complete(['dynget', `-n${ns}`, 'aiops', ''])).candidates, ['my-first-crd']);
  t.deepEqual((await complete(['dynget', '-o', 'name', `--namespace=${ns}`, 'aiops', 'my'])).candidates, ['my-first-crd']);
});

test.serial('after TYPE/ come that type\'s names as TYPE/NAME, as kubectl get completes them', async (t) => {
  await kubectlOk(['create', 'configmap', 'complete-me', '-n', ns]);
  for (const word of ['myres/', 'myres/my', 'cm/complete', 'configmaps/']) {
    const ours = await complete(['lsres', '-n', ns, word]);
    const theirs = await complete(['get', '-n', ns, word]);
    t.deepEqual(ours.candidates, theirs.candidates, word);
    t.is(ours.directive, ':4', word);
  }
  t.deepEqual((await complete(['lsres', '-n', ns, 'myres/'])).candidates, ['myres/my-first-crd']);
  t.deepEqual((await complete(['dynget', '-n', ns, 'cm/complete'])).candidates, ['cm/complete-me']);
});
