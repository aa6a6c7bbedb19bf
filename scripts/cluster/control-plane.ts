/**
 * The cluster's lifecycle: `up` (start, reuse, or repair), `down`, `status`, and stopping,
 * starting or signalling one component for fault tests. Every command that changes processes
 * holds the cache's lock, so concurrent callers (ava workers) never start two clusters.
 *
 * `up` decides from the pid files:
 * - all components running → reuse;
 * - some running → restart the missing ones with their saved flags;
 * - none running but state left behind → stale: clean it, then start fresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiGet, healthz, type ApiTarget } from './api.ts';
import { binaryPath, buildAll, formatDuration, kubernetesVersion } from './build.ts';
import {
  componentNames,
  componentSpecs,
  componentsKubeconfig,
  readSettings,
  serverUrl,
  writeSettings,
  type ClusterSettings,
  type ComponentName,
  type ComponentSpec,
} from './components.ts';
import { ClusterError } from './errors.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { withLock } from './lock.ts';
import { createFakeNodes, fakeNodeNames, fakeNodesNotReady } from './nodes.ts';
import type { ClusterPaths } from './paths.ts';
import { createPki, pkiFiles } from './pki.ts';
import { assertPortFree, freePorts, portFromEnv } from './ports.ts';
import { readPidFile, signalProcess, spawnDetached, stopProcess, type PidFileState, type PidRecord } from './processes.ts';
import { apiserverReady, etcdHealthy, waitUntil, type Watched } from './readiness.ts';

export interface Output {
  /** One line for the user (stderr). */
  log: (line: string) => void;
  /** Whether stderr is a terminal (progress lines are rewritten in place). */
  tty?: boolean;
  /** Say nothing when `up` finds the cluster already running (test helpers). */
  quietReuse?: boolean;
}

export interface ClusterInfo {
  server: string;
  kubeconfig: string;
  kubectl: string;
  /** True if the cluster was already running. */
  reused: boolean;
}

export const compactionEnvVar = 'CLUSTER_ETCD_COMPACTION_INTERVAL';
export const apiPortEnvVar = 'CLUSTER_API_PORT';

const startTimeoutMs: Record<ComponentName, number> = {
  etcd: 30_000,
  'kube-apiserver': 120_000,
  'kube-controller-manager': 60_000,
  'kube-scheduler': 60_000,
  kwok: 60_000,
};

export function up(paths: ClusterPaths, out: Output, env: NodeJS.ProcessEnv = process.env): Promise<ClusterInfo> {
  return withLock(paths.lock, () => upLocked(paths, out, env), lockWait(out));
}

async function upLocked(paths: ClusterPaths, out: Output, env: NodeJS.ProcessEnv): Promise<ClusterInfo> {
  const started = Date.now();
  const states = componentStates(paths);
  const running = componentNames.filter((name) => states[name].state === 'running');
  const settings = readSettings(paths);

  if (running.length === componentNames.length && settings !== undefined) {
    if (out.quietReuse !== true) {
      out.log(`cluster already running at ${serverUrl(settings)}; reusing it`);
      printUsage(paths, out);
    }
    return info(paths, settings, true);
  }

  reportStale(paths, states, out);
  await buildAll(paths, { log: out.log, tty: out.tty });

  if (running.length > 0 && settings !== undefined) {
    const missing = componentNames.filter((name) => states[name].state !== 'running');
    out.log(`cluster partly running (${missing.join(', ')} not running); restarting ${missing.length === 1 ? 'it' : 'them'}`);
    for (const name of missing) await startComponent(paths, settings, name);
    await waitUsable(paths, settings);
  } else {
    // Processes without saved settings cannot be repaired: stop them before starting afresh.
    if (running.length > 0) await stopAll(paths, out.log);
    if (fs.existsSync(paths.state)) {
      out.log(`removing state left by a cluster that is no longer running (${paths.state})`);
      fs.rmSync(paths.state, { recursive: true, force: true });
    }
    await startFresh(paths, out, env);
  }
  const finalSettings = readSettings(paths) as ClusterSettings;
  out.log(`cluster up in ${formatDuration(Date.now() - started)}: ${serverUrl(finalSettings)} (Kubernetes ${kubernetesVersion}, ${fakeNodeNames.length} kwok nodes)`);
  printUsage(paths, out);
  return info(paths, finalSettings, false);
}

