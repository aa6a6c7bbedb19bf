/**
 * The common contract every plugin keeps when it fails, as assertions, and what the
 * reliability tests share: a clean environment for the plugin processes, a limit on how many
 * run at once (each is a Node single executable), and a listing of what a namespace holds.
 */
import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { pkiFiles } from '../../scripts/cluster/pki.ts';
import { ensureCluster } from '../helpers/cluster.ts';
import { pluginPath, runPlugin, type PluginResult, type PluginRunOptions } from '../helpers/plugin.ts';

export type PluginName = 'lsres' | 'dynget' | 'mkdeploy' | 'watchq';
export const plugins: readonly PluginName[] = ['lsres', 'dynget', 'mkdeploy', 'watchq'];

/** A stack frame as Node prints it. */
export const stackLine = /^\s+at /m;

export interface Expected {
  code: number;
  /** Matched against the one `error: …` line (without the prefix). */
  error: RegExp;
}

/**
 * Exit code, one `error:` line (an optional `hint:` after it; a `warning:` before it), no stack
 * trace, nothing on stdout, and no secret anywhere.
 */
export function assertFailure(t: ExecutionContext, r: PluginResult, expected: Expected, secrets: readonly string[] = []): void {
  const shown = `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
  t.is(r.code, expected.code, shown);
  t.is(r.stdout, '', 'nothing on stdout');
  t.notRegex(r.stderr, stackLine, 'no stack trace');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  const errors = lines.filter((l) => l.startsWith('error: '));
  t.is(errors.length, 1, `one error line:\n${r.stderr}`);
  t.regex(errors[0]?.slice('error: '.length) ?? '', expected.error);
  const at = lines.findIndex((l) => l.startsWith('error: '));
  t.true(lines.slice(0, at).every((l) => l.startsWith('warning: ')), `only warnings before the error:\n${r.stderr}`);
  const after = lines.slice(at + 1);
  t.true(after.length === 0 || (after.length === 1 && after[0]!.startsWith('hint: ')), `at most one hint after the error:\n${r.stderr}`);
  assertNoSecrets(t, r, secrets);
}

export function assertNoSecrets(t: ExecutionContext, r: Pick<PluginResult, 'stdout' | 'stderr'>, secrets: readonly string[]): void {
  for (const secret of secrets) {
    if (secret === '') continue;
    t.false(r.stdout.includes(secret), `a secret (${secret.slice(0, 6)}…) is on stdout`);
    t.false(r.stderr.includes(secret), `a secret (${secret.slice(0, 6)}…) is on stderr`);
  }
}

/** At most `n` callers inside at once. */
export function limiter(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** Each executable takes most of a second to start: a few at once, not all. */
const runLimit = limiter(Math.max(4, os.availableParallelism() * 2));

export interface IsolatedEnv {
  /** HOME with no ~/.kube, so only the kubeconfig a case names is read. */
  home: string;
  /** KUBECACHEDIR: the discovery cache of this test file. */
  cacheDir: string;
}

/** A HOME and a discovery cache of our own, under `dir`. */
export function isolatedEnv(dir: string): IsolatedEnv {
  const home = path.join(dir, 'home');
  const cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  return { home, cacheDir };
}

/** The process environment without anything that points a client at a cluster. */
export function pluginEnv(isolated: IsolatedEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HOME: isolated.home, KUBECACHEDIR: isolated.cacheDir };
  for (const name of ['KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT']) delete env[name];
  return { ...env, ...extra };
}

/** Runs a built plugin, at most a few at once. */
export function run(name: PluginName, args: string[], options: PluginRunOptions): Promise<PluginResult> {
  return runLimit(() => runPlugin(name, args, options));
}

export interface RunUntilOptions {
  env: NodeJS.ProcessEnv;
  /** Once stdout or stderr matches, the plugin gets SIGINT (and drains, as a user's Ctrl-C). */
  until: RegExp;
  /** SIGKILL after this long, matched or not. */
  timeoutMs: number;
}

/** For watchq, which runs until stopped: run it, wait for `until`, then interrupt it. */
export function runUntil(name: PluginName, args: string[], options: RunUntilOptions): Promise<PluginResult & { matched: boolean }> {
  return runLimit(
    () =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(pluginPath(name), args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let matched = false;
        const check = () => {
          if (!matched && options.until.test(`${stdout}\n${stderr}`)) {
            matched = true;
            child.kill('SIGINT');
          }
        };
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          check();
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          check();
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: performance.now() - started, matched });
        });
      }),
  );
}

/** What a client could create in a namespace (events aside), as `resource/name`. */
const namespacedPaths = [
  '/api/v1/namespaces/NS/pods',
  '/api/v1/namespaces/NS/services',
  '/api/v1/namespaces/NS/configmaps',
  '/api/v1/namespaces/NS/secrets',
  '/api/v1/namespaces/NS/serviceaccounts',
  '/apis/apps/v1/namespaces/NS/deployments',
  '/apis/apps/v1/namespaces/NS/replicasets',
  '/apis/batch/v1/namespaces/NS/jobs',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
];

let admin: Promise<{ server: URL; agent: https.Agent }> | undefined;

/** GET as the cluster admin, in this process (a kubectl per listing costs more than the case). */
async function adminGet(urlPath: string): Promise<unknown> {
  admin ??= ensureCluster().then((cluster) => {
    const pki = pkiFiles(clusterPaths().pki);
    const agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(cluster.caFile), cert: fs.readFileSync(pki.adminCert), key: fs.readFileSync(pki.adminKey) });
    return { server: new URL(cluster.server), agent };
  });
  const { server, agent } = await admin;
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(urlPath, server), { agent, headers: { Accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET ${urlPath}: ${res.statusCode} ${body.slice(0, 200)}`))));
    });
    req.on('error', reject);
  });
}

/** Everything in the namespace a plugin could have created: `resource/name` lines, sorted. */
export async function namespaceContents(ns: string): Promise<string[]> {
  const lists = await Promise.all(
    namespacedPaths.map(async (p) => {
      const list = (await adminGet(p.replace('NS', encodeURIComponent(ns)))) as { items: Array<{ metadata: { name: string } }> };
      const resource = p.slice(p.lastIndexOf('/') + 1);
      return list.items.map((item) => `${resource}/${item.metadata.name}`);
    }),
  );
  return lists.flat().sort();
}

/** Whether a cluster-scoped object exists, e.g. `/api/v1/namespaces/x`. */
export async function exists(urlPath: string): Promise<boolean> {
  try {
    await adminGet(urlPath);
    return true;
  } catch (error) {
    if (/: 404 /.test((error as Error).message)) return false;
    throw error;
  }
}

/** Ends the admin connections (call from `test.after.always`). */
export async function closeAdmin(): Promise<void> {
  if (admin) (await admin).agent.destroy();
}
