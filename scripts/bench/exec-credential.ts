/**
 * The bench's exec credential setup (issue 14): a ServiceAccount that may view a namespace, a
 * real token for it (TokenRequest, 1 h), and a kubeconfig whose user is an exec plugin printing
 * that token as an ExecCredential. Both lsres and kubectl run with this kubeconfig, so the
 * measure is what each pays for running the same plugin and using its answer.
 *
 * The plugin is a shell script that `cat`s the prepared answer: its own cost is the same small
 * fork+exec for both sides.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';

const run = promisify(execFile);

export interface ExecBenchSetup {
  kubeconfig: string;
  plugin: string;
}

/** Idempotent: the ServiceAccount and its RoleBinding are reused when there. */
export async function prepareExecCredential(kubectl: string, adminKubeconfig: string, namespace: string, scratch: string): Promise<ExecBenchSetup> {
  const k = (args: string[]) => run(kubectl, ['--kubeconfig', adminKubeconfig, ...args], { maxBuffer: 16 * 1024 * 1024 });
  const tolerate = async (args: string[]) => {
    try {
      await k(args);
    } catch (error) {
      if (!/AlreadyExists|already exists/.test(String((error as { stderr?: string }).stderr))) throw error;
    }
  };
  await tolerate(['create', 'serviceaccount', 'bench-exec', '-n', namespace]);
  await tolerate(['create', 'rolebinding', 'bench-exec-view', '--clusterrole=view', `--serviceaccount=${namespace}:bench-exec`, '-n', namespace]);
  const token = (await k(['create', 'token', 'bench-exec', '-n', namespace, '--duration=1h'])).stdout.trim();
  const expires = new Date(Date.now() + 55 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const answer = join(scratch, 'exec-credential.json');
  await writeFile(answer, JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token, expirationTimestamp: expires } }), { mode: 0o600 });
  const plugin = join(scratch, 'bench-exec-plugin.sh');
  await writeFile(plugin, `#!/bin/sh\nexec cat ${answer}\n`, { mode: 0o700 });

  const admin = parse(await readFile(adminKubeconfig, 'utf8')) as { clusters: Array<{ cluster: Record<string, unknown> }> };
  const cluster = admin.clusters[0]!.cluster;
  const ca = cluster['certificate-authority-data'] ? { 'certificate-authority-data': cluster['certificate-authority-data'] } : { 'certificate-authority': cluster['certificate-authority'] };
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'bench', cluster: { server: cluster.server, ...ca } }],
    users: [{ name: 'bench-exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } }],
    contexts: [{ name: 'bench-exec', context: { cluster: 'bench', user: 'bench-exec', namespace } }],
    'current-context': 'bench-exec',
  };
  const kubeconfig = join(scratch, 'exec.kubeconfig');
  await writeFile(kubeconfig, stringify(doc), { mode: 0o600 });
  return { kubeconfig, plugin };
}