async function startFresh(paths: ClusterPaths, out: Output, env: NodeJS.ProcessEnv): Promise<void> {
  const fixedApiPort = portFromEnv(env, apiPortEnvVar);
  if (fixedApiPort !== undefined) {
    await assertPortFree(fixedApiPort, 'kube-apiserver', `free it, or unset ${apiPortEnvVar} to use any free port`);
  }
  const [apiPort, etcdClientPort, etcdPeerPort, controllerManagerPort, schedulerPort] = await freePorts(5);
  const settings: ClusterSettings = {
    apiPort: fixedApiPort ?? (apiPort as number),
    etcdClientPort: etcdClientPort as number,
    etcdPeerPort: etcdPeerPort as number,
    controllerManagerPort: controllerManagerPort as number,
    schedulerPort: schedulerPort as number,
    etcdCompactionInterval: compactionInterval(env),
    createdAt: new Date().toISOString(),
  };
  fs.mkdirSync(paths.state, { recursive: true, mode: 0o700 });
  writeSettings(paths, settings);
  fs.mkdirSync(paths.kwokHome, { recursive: true });
  // etcd needs no certificates: make them while it starts.
  const pkiReady = createPki(paths.pki);
  pkiReady.catch(() => {});

  try {
    await startComponent(paths, settings, 'etcd');
    const pki = await pkiReady;
    const admin = {
      server: serverUrl(settings),
      caFile: pki.caCert,
      userName: 'kubernetes-admin',
      user: { clientCertificateFile: pki.adminCert, clientKeyFile: pki.adminKey },
    };
    writeKubeconfig(componentsKubeconfig(paths), admin);
    writeKubeconfig(paths.kubeconfig, { ...admin, namespace: 'default' });
    await startComponent(paths, settings, 'kube-apiserver');
    // The Nodes exist before kwok starts, so it picks them up at once.
    await createFakeNodes(apiTarget(paths, settings));
    await Promise.all(
      (['kube-controller-manager', 'kube-scheduler', 'kwok'] as const).map((name) => startComponent(paths, settings, name)),
    );
    await waitUsable(paths, settings);
  } catch (error) {
    out.log('startup failed; stopping the processes it started');
    await pkiReady.catch(() => {});
    await stopAll(paths, () => {});
    throw error instanceof ClusterError && error.hint === undefined
      ? new ClusterError(error.message, { cause: error.cause, detail: error.detail, hint: `logs are in ${paths.logs}; \`npm run cluster -- down\` removes them` })
      : error;
  }
}

/** Starts one component (ports must be free) and waits until it is healthy. */
async function startComponent(paths: ClusterPaths, settings: ClusterSettings, name: ComponentName): Promise<PidRecord> {
  const spec = specOf(paths, settings, name);
  for (const port of spec.ports) await assertPortFree(port, name);
  const logFile = logFileOf(paths, name);
  fs.mkdirSync(paths.logs, { recursive: true });
  fs.appendFileSync(logFile, `\n=== ${new Date().toISOString()} starting ${name}\n`);
  const record = await spawnDetached({ command: spec.command, args: spec.args, env: spec.env, logFile, pidFile: pidFileOf(paths, name) });
  const watch: Watched[] = [{ name, pid: record.pid, logFile }];
  const timeoutMs = startTimeoutMs[name];
  const target = apiTarget(paths, settings);
  switch (name) {
    case 'etcd':
      await waitUntil('etcd /health', () => etcdHealthy(settings.etcdClientPort), { timeoutMs, watch, intervalMs: 50 });
      break;
    case 'kube-apiserver':
      await waitUntil('kube-apiserver /readyz', () => apiserverReady(target), { timeoutMs, watch, intervalMs: 100 });
      break;
    case 'kube-controller-manager':
      await waitUntil('kube-controller-manager /healthz', () => healthz(`https://127.0.0.1:${settings.controllerManagerPort}/healthz`), { timeoutMs, watch });
      break;
    case 'kube-scheduler':
      await waitUntil('kube-scheduler /healthz', () => healthz(`https://127.0.0.1:${settings.schedulerPort}/healthz`), { timeoutMs, watch });
      break;
    case 'kwok':
      // kwok has no health endpoint here; `waitUsable` sees it work when the fake Nodes turn Ready.
      break;
  }
  return record;
}

