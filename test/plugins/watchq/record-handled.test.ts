/**
 * watchq --record-handled (issue 27, contract point 8) against the real local cluster: no replay
 * after a restart, and the record never wakes the hook.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';
import { WatchqProcess } from './watchq-process.ts';

let ns = '';
let kubeconfig = '';
let tmp = '';
const running: WatchqProcess[] = [];

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('watchq-record');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-record-it-'));
});

test.after.always(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  if (ns) await deleteNamespace(ns);
});

test('a restart runs only what changed since the recorded runs; the record does not wake the hook; a bad annotation key is exit 2', async (t) => {
  for (const name of ['a', 'b', 'c']) await kubectlOk(['create', 'cm', name, '-n', ns, `--from-literal=v=${name}`]);
  const log = path.join(tmp, 'runs');
  const hook = path.join(tmp, 'hook.sh');
  fs.writeFileSync(hook, `#!/bin/sh\necho "$WATCHQ_EVENT $WATCHQ_NAME" >> ${log}\n`, { mode: 0o755 });
  const runs = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
  const start = () => {
    const p = new WatchqProcess(['--kubeconfig', kubeconfig, '-n', ns, 'configmaps', '--field-selector', 'metadata.name!=kube-root-ca.crt', '-o', 'json', '--exec', hook, '--record-handled', 'example.com/handled']);
    running.push(p);
    return p;
  };
  const first = start();
  await first.waitFor('three runs', () => runs().length >= 3);
  await new Promise((r) => setTimeout(r, 1500));
  t.is((await first.stop('SIGTERM')).code, 0);
  t.deepEqual(runs().sort(), ['sync a', 'sync b', 'sync c'], 'the record written on each did not run it again');
  t.regex(await kubectlOk(['get', 'cm', 'a', '-n', ns, '-o', "jsonpath={.metadata.annotations['example\\.com/handled']}"]), /^sha256:[0-9a-f]{32}$/);

  // Changed while watchq is down: only that one runs after the restart.
  await kubectlOk(['patch', 'cm', 'b', '-n', ns, '--type=merge', '-p', '{"data":{"v":"changed"}}']);
  const second = start();
  await second.waitForSync();
  await second.waitFor('the changed one', () => runs().length >= 4);
  await new Promise((r) => setTimeout(r, 1500));
  t.is((await second.stop('SIGTERM')).code, 0);
  t.deepEqual(runs().slice(3), ['sync b']);

  const bad = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, '--record-handled', 'handled'], { timeoutMs: 30_000 });
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^error: invalid --record-handled "handled": give it a domain prefix, as in example.com\/handled$/m);
});
