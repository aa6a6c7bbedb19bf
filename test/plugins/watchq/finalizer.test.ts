/**
 * watchq --finalizer (issue 27, contract point 6) against the real local cluster: a deletion is
 * never missed, even one made while watchq was down; an object leaving the selectors is let go.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';
import { WatchqProcess } from './watchq-process.ts';

let ns = '';
let kubeconfig = '';
let tmp = '';
const running: WatchqProcess[] = [];
const finalizer = 'example.com/watchq-test';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('watchq-fin');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-fin-it-'));
});

test.after.always(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  // Nothing of ours may hold the namespace's deletion.
  const left = await kubectl(['get', 'cm', '-n', ns, '-o', 'name']);
  for (const name of left.stdout.split('\n').filter(Boolean)) await kubectl(['patch', name, '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  if (ns) await deleteNamespace(ns);
});

const watchq = (args: string[], config = kubeconfig): WatchqProcess => {
  const p = new WatchqProcess(['--kubeconfig', config, '-n', ns, 'configmaps', '-o', 'json', ...args]);
  running.push(p);
  return p;
};
const finalizersOf = async (name: string) => (await kubectlOk(['get', 'cm', name, '-n', ns, '-o', 'jsonpath={.metadata.finalizers}'])).trim();
const gone = async (name: string) => (await kubectl(['get', 'cm', name, '-n', ns])).code === 1;

test('held from the first run; a deletion runs finalize, also one made while watchq was down; leaving the selectors runs delete and lets go', async (t) => {
  for (const name of ['kept', 'offline', 'leaving']) {
    await kubectlOk(['create', 'cm', name, '-n', ns]);
    await kubectlOk(['label', 'cm', name, '-n', ns, 'scenario=fin']);
  }
  const log = path.join(tmp, 'runs');
  const hook = path.join(tmp, 'hook.sh');
  fs.writeFileSync(hook, `#!/bin/sh\necho "$WATCHQ_EVENT $WATCHQ_NAME" >> ${log}\n`, { mode: 0o755 });
  const runs = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
  const args = ['-l', 'scenario=fin', '--exec', hook, '--finalizer', finalizer];

  const first = watchq(args);
  await first.waitFor('three syncs', () => runs().length >= 3);
  for (const name of ['kept', 'offline', 'leaving']) t.is(await finalizersOf(name), `["${finalizer}"]`);
  await kubectlOk(['delete', 'cm', 'kept', '-n', ns, '--wait=false']);
  await first.waitFor('the finalize run', () => first.events().some((e) => e.event === 'finalize'));
  await kubectlOk(['wait', '--for=delete', 'cm/kept', '-n', ns, '--timeout=20s']);
  t.is((await first.stop('SIGTERM')).code, 0);

  // Deleted while watchq is down: it waits, Terminating, for the next watchq.
  await kubectlOk(['delete', 'cm', 'offline', '-n', ns, '--wait=false']);
  await new Promise((r) => setTimeout(r, 1000));
  t.false(await gone('offline'), 'held while watchq is down');
  const second = watchq(args);
  await second.waitFor('the finalize run', () => second.events().some((e) => e.event === 'finalize'));
  await kubectlOk(['wait', '--for=delete', 'cm/offline', '-n', ns, '--timeout=20s']);

  // Leaving the selectors: a delete run, then the finalizer is removed (nothing of ours holds it).
  await kubectlOk(['label', 'cm', 'leaving', '-n', ns, 'scenario=elsewhere', '--overwrite']);
  await second.waitFor('the delete run', () => second.events().some((e) => e.event === 'delete'));
  t.is((await second.stop('SIGTERM')).code, 0);
  t.is(await finalizersOf('leaving'), '');
  t.deepEqual(runs().filter((l) => !l.startsWith('sync')), ['finalize kept', 'finalize offline', 'delete leaving']);
});

test('bad --finalizer names are exit 2; a user who may not patch gets exit 3 with the command that grants it', async (t) => {
  for (const [name, message] of [
    ['cleanup', /^error: invalid --finalizer "cleanup": give it a domain prefix, as in example.com\/cleanup$/m],
    ['example.com/no way', /^error: invalid --finalizer "example.com\/no way": name part must be/m],
  ] as const) {
    const r = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, 'configmaps', '--exec', 'true', '--finalizer', name], { timeoutMs: 30_000 });
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, message);
  }
  const noExec = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, '--finalizer', finalizer], { timeoutMs: 30_000 });
  t.is(noExec.code, 2);
  t.regex(noExec.stderr, /^error: --finalizer needs --exec$/m);

  await kubectlOk(['create', 'cm', 'denied', '-n', ns]);
  await kubectlOk(['label', 'cm', 'denied', '-n', ns, 'scenario=denied']);
  const sa = await serviceAccountKubeconfig(ns, 'watcher');
  await kubectlOk(['create', 'role', 'watch-only', '--verb=list,watch', '--resource=configmaps', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'watch-only', '--role=watch-only', `--serviceaccount=${ns}:watcher`, '-n', ns]);
  const r = await runPlugin('watchq', ['--kubeconfig', sa, 'configmaps', '-l', 'scenario=denied', '--exec', 'true', '--finalizer', finalizer], { timeoutMs: 30_000 });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /^error: configmaps "denied" is forbidden: .*cannot patch resource "configmaps"/m);
  t.regex(r.stderr, /kubectl create role \S+ --verb=get,patch --resource=configmaps -n /);
  t.is(await finalizersOf('denied'), '');
});
