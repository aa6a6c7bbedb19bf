/**
 * RBAC against the real cluster: a ServiceAccount with no rights is refused, told the exact
 * commands, and those commands make the same call succeed. In-cluster mode runs the built
 * plugin in a private mount namespace with the ServiceAccount files where a pod has them.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, ensureCluster, kubectl, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
import { pluginPath, runPlugin } from '../../helpers/plugin.ts';

let ns = '';

test.before(async () => {
  await ensureCluster();
  ns = await createNamespace('rbac');
  await kubectlOk(['create', 'deployment', 'web', '--image=nginx', '-n', ns]);
  await kubectlOk(['create', 'service', 'clusterip', 'web', '--tcp=80:80', '-n', ns]);
});

/** Runs the commands a plugin printed, as the admin (they start with `kubectl `). */
async function runAsAdmin(commands: string[]): Promise<void> {
  for (const command of commands) {
    const args = command.replace(/^kubectl /, '').split(' ');
    await kubectlOk(args);
  }
}

const commandsIn = (stderr: string) => stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('kubectl create '));

test.serial('no rights: exit 3 with the two commands; running them makes the same call succeed', async (t) => {
  const sa = await serviceAccountKubeconfig(ns, 'reader');
  const denied = await runPlugin('lsres', ['--kubeconfig', sa]);
  t.is(denied.code, 3, denied.stderr);
  const commands = commandsIn(denied.stderr);
  const role = `lsres-list-pods-deployments.apps-services-for-${ns}-reader`;
  t.deepEqual(commands, [
    `kubectl create role ${role} --verb=list --resource=pods,deployments.apps,services -n ${ns}`,
    `kubectl create rolebinding ${role} --role=${role} --serviceaccount=${ns}:reader -n ${ns}`,
  ]);
  await runAsAdmin(commands);
  const allowed = await runPlugin('lsres', ['--kubeconfig', sa]);
  t.is(allowed.code, 0, allowed.stderr);
  t.regex(allowed.stdout, /deployment\.apps\/web/);
  t.regex(allowed.stdout, /service\/web/);
});

test.serial("the seed's omission: a role without services is reported for services only", async (t) => {
  const sa = await serviceAccountKubeconfig(ns, 'demo');
  await kubectlOk(['create', 'role', 'demo', '--resource=pods,deployments', '--verb=list', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'demo', '--role=demo', `--serviceaccount=${ns}:demo`, '-n', ns]);
  const r = await runPlugin('lsres', ['--kubeconfig', sa]);
  t.is(r.code, 3);
  t.regex(r.stdout, /deployment\.apps\/web/, 'what is allowed is still printed');
  t.regex(r.stderr, new RegExp(`^error: services is forbidden: User "system:serviceaccount:${ns}:demo" cannot list resource "services"`, 'm'));
  t.false(r.stderr.includes('pods is forbidden'));
  const role = `lsres-list-services-for-${ns}-demo`;
  t.deepEqual(commandsIn(r.stderr), [
    `kubectl create role ${role} --verb=list --resource=services -n ${ns}`,
    `kubectl create rolebinding ${role} --role=${role} --serviceaccount=${ns}:demo -n ${ns}`,
  ]);
});

test.serial('two fixes in a row, for two refusals: both sets of commands run, and then both calls succeed', async (t) => {
  const sa = await serviceAccountKubeconfig(ns, 'twice');
  const first = await runPlugin('lsres', ['--kubeconfig', sa, 'pods']);
  t.is(first.code, 3);
  await runAsAdmin(commandsIn(first.stderr));
  const second = await runPlugin('dynget', ['--kubeconfig', sa, 'services']);
  t.is(second.code, 3, 'services is still refused');
  await runAsAdmin(commandsIn(second.stderr));
  const third = await runPlugin('lsres', ['--kubeconfig', sa, 'configmaps']);
  t.is(third.code, 3);
  await runAsAdmin(commandsIn(third.stderr));
  for (const type of ['pods', 'services', 'configmaps']) {
    const ok = await runPlugin('lsres', ['--kubeconfig', sa, type]);
    t.is(ok.code, 0, `${type}: ${ok.stderr}`);
  }
});

