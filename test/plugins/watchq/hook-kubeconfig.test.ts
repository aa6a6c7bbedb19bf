/**
 * The kubeconfig `watchq --exec` gives its hooks (issue 27, contract point 2), against the real
 * cluster: a hook's `kubectl` acts where watchq watches, as the same user, with watchq's
 * impersonation and namespace, whatever the user's kubeconfig says is current or KUBECONFIG is
 * unset; the file is private, removed when watchq stops, and no credential reaches its output.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk } from '../../helpers/cluster.ts';
import { hookKubeconfig } from '../../../shared/kube/hook-kubeconfig.ts';
import { WatchqProcess } from './watchq-process.ts';

let ns = '';
let dir = '';
let kubeconfig = '';
let kubectlDir = '';
let secrets: string[] = [];

test.before(async () => {
  const cluster = await ensureCluster();
  ns = await createNamespace('watchq-hook-config');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hook-config-'));
  kubectlDir = path.dirname(cluster.kubectl);
  await kubectlOk(['create', 'configmap', 'probe', '-n', ns, '--from-literal=k=v']);
  await kubectlOk(['label', 'configmap', 'probe', '-n', ns, 'hook=yes']);
  // The impersonated user of the --as case may watch here.
  await kubectlOk(['create', 'role', 'watch-cm', '--verb=list,watch', '--resource=configmaps', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'watch-cm', '--role=watch-cm', '--serviceaccount=hooks:someone', '-n', ns]);
  // The user's kubeconfig: its current context points nowhere; watchq is told --context target.
  const admin = parse(fs.readFileSync(cluster.kubeconfig, 'utf8')) as { clusters: Array<{ cluster: Record<string, unknown> }>; users: Array<{ user: Record<string, string> }> };
  const user = admin.users[0]!.user;
  secrets = [user['client-key-data'], user['token']].filter((s): s is string => typeof s === 'string');
  kubeconfig = path.join(dir, 'user.kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'other',
      clusters: [{ name: 'real', cluster: admin.clusters[0]!.cluster }, { name: 'nowhere', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user }],
      contexts: [
        { name: 'other', context: { cluster: 'nowhere', user: 'admin', namespace: 'default' } },
        { name: 'target', context: { cluster: 'real', user: 'admin', namespace: ns } },
      ],
    }),
  );
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs watchq cm with `extra` and a hook writing what its kubectl says to out/NAME; returns that and watchq's output. */
async function hookSays(hook: string, extra: string[]): Promise<{ said: string; stdout: string; stderr: string; kubeconfigMode: number; kubeconfigGone: boolean }> {
  const out = fs.mkdtempSync(path.join(dir, 'out-'));
  // No KUBECONFIG: the hook's kubectl would go to localhost:8080, or the user's current context.
  const env: NodeJS.ProcessEnv = { PATH: `${kubectlDir}:${process.env['PATH']}`, HOME: dir, NO_COLOR: '1' };
  const script = path.join(out, 'hook.sh');
  fs.writeFileSync(script, `#!/bin/sh\nstat -c %a "$KUBECONFIG" > ${out}/mode\necho "$KUBECONFIG" > ${out}/path\n${hook} > ${out}/said 2>&1\n`, { mode: 0o755 });
  const p = new WatchqProcess(['--kubeconfig', kubeconfig, '--context', 'target', 'configmaps', '--field-selector', 'metadata.name=probe', '--exec', script, ...extra], env);
  try {
    await p.waitFor('the hook to run', () => fs.existsSync(path.join(out, 'said')) && fs.readFileSync(path.join(out, 'said'), 'utf8').length > 0);
  } finally {
    await p.stop('SIGTERM');
  }
  const hookPath = fs.readFileSync(path.join(out, 'path'), 'utf8').trim();
  return {
    said: fs.readFileSync(path.join(out, 'said'), 'utf8').trim(),
    stdout: p.stdout,
    stderr: p.stderr,
    kubeconfigMode: parseInt(fs.readFileSync(path.join(out, 'mode'), 'utf8').trim(), 8),
    kubeconfigGone: !fs.existsSync(hookPath) && !fs.existsSync(path.dirname(hookPath)),
  };
}

test.serial('--context given to watchq: the hook\'s kubectl reaches that cluster and namespace, not the current context', async (t) => {
  const r = await hookSays('kubectl get configmap probe -o name', []);
  t.is(r.said, 'configmap/probe', r.stderr);
  t.is(r.kubeconfigMode, 0o600);
  t.true(r.kubeconfigGone, 'the hooks\' kubeconfig is removed when watchq stops');
  for (const secret of secrets) t.false((r.stdout + r.stderr).includes(secret), 'no credential in watchq\'s output');
});

test.serial('--as given to watchq: the hook acts as the same impersonated user', async (t) => {
  const r = await hookSays('kubectl auth whoami -o jsonpath={.status.userInfo.username}', ['--as', 'system:serviceaccount:hooks:someone']);
  t.is(r.said, 'system:serviceaccount:hooks:someone', r.stderr);
});

test('the hooks\' kubeconfig carries the cluster, the credentials by file where they came from one, impersonation and namespace', (t) => {
  const config = hookKubeconfig({
    server: 'https://k:6443', ca: Buffer.from('CA'), certFile: '/c.crt', cert: Buffer.from('C'), keyFile: '/c.key', key: Buffer.from('K'), insecureSkipTlsVerify: false, tlsServerName: 'k', disableCompression: false,
    tokenFile: '/var/run/token', token: 'inline', impersonateUser: 'alice', impersonateGroups: ['ops'], impersonateExtra: {}, namespace: 'team', requestTimeoutMs: 0,
  });
  t.deepEqual(config, {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'watchq',
    clusters: [{ name: 'watchq', cluster: { server: 'https://k:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64'), 'tls-server-name': 'k' } }],
    users: [{ name: 'watchq', user: { 'client-certificate': '/c.crt', 'client-key': '/c.key', tokenFile: '/var/run/token', as: 'alice', 'as-groups': ['ops'] } }],
    contexts: [{ name: 'watchq', context: { cluster: 'watchq', user: 'watchq', namespace: 'team' } }],
  });
});
