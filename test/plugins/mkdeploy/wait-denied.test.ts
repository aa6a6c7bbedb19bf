/**
 * `mkdeploy --wait` for a user who may create and list Deployments but not watch them (#26):
 * `kubectl rollout status` fails at once; so does --wait, with exit 3 and the commands that grant
 * exactly what it lacks (it waited for --timeout before, refused every few seconds).
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../../helpers/cluster.ts';
import { writeKubeconfig } from '../../helpers/kubeconfigs.ts';
import { runPlugin } from '../../helpers/plugin.ts';

let ns = '';
let dir = '';
let kubeconfig = '';

test.before(async () => {
  const { server, caFile } = await ensureCluster();
  ns = await createNamespace('wait-denied');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-denied-'));
  // No pod may be created here: the rollout cannot be done by the time the first list returns, so --wait must watch.
  await kubectlOk(['create', 'quota', 'none', '--hard=pods=0', '-n', ns]);
  await kubectlOk(['create', 'serviceaccount', 'no-watch', '-n', ns]);
  await kubectlOk(['create', 'role', 'no-watch', '--verb=create,get,list', '--resource=deployments.apps', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'no-watch', '--role=no-watch', `--serviceaccount=${ns}:no-watch`, '-n', ns]);
  const token = (await kubectlOk(['create', 'token', 'no-watch', '-n', ns, '--duration=10m'])).trim();
  kubeconfig = writeKubeconfig(dir, 'no-watch.kubeconfig', { server, caFile, user: { token }, namespace: ns });
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('--wait without the right to watch: exit 3 at once, the fix for watch named; kubectl rollout status fails at once too', async (t) => {
  const started = Date.now();
  const r = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, 'web', '--image', 'nginx', '--wait', '--timeout', '2m'], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 60_000 });
  const took = Date.now() - started;
  t.is(r.code, 3, r.stderr);
  t.true(took < 30_000, `${took} ms: not waiting for --timeout`);
  t.regex(r.stdout, /^deployment\.apps\/web created$/m);
  t.regex(r.stderr, /^error: --wait cannot follow deployment "web": deployments\.apps "web" is forbidden: .*cannot watch resource "deployments"/m);
  const hint = r.stderr.slice(r.stderr.indexOf('hint: '));
  t.regex(hint, /kubectl create role .*--verb=watch\b/, r.stderr);
  t.notRegex(hint, /--verb=[^ ]*\b(list|create)\b/, 'only what is missing');
  t.notRegex(r.stderr, /timed out/);
  // kubectl, the same user, the same Deployment.
  const theirs = await kubectl(['rollout', 'status', 'deployment/web', '--timeout=2m'], { kubeconfig });
  t.not(theirs.code, 0);
  t.regex(theirs.stderr, /forbidden/);
});