/** The cluster is usable when the fake Nodes are Ready and the `default` ServiceAccount exists. */
async function waitUsable(paths: ClusterPaths, settings: ClusterSettings): Promise<void> {
  const target = apiTarget(paths, settings);
  const watch = watchedRunning(paths);
  await createFakeNodes(target);
  await waitUntil(`fake nodes ${fakeNodeNames.join(', ')} to be Ready (kwok)`, async () => (await fakeNodesNotReady(target)).length === 0, {
    timeoutMs: 60_000,
    watch,
  });
  await waitUntil(
    'the default ServiceAccount (kube-controller-manager)',
    async () => (await apiGet(target, '/api/v1/namespaces/default/serviceaccounts/default')) !== undefined,
    { timeoutMs: 60_000, watch },
  );
}

export async function down(paths: ClusterPaths, out: Output): Promise<void> {
  await withLock(
    paths.lock,
    async () => {
      if (!fs.existsSync(paths.state)) {
        out.log('no cluster to stop');
        return;
      }
      await stopAll(paths, out.log);
      fs.rmSync(paths.state, { recursive: true, force: true });
      out.log(`cluster stopped; removed ${paths.state}`);
    },
    lockWait(out),
  );
}

async function stopAll(paths: ClusterPaths, log: (line: string) => void): Promise<void> {
  const states = componentStates(paths);
  // Clients first, etcd last, all at once within each tier.
  const tiers: ComponentName[][] = [['kwok', 'kube-scheduler', 'kube-controller-manager'], ['kube-apiserver'], ['etcd']];
  for (const tier of tiers) {
    await Promise.all(
      tier.map(async (name) => {
        const state = states[name];
        if (state.state === 'running') {
          const result = await stopProcess(state.record);
          log(`${result === 'killed' ? 'killed' : 'stopped'} ${name} (pid ${state.record.pid})`);
        } else if (state.state === 'stale') {
          log(`${name} was not running (stale pid file: ${state.reason})`);
        }
        fs.rmSync(pidFileOf(paths, name), { force: true });
      }),
    );
  }
}

export interface ComponentStatus {
  name: ComponentName;
  state: 'running' | 'stopped' | 'stale';
  pid?: number;
  detail?: string;
}

export interface ClusterStatus {
  exists: boolean;
  server?: string;
  kubeconfig: string;
  components: ComponentStatus[];
  /** Stale pid files that were removed while looking. */
  cleaned: string[];
}

/** What runs now. Removes stale pid files (and reports them in `cleaned`). */
export function status(paths: ClusterPaths): ClusterStatus {
  const states = componentStates(paths);
  const settings = readSettings(paths);
  const cleaned: string[] = [];
  const components = componentNames.map((name): ComponentStatus => {
    const s = states[name];
    if (s.state === 'running') return { name, state: 'running', pid: s.record.pid };
    if (s.state === 'stale') {
      fs.rmSync(pidFileOf(paths, name), { force: true });
      cleaned.push(`${name}: ${s.reason}`);
      return { name, state: 'stale', pid: s.record?.pid, detail: s.reason };
    }
    return { name, state: 'stopped' };
  });
  return {
    exists: settings !== undefined,
    server: settings === undefined ? undefined : serverUrl(settings),
    kubeconfig: paths.kubeconfig,
    components,
    cleaned,
  };
}

/** Stops one component (for fault tests); the rest keep running. */
export async function stopComponent(paths: ClusterPaths, name: ComponentName, out: Output): Promise<void> {
  await withLock(
    paths.lock,
    async () => {
      const state = readPidFile(pidFileOf(paths, name));
      if (state.state !== 'running') {
        out.log(`${name} is not running`);
      } else {
        const result = await stopProcess(state.record);
        out.log(`${result === 'killed' ? 'killed' : 'stopped'} ${name} (pid ${state.record.pid})`);
      }
      fs.rmSync(pidFileOf(paths, name), { force: true });
    },
    lockWait(out),
  );
}

