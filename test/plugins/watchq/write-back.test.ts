/**
 * watchq --exec write-back (issue 27, contract point 4) against the real local cluster: what a
 * hook writes to WATCHQ_PATCH / KUBERNETES_PATCH_PATH in shell-operator's object-patch format.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';
import { WatchqProcess } from './watchq-process.ts';

let ns = '';
let kubeconfig = '';
let tmp = '';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('watchq-patch');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-patch-it-'));
});

test.after.always(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  if (ns) await deleteNamespace(ns);
});

const running: WatchqProcess[] = [];
const watchq = (args: string[]): WatchqProcess => {
  const p = new WatchqProcess(['--kubeconfig', kubeconfig, '-n', ns, ...args]);
  running.push(p);
  return p;
};
const hook = (name: string, lines: string[]): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, ['#!/bin/sh', ...lines, ''].join('\n'), { mode: 0o755 });
  return file;
};

test('a shell-operator style hook: its operations are carried out after exit 0 (a Secret made, its own object annotated without waking itself)', async (t) => {
  await kubectlOk(['create', 'configmap', 'source', '-n', ns, '--from-literal=k=v']);
  await kubectlOk(['label', 'configmap', 'source', '-n', ns, 'scenario=copy']);
  const runs = path.join(tmp, 'copy-runs');
  const script = hook('copy.sh', [
    `echo "$WATCHQ_EVENT" >> ${runs}`,
    'cat > "$KUBERNETES_PATCH_PATH" <<EOP',
    '---',
    'operation: CreateOrUpdate',
    'object:',
    '  apiVersion: v1',
    '  kind: Secret',
    '  metadata: {name: "$WATCHQ_NAME"}',
    '  stringData: {copied: "yes"}',
    '---',
    'operation: MergePatch',
    'kind: ConfigMap',
    'name: "$WATCHQ_NAME"',
    'mergePatch: {metadata: {annotations: {copied: "true"}}}',
    'EOP',
  ]);
  const p = watchq(['configmaps', '-l', 'scenario=copy', '-o', 'json', '--exec', script, '--changes', '{.data}']);
  await p.waitFor('the run', () => p.events().some((e) => e.key === `${ns}/source` && e.event === 'sync'));
  t.is(await kubectlOk(['get', 'cm', 'source', '-n', ns, '-o', 'jsonpath={.metadata.annotations.copied}']), 'true');
  const secret = JSON.parse(await kubectlOk(['get', 'secret', 'source', '-n', ns, '-o', 'json', '--show-managed-fields'])) as { data: Record<string, string>; metadata: { managedFields: Array<{ manager: string }> } };
  t.is(Buffer.from(secret.data.copied!, 'base64').toString(), 'yes');
  t.deepEqual(secret.metadata.managedFields.map((f) => f.manager), ['kubectl-watchq']);
  await new Promise((r) => setTimeout(r, 1500));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  t.deepEqual(fs.readFileSync(runs, 'utf8').trim().split('\n'), ['sync'], 'its own annotation did not run it again');
});

test('after a failure nothing is written; an operation the server refuses fails the run (retried, named with its document); an unknown operation stops watchq with exit 2', async (t) => {
  await kubectlOk(['create', 'configmap', 'refused', '-n', ns]);
  await kubectlOk(['label', 'configmap', 'refused', '-n', ns, 'scenario=refused']);
  const failing = hook('failing.sh', ['printf "operation: Create\\nobject: {apiVersion: v1, kind: Secret, metadata: {name: after-failure}}\\n" > "$WATCHQ_PATCH"', 'exit 1']);
  const p = watchq(['configmaps', '-l', 'scenario=refused', '-o', 'json', '--exec', failing, '--max-retries', '1']);
  await p.waitFor('the drop', () => p.events().some((e) => e.event === 'drop'));
  t.is((await p.stop('SIGTERM')).code, 0);
  t.is((await kubectl(['get', 'secret', 'after-failure', '-n', ns])).code, 1, 'not created after a failed run');

  // Create of an object that exists: the server's AlreadyExists is the run's failure.
  const exists = hook('exists.sh', ['printf "operation: Create\\nobject: {apiVersion: v1, kind: ConfigMap, metadata: {name: refused}}\\n" > "$WATCHQ_PATCH"']);
  const q = watchq(['configmaps', '-l', 'scenario=refused', '-o', 'json', '--exec', exists, '--max-retries', '1']);
  await q.waitFor('the drop', () => q.events().some((e) => e.event === 'drop'));
  t.is((await q.stop('SIGTERM')).code, 0);
  const drop = q.events().find((e) => e.event === 'drop')!;
  t.is(drop.error, `write-back document 1 (line 1): Create v1/ConfigMap refused: configmaps "refused" already exists`);

  const unknown = hook('unknown.sh', ['echo "operation: Frobnicate" > "$WATCHQ_PATCH"']);
  const bad = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, 'configmaps', '-l', 'scenario=refused', '--exec', unknown], { timeoutMs: 30_000 });
  t.is(bad.code, 2, bad.stderr);
  t.regex(bad.stderr, /^error: --exec ".*unknown\.sh" wrote to WATCHQ_PATCH, document 1 \(line 1\): unknown operation "Frobnicate"$/m);
  t.regex(bad.stderr, /^hint: one of Create, CreateOrUpdate, CreateIfNotExists, Apply, Delete, DeleteInBackground, DeleteNonCascading, MergePatch, JSONPatch$/m);
});