test.serial('--access matches kubectl auth can-i --list for the same identity', async (t) => {
  const sa = await serviceAccountKubeconfig(ns, 'demo');
  const r = await runPlugin('lsres', ['--kubeconfig', sa, '--access', 'pods,deployments,services,configmaps', '-o', 'json']);
  t.is(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ resource: string; verbs: Record<string, string> }>;
  const canI = await kubectlOk(['--kubeconfig', sa, 'auth', 'can-i', '--list', '-n', ns]);
  const grants = new Map<string, Set<string>>();
  for (const line of canI.split('\n').slice(1)) {
    const m = line.match(/^(\S+)\s+\[.*?\]\s+\[.*?\]\s+\[(.*)\]/);
    if (m) grants.set(m[1]!, new Set(m[2]!.split(' ').filter(Boolean)));
  }
  for (const row of rows) {
    for (const [verb, outcome] of Object.entries(row.verbs)) {
      if (outcome === 'n/a') continue;
      const granted = grants.get(row.resource)?.has(verb) || grants.get(row.resource)?.has('*') || false;
      t.is(outcome === 'allowed', granted, `${row.resource} ${verb}`);
    }
  }
  t.is(rows.find((r) => r.resource === 'pods')?.verbs.list, 'allowed');
  t.is(rows.find((r) => r.resource === 'services')?.verbs.list, 'denied');
  const plain = await runPlugin('lsres', ['--kubeconfig', sa, '--access', 'pods']);
  t.regex(plain.stdout, /^NAME\s+GET\s+LIST\s+WATCH\s+CREATE\s+UPDATE\s+PATCH\s+DELETE\npods\s+no\s+yes\s+no\s+no\s+no\s+no\s+no\n$/);
});

test.serial('--as impersonates: the admin sees what the ServiceAccount may do', async (t) => {
  const cluster = await ensureCluster();
  const r = await runPlugin('lsres', ['--kubeconfig', cluster.kubeconfig, '-n', ns, '--as', `system:serviceaccount:${ns}:demo`, 'services']);
  t.is(r.code, 3);
  t.regex(r.stderr, /services is forbidden/);
});

test.serial('in-cluster mode: the ServiceAccount token, CA and namespace where a pod has them', async (t) => {
  const cluster = await ensureCluster();
  await kubectlOk(['create', 'serviceaccount', 'incluster', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'incluster-view', '--clusterrole=view', `--serviceaccount=${ns}:incluster`, '-n', ns]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-'));
  fs.writeFileSync(path.join(dir, 'token'), (await kubectlOk(['create', 'token', 'incluster', '-n', ns, '--duration=1h'])).trim());
  fs.copyFileSync(cluster.caFile, path.join(dir, 'ca.crt'));
  fs.writeFileSync(path.join(dir, 'namespace'), ns);
  const url = new URL(cluster.server);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'home-'));
  const target = '/var/run/secrets/kubernetes.io/serviceaccount';
  const script = `mount -t tmpfs none /var/run && mkdir -p ${target} && mount --bind "$SA_DIR" ${target} && exec "$PLUGIN" deployments`;
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('unshare', ['--mount', 'sh', '-c', script], {
      // Nothing from the host's kubeconfig: an empty HOME and no KUBECONFIG.
      env: { PATH: process.env.PATH, HOME: home, SA_DIR: dir, PLUGIN: pluginPath('lsres'), KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^web\s+/m, 'lists the namespace from the namespace file');
  // The same ServiceAccount is refused outside its grant: proof the token was used.
  t.is((await kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'default', `--as=system:serviceaccount:${ns}:incluster`])).stdout.trim(), 'no');
});