/** Starts one stopped component with its saved flags and waits until it is healthy. */
export async function startComponentCommand(paths: ClusterPaths, name: ComponentName, out: Output): Promise<void> {
  await withLock(
    paths.lock,
    async () => {
      const settings = requireSettings(paths);
      const state = readPidFile(pidFileOf(paths, name));
      if (state.state === 'running') {
        out.log(`${name} is already running (pid ${state.record.pid})`);
        return;
      }
      const started = Date.now();
      const record = await startComponent(paths, settings, name);
      out.log(`started ${name} (pid ${record.pid}) in ${formatDuration(Date.now() - started)}`);
    },
    lockWait(out),
  );
}

export async function restartComponent(paths: ClusterPaths, name: ComponentName, out: Output): Promise<void> {
  await stopComponent(paths, name, out);
  await startComponentCommand(paths, name, out);
}

/** Sends a signal (STOP, CONT, ...) to one component: freezing the API server makes requests hang. */
export function signalComponent(paths: ClusterPaths, name: ComponentName, signal: NodeJS.Signals, out: Output): void {
  const state = readPidFile(pidFileOf(paths, name));
  if (state.state !== 'running' || !signalProcess(state.record, signal)) {
    throw new ClusterError(`${name} is not running`, { hint: 'start the cluster with `npm run cluster -- up`' });
  }
  out.log(`sent SIG${signal.replace(/^SIG/, '')} to ${name} (pid ${state.record.pid})`);
}

export function requireSettings(paths: ClusterPaths): ClusterSettings {
  const settings = readSettings(paths);
  if (settings === undefined) {
    throw new ClusterError('no local cluster', { hint: 'start one with `npm run cluster -- up`' });
  }
  return settings;
}

export function apiTarget(paths: ClusterPaths, settings: ClusterSettings): ApiTarget {
  const pki = pkiFiles(paths.pki);
  return { server: serverUrl(settings), caFile: pki.caCert, certFile: pki.adminCert, keyFile: pki.adminKey };
}

function componentStates(paths: ClusterPaths): Record<ComponentName, PidFileState> {
  return Object.fromEntries(componentNames.map((name) => [name, readPidFile(pidFileOf(paths, name))])) as Record<ComponentName, PidFileState>;
}

function reportStale(paths: ClusterPaths, states: Record<ComponentName, PidFileState>, out: Output): void {
  for (const name of componentNames) {
    const s = states[name];
    if (s.state !== 'stale') continue;
    out.log(`stale pid file for ${name} (${s.reason}); removing it`);
    fs.rmSync(pidFileOf(paths, name), { force: true });
  }
}

function watchedRunning(paths: ClusterPaths): Watched[] {
  return componentNames.flatMap((name) => {
    const s = readPidFile(pidFileOf(paths, name));
    return s.state === 'running' ? [{ name, pid: s.record.pid, logFile: logFileOf(paths, name) }] : [];
  });
}

function specOf(paths: ClusterPaths, settings: ClusterSettings, name: ComponentName): ComponentSpec {
  return componentSpecs(paths, settings).find((spec) => spec.name === name) as ComponentSpec;
}

export function pidFileOf(paths: ClusterPaths, name: ComponentName): string {
  return path.join(paths.pids, `${name}.pid`);
}

export function logFileOf(paths: ClusterPaths, name: ComponentName): string {
  return path.join(paths.logs, `${name}.log`);
}

function compactionInterval(env: NodeJS.ProcessEnv): string {
  const value = env[compactionEnvVar];
  if (value === undefined || value === '') return '5m';
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    throw new ClusterError(`${compactionEnvVar}=${value} is not a Go duration (e.g. 10s, 5m)`);
  }
  return value;
}

function info(paths: ClusterPaths, settings: ClusterSettings, reused: boolean): ClusterInfo {
  return { server: serverUrl(settings), kubeconfig: paths.kubeconfig, kubectl: binaryPath(paths, 'kubectl'), reused };
}

function printUsage(paths: ClusterPaths, out: Output): void {
  out.log(`  export KUBECONFIG=${paths.kubeconfig}`);
  out.log(`  ${binaryPath(paths, 'kubectl')} get nodes`);
  out.log('  npm run cluster -- down    # stop it and remove its state');
}

function lockWait(out: Output): { onWait: (pid: number) => void } {
  return { onWait: (pid) => out.log(`waiting for another cluster command (pid ${pid}) to finish`) };
}
