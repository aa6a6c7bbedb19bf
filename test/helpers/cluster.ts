/**
 * The real local cluster for integration tests (see scripts/cluster.ts). `ensureCluster()` starts
 * it once per test run, or reuses the one already running; ava's worker processes may call it at
 * the same time, and the cache's lock file lets only one of them run `up`. The cluster is left
 * running afterwards; `.ci/run` stops it.
 *
 * Each test file takes its own namespace (`createNamespace`). For RBAC denials that are real,
 * `serviceAccountKubeconfig` mints a token (TokenRequest) for a ServiceAccount with no rights.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { binaryPath } from '../../scripts/cluster/build.ts';
import { restartComponent, signalComponent, up, type Output } from '../../scripts/cluster/control-plane.ts';
import { readSettings, writeSettings } from '../../scripts/cluster/components.ts';
import { writeKubeconfig } from '../../scripts/cluster/kubeconfig.ts';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { pkiFiles } from '../../scripts/cluster/pki.ts';

export interface TestCluster {
  /** Admin kubeconfig (context `local`, system:masters). */
  kubeconfig: string;
  /** The kubectl built with the cluster (same version as the server). */
  kubectl: string;
  /** https://127.0.0.1:PORT */
  server: string;
  /** The cluster CA, for clients that verify the server. */
  caFile: string;
}

const paths = clusterPaths();
const out: Output = { log: (line) => process.stderr.write(`[cluster] ${line}\n`), quietReuse: true };
let pending: Promise<TestCluster> | undefined;

/** Starts the local cluster, or reuses the running one. Memoized per process. */
export function ensureCluster(): Promise<TestCluster> {
  pending ??= start();
  return pending;
}

async function start(): Promise<TestCluster> {
  // Always through `up`: it waits on the lock while another worker is still starting the cluster.
  const { server } = await up(paths, out);
  return { kubeconfig: paths.kubeconfig, kubectl: binaryPath(paths, 'kubectl'), server, caFile: pkiFiles(paths.pki).caCert };
}

export interface KubectlOptions {
  /** Another kubeconfig (e.g. from `serviceAccountKubeconfig`); default the admin one. */
  kubeconfig?: string;
  /** Written to kubectl's stdin (for `apply -f -`). */
  input?: string;
  timeoutMs?: number;
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
  /** The signal that ended kubectl (the timeout's SIGTERM), if one did. */
  signal?: NodeJS.Signals;
}

/** Runs the cluster's kubectl; never throws for a non-zero exit (check `code`). */
export async function kubectl(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const cluster = await ensureCluster();
  return new Promise((resolve, reject) => {
    const child = spawn(cluster.kubectl, ['--kubeconfig', options.kubeconfig ?? cluster.kubeconfig, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ stdout, stderr, code: code ?? (signal === null ? 1 : 128), ...(signal ? { signal } : {}) }));
    // kubectl may exit before reading stdin (EPIPE): its exit code says what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Like `kubectl`, but throws with kubectl's stderr unless it exits 0; returns stdout. For seeding:
 * `apply`/`create -f` skip kubectl's client-side schema check unless the caller passes --validate
 * (it downloads /openapi/v2, which a loaded two-core server may take more than kubectl's 32 s to
 * build after CRD changes; the fixtures are known to be valid). Oracle runs use `kubectl`.
 */
export async function kubectlOk(args: string[], options: KubectlOptions = {}): Promise<string> {
  const seeds = (args[0] === 'apply' || args[0] === 'create') && args.includes('-f') && !args.some((a) => a.startsWith('--validate'));
  // Seeding many objects on a loaded two-core server can outlast the usual minute.
  const timeoutMs = options.timeoutMs ?? (seeds ? 180_000 : 60_000);
  const result = await kubectl(seeds ? [...args, '--validate=false'] : args, { ...options, timeoutMs });
  if (result.code !== 0) {
    const why = result.signal ? `was killed by ${result.signal} (its timeout is ${timeoutMs / 1000} s)` : `exited ${result.code}`;
    throw new Error(`kubectl ${args.join(' ')} ${why}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/**
 * Creates a namespace named `<prefix>-<random>` and waits for its `default` ServiceAccount, so
 * pods can be created in it at once. Returns the name. `serviceAccount: false` does not wait: for
 * namespaces without pods, right after API server restarts, when the controller manager's
 * informers may still be backing off (up to 30 s) before the ServiceAccount controller sees them.
 */
export async function createNamespace(prefix: string, options: { serviceAccount?: boolean } = {}): Promise<string> {
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'test';
  const name = `${base}-${crypto.randomBytes(3).toString('hex')}`;
  await kubectlOk(['create', 'namespace', name]);
  if (options.serviceAccount === false) return name;
  const deadline = Date.now() + 30_000;
  while ((await kubectl(['get', 'serviceaccount', 'default', '-n', name, '-o', 'name'])).code !== 0) {
    if (Date.now() > deadline) throw new Error(`namespace ${name}: the default ServiceAccount did not appear within 30 s`);
    await sleep(100);
  }
  return name;
}

/** Deletes a namespace without waiting for its contents to go. */
export async function deleteNamespace(name: string): Promise<void> {
  await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
}

/**
 * Creates ServiceAccount `name` in `ns` (no roles are bound to it), gets a 1 h token through the
 * TokenRequest API and writes a kubeconfig for it (same server and CA). Returns the file's path;
 * the file lives in the cluster's state directory and goes away with `down`.
 */
export async function serviceAccountKubeconfig(ns: string, name: string): Promise<string> {
  const cluster = await ensureCluster();
  const created = await kubectl(['create', 'serviceaccount', name, '-n', ns]);
  if (created.code !== 0 && !created.stderr.includes('AlreadyExists') && !created.stderr.includes('already exists')) {
    throw new Error(`kubectl create serviceaccount ${name} -n ${ns} exited ${created.code}: ${created.stderr.trim()}`);
  }
  const token = (await kubectlOk(['create', 'token', name, '-n', ns, '--duration=1h'])).trim();
  const file = path.join(paths.state, 'test-kubeconfigs', `${ns}.${name}.kubeconfig`);
  return writeKubeconfig(file, {
    server: cluster.server,
    caFile: cluster.caFile,
    userName: `system:serviceaccount:${ns}:${name}`,
    user: { token },
    namespace: ns,
  });
}

/** Stops and starts kube-apiserver (same port, same data): watches break, clients must reconnect. */
export async function restartApiserver(): Promise<void> {
  await ensureCluster();
  await restartComponent(paths, 'kube-apiserver', out);
}

/**
 * Restarts kube-apiserver with the ShardedListAndWatch feature gate on or off (KEP-5866): off,
 * shard selectors are ignored and watchq filters shards itself. Always turn it on again after.
 */
export async function setShardedListAndWatch(enabled: boolean): Promise<void> {
  await ensureCluster();
  const settings = readSettings(paths)!;
  if ((settings.shardedListAndWatch !== false) === enabled) return;
  writeSettings(paths, { ...settings, shardedListAndWatch: enabled });
  await restartComponent(paths, 'kube-apiserver', out);
}

/** Freezes (STOP) or resumes (CONT) kube-apiserver: requests hang instead of failing. Always CONT in a finally. */
export async function signalApiserver(signal: 'STOP' | 'CONT'): Promise<void> {
  await ensureCluster();
  signalComponent(paths, 'kube-apiserver', `SIG${signal}`, out);
}
