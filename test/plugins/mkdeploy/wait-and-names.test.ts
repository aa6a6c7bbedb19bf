/**
 * No flag silently ignored by mkdeploy: `-f … --wait` waits for every Deployment it created
 * (and refuses rollout kinds it cannot follow before creating anything); a NAME the server would
 * refuse (it is also the app label value: 63 characters at most) is refused before any request.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';

let ns = '';
let kubeconfig = '';
let dir = '';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('mkdeploy-wait');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mkdeploy-wait-'));
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  fs.rmSync(dir, { recursive: true, force: true });
});

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers: [{name: web, image: nginx:latest}]\n`;
const mkdeploy = (args: string[]) => runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-n', ns, ...args]);

test.serial('-f with --wait waits for each Deployment it created', async (t) => {
  const file = path.join(dir, 'two.yaml');
  fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\n${deployment('wait-a')}---\n${deployment('wait-b')}`);
  const r = await mkdeploy(['-f', file, '--wait', '--timeout', '90s']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'configmap/settings created\ndeployment.apps/wait-a created\ndeployment.apps/wait-b created\n');
  t.regex(r.stderr, /deployment "wait-a" successfully rolled out/);
  t.regex(r.stderr, /deployment "wait-b" successfully rolled out/);
  for (const name of ['wait-a', 'wait-b']) {
    t.is(await kubectlOk(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.status.availableReplicas}']), '1');
  }
});

test.serial('-f with --wait and a StatefulSet is refused before anything is created', async (t) => {
  const file = path.join(dir, 'sts.yaml');
  fs.writeFileSync(file, `${deployment('never-created')}---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers: [{name: db, image: nginx}]\n`);
  const r = await mkdeploy(['-f', file, '--wait']);
  t.is(r.code, 2);
  t.is(r.stderr, 'error: --wait follows Deployments only, not StatefulSet "db"\nhint: wait for it with \'kubectl rollout status\'\n');
  t.is((await kubectl(['get', 'deployment', 'never-created', '-n', ns])).code, 1);
});

test('a NAME longer than 63 characters is refused before any request (the server is not even reachable)', async (t) => {
  const name = 'a'.repeat(64);
  const r = await runPlugin('mkdeploy', [name, '--image', 'nginx', '--server=https://127.0.0.1:9', '--token=x']);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /^error: invalid name "a{64}": must be no more than 63 characters \(it is also the value of the app label\)\n/);
  // The server refuses the same name for the same reason.
  const theirs = await kubectl(['create', 'deployment', name, '--image', 'nginx', '-n', ns, '--dry-run=server']);
  t.regex(theirs.stderr, /metadata\.labels: Invalid value: "a{64}": must be no more than 63 bytes/);
  const ok = await runPlugin('mkdeploy', ['a'.repeat(63), '--image', 'nginx', '--dry-run=client', '-o', 'name']);
  t.is(ok.stdout, `deployment.apps/${'a'.repeat(63)}\n`);
});
