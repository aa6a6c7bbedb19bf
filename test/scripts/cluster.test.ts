/**
 * The local control plane, tested against itself: real etcd, kube-apiserver, controllers,
 * scheduler and kwok (started or reused by ensureCluster), plus the script's own error paths run
 * as real `node scripts/cluster.ts` processes in a scratch cache directory.
 */
import test from 'ava';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { renderKustomization } from '../../scripts/cluster/kwok-stages.ts';
import { assertPortFree } from '../../scripts/cluster/ports.ts';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { readPidFile, spawnDetached, stopProcess } from '../../scripts/cluster/processes.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk, serviceAccountKubeconfig } from '../helpers/cluster.ts';

const execFileAsync = promisify(execFile);
const script = path.join(import.meta.dirname, '..', '..', 'scripts', 'cluster.ts');
let ns = '';

test.before(async () => {
  await ensureCluster();
  ns = await createNamespace('cluster-test');
});

test.after.always(async () => {
  if (ns !== '') await deleteNamespace(ns);
});

test('the server reports Kubernetes v1.36.3', async (t) => {
  const version = JSON.parse(await kubectlOk(['version', '-o', 'json'])) as { serverVersion: { gitVersion: string }; clientVersion: { gitVersion: string } };
  t.is(version.serverVersion.gitVersion, 'v1.36.3');
  t.is(version.clientVersion.gitVersion, 'v1.36.3');
});

test('a 2-replica nginx Deployment has 2 Running pods within 30 s', async (t) => {
  await kubectlOk(['create', 'deployment', 'nginx', '--image=nginx', '--replicas=2', '-n', ns]);
  const started = Date.now();
  let phases: string[] = [];
  while (Date.now() - started < 30_000) {
    const pods = JSON.parse(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=nginx', '-o', 'json'])) as {
      items: Array<{ status?: { phase?: string } }>;
    };
    phases = pods.items.map((pod) => pod.status?.phase ?? '');
    if (phases.length === 2 && phases.every((phase) => phase === 'Running')) break;
    await sleep(250);
  }
  t.deepEqual(phases, ['Running', 'Running'], `pods not Running after ${Date.now() - started} ms`);
  t.log(`2 pods Running after ${Date.now() - started} ms`);
});

test('kubectl create token works for a new ServiceAccount, which has no rights', async (t) => {
  const kubeconfig = await serviceAccountKubeconfig(ns, 'nobody');
  const whoami = await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig });
  t.is(whoami.code, 0, whoami.stderr);
  t.is(whoami.stdout, `system:serviceaccount:${ns}:nobody`);
  const denied = await kubectl(['get', 'pods', '-n', ns], { kubeconfig });
  t.not(denied.code, 0);
  t.regex(denied.stderr, /forbidden/i);
});

test('a second up reuses the running cluster', async (t) => {
  const { stderr } = await execFileAsync(process.execPath, [script, 'up']);
  t.regex(stderr, /cluster already running at https:\/\/127\.0\.0\.1:\d+; reusing it/);
});

test('status lists every component as running', async (t) => {
  const { stdout } = await execFileAsync(process.execPath, [script, 'status']);
  for (const name of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']) {
    t.regex(stdout, new RegExp(`${name}\\s+running\\s+pid \\d+`));
  }
});

// --- error paths, in a scratch cache directory that borrows the built binaries ---

function scratchCache(t: { teardown: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-test-'));
  fs.symlinkSync(clusterPaths().bin, path.join(dir, 'bin'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function runScript(args: string[], env: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [script, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('up refuses a port in use with one clear line', async (t) => {
  const cache = scratchCache(t);
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  const result = runScript(['up'], { KUBECTL_PLUGINS_CACHE: cache, CLUSTER_API_PORT: String(port) });
  t.is(result.code, 1);
  t.regex(result.stderr, new RegExp(`^error: port ${port} on 127\\.0\\.0\\.1 is in use \\(wanted by kube-apiserver\\)$`, 'm'));
  t.false(fs.existsSync(path.join(cache, 'state', 'pids')), 'nothing was started');
  await t.throwsAsync(assertPortFree(port, 'x'), { message: /is in use/ });
});

test('a stale pid file is detected, reported and removed', (t) => {
  const cache = scratchCache(t);
  const pids = path.join(cache, 'state', 'pids');
  fs.mkdirSync(pids, { recursive: true });
  fs.writeFileSync(path.join(cache, 'state', 'cluster.json'), JSON.stringify({ apiPort: 1, etcdClientPort: 2, etcdPeerPort: 3, controllerManagerPort: 4, schedulerPort: 5 }));
  const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
  fs.writeFileSync(path.join(pids, 'kube-apiserver.pid'), JSON.stringify({ pid: dead, startTime: '1', command: 'kube-apiserver' }));
  t.like(readPidFile(path.join(pids, 'kube-apiserver.pid')), { state: 'stale', reason: `pid ${dead} is not running` });

  const result = runScript(['status'], { KUBECTL_PLUGINS_CACHE: cache });
  t.is(result.code, 1);
  t.regex(result.stderr, new RegExp(`stale pid file removed \\(kube-apiserver: pid ${dead} is not running\\)`));
  t.regex(result.stdout, /kube-apiserver\s+dead/);
  t.false(fs.existsSync(path.join(pids, 'kube-apiserver.pid')));
});

test('a pid file whose pid now belongs to another process is stale', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-pid-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'x.pid');
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, startTime: '1', command: 'etcd' }));
  t.like(readPidFile(file), { state: 'stale', reason: `pid ${process.pid} now belongs to another process` });
});

test('a detached process is recorded, then stopped with SIGTERM', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-proc-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pidFile = path.join(dir, 'sleep.pid');
  const record = await spawnDetached({ command: 'sleep', args: ['30'], logFile: path.join(dir, 'sleep.log'), pidFile });
  t.like(readPidFile(pidFile), { state: 'running', record: { pid: record.pid } });
  t.is(await stopProcess(record, 2_000), 'terminated');
  t.like(readPidFile(pidFile), { state: 'stale' });
  t.is(await stopProcess(record), 'not-running');
});

test('build without Go says how to fix it', (t) => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-nogo-'));
  t.teardown(() => fs.rmSync(cache, { recursive: true, force: true }));
  const result = runScript(['build'], { KUBECTL_PLUGINS_CACHE: cache, PATH: '/usr/bin:/bin' });
  t.is(result.code, 1);
  t.regex(result.stderr, /^error: go not found on PATH; install Go 1\.26\+/m);
});


test('kwok stage kustomizations render to their resources, nested ones in place', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-stages-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'nested'));
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'kind: Kustomization\nresources:\n- a.yaml\n- nested\n');
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'kind: Stage\nmetadata: {name: a}\n---\nkind: Stage\nmetadata: {name: b}\n');
  fs.writeFileSync(path.join(dir, 'nested', 'kustomization.yaml'), 'resources: [c.yaml]\n');
  fs.writeFileSync(path.join(dir, 'nested', 'c.yaml'), 'kind: Stage\nmetadata: {name: c}\n');
  t.deepEqual(
    renderKustomization(dir).map((doc) => /name: (\w)/.exec(doc)?.[1]),
    ['a', 'b', 'c'],
  );
  fs.writeFileSync(path.join(dir, 'nested', 'kustomization.yaml'), 'resources: [c.yaml]\npatches: []\n');
  t.throws(() => renderKustomization(dir), { message: /uses patches, which this renderer does not support/ });
});
