/**
 * Proxies (issue 14), with real proxy servers: tinyproxy (HTTP CONNECT, without and with Basic
 * auth) and microsocks (SOCKS5). Each plugin reaches the local API server through each proxy,
 * by the cluster's proxy-url and by HTTPS_PROXY, and the proxy's own log shows the CONNECT.
 *
 * HTTPS_PROXY never applies to localhost or a loopback address (Go's rule, so kubectl's and
 * ours): those cases reach the API server as `apiserverAlias` (127.0.0.1 in /etc/hosts) with
 * tls-server-name `localhost`. The cluster's kubectl runs the same setups and must agree.
 * NO_PROXY bypasses the proxy; a proxy that is down or refuses is exit 5 and one line; the
 * proxy's password never shows at any -v.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ExitCode } from '../../shared/errors.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk, serviceAccountKubeconfig } from '../helpers/cluster.ts';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { pkiFiles } from '../../scripts/cluster/pki.ts';
import { createCa, freePort, writeFixture } from '../helpers/kubeconfigs.ts';
import type { PluginResult } from '../helpers/plugin.ts';
import { apiserverAlias, ensureHostsEntry, startMicrosocks, startTinyproxy, startTlsFront, type ProxyAuth, type RunningProxy } from '../helpers/proxies.ts';
import { assertFailure, assertNoSecrets, isolatedEnv, pluginEnv, plugins, run, runUntil, stackLine, type IsolatedEnv, type PluginName } from './contract.ts';

interface Fixtures {
  dir: string;
  ns: string;
  env: IsolatedEnv;
  port: number;
  caFile: string;
  token: string;
  kubectl: string;
}
let f: Fixtures;

const auth: ProxyAuth = { user: 'proxyuser', password: `proxy-pw-${Math.random().toString(36).slice(2)}` };
const secrets = () => [auth.password, Buffer.from(`${auth.user}:${auth.password}`).toString('base64'), f.token];

test.before(async () => {
  const cluster = await ensureCluster();
  ensureHostsEntry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxies-'));
  const ns = await createNamespace('proxies');
  await kubectlOk(['create', 'rolebinding', 'proxies-edit', '--clusterrole=edit', `--serviceaccount=${ns}:proxied`, '-n', ns]);
  const saKubeconfig = await serviceAccountKubeconfig(ns, 'proxied');
  const token = /token: (\S+)/.exec(fs.readFileSync(saKubeconfig, 'utf8'))![1]!;
  await kubectlOk(['create', 'configmap', 'proxy-cm', '-n', ns, '--from-literal=k=v']);
  await kubectlOk(['create', 'deployment', 'proxy-web', '--image', 'nginx', '-n', ns]);
  f = { dir, ns, env: isolatedEnv(dir), port: Number(new URL(cluster.server).port), caFile: cluster.caFile, token, kubectl: cluster.kubectl };
});

test.after.always(async () => {
  if (!f) return;
  await deleteNamespace(f.ns);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

let files = 0;
/** A kubeconfig for the test's ServiceAccount; `alias` reaches the server by its /etc/hosts name. */
function kubeconfig(options: { proxyUrl?: string; alias?: boolean }): string {
  const cluster: Record<string, unknown> = {
    server: `https://${options.alias ? apiserverAlias : '127.0.0.1'}:${f.port}`,
    'certificate-authority': f.caFile,
  };
  if (options.alias) cluster['tls-server-name'] = 'localhost';
  if (options.proxyUrl) cluster['proxy-url'] = options.proxyUrl;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user: { token: f.token } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: f.ns } }],
    'current-context': 'x',
  };
  return writeFixture(f.dir, `k${files++}.kubeconfig`, stringify(doc));
}

function argsFor(plugin: PluginName, tag: string): string[] {
  switch (plugin) {
    case 'lsres':
      return ['deploy'];
    case 'dynget':
      return ['configmaps', '-o', 'name'];
    case 'mkdeploy':
      return [`proxy-dry-${tag}`, '--image', 'nginx', '--dry-run=server'];
    case 'watchq':
      return ['deployments'];
  }
}

const expected: Record<PluginName, RegExp> = {
  lsres: /^proxy-web\s/m,
  dynget: /^configmap\/proxy-cm$/m,
  mkdeploy: /^deployment\.apps\/proxy-dry-[\w-]+ created \(server dry run\)$/m,
  watchq: /^Sync\/Add\/Update for Deployment proxy-web\b/m,
};

async function runPluginWith(plugin: PluginName, config: string, env: NodeJS.ProcessEnv, tag: string, level = 0): Promise<PluginResult> {
  const args = ['--kubeconfig', config, `-v=${level}`, ...argsFor(plugin, tag)];
  // A cold discovery cache per run: every run makes its discovery requests through the proxy too.
  const runEnv = pluginEnv(isolatedEnv(fs.mkdtempSync(path.join(f.dir, 'run-'))), env);
  if (plugin === 'watchq') return runUntil('watchq', args, { env: runEnv, until: expected.watchq, timeoutMs: 45_000 });
  return run(plugin, args, { env: runEnv, timeoutMs: 45_000 });
}

function worked(t: ExecutionContext, plugin: PluginName, r: PluginResult): void {
  t.is(r.code, ExitCode.ok, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  t.regex(r.stdout, expected[plugin]);
  t.notRegex(r.stderr, stackLine);
  assertNoSecrets(t, r, secrets());
}

type Kind = 'tinyproxy' | 'tinyproxy+auth' | 'microsocks' | 'microsocks+auth';
const start = (kind: Kind): Promise<RunningProxy> =>
  kind === 'tinyproxy' ? startTinyproxy() : kind === 'tinyproxy+auth' ? startTinyproxy(auth) : kind === 'microsocks' ? startMicrosocks() : startMicrosocks(auth);

for (const kind of ['tinyproxy', 'tinyproxy+auth', 'microsocks', 'microsocks+auth'] as const) {
  for (const plugin of plugins) {
    test(`proxy-url ${kind}: ${plugin} reaches the API server through it`, async (t) => {
      const proxy = await start(kind);
      t.teardown(() => proxy.stop());
      const r = await runPluginWith(plugin, kubeconfig({ proxyUrl: proxy.url }), {}, `url-${kind.replace('+', '-')}`, kind.endsWith('auth') ? 9 : 0);
      worked(t, plugin, r);
      t.true(proxy.targets().includes(`127.0.0.1:${f.port}`), `the proxy connected to the API server:\n${proxy.log()}`);
    });
    test(`HTTPS_PROXY ${kind}: ${plugin} reaches the API server (by a non-loopback name) through it`, async (t) => {
      const proxy = await start(kind);
      t.teardown(() => proxy.stop());
      const r = await runPluginWith(plugin, kubeconfig({ alias: true }), { HTTPS_PROXY: proxy.url, NO_PROXY: '' }, `env-${kind.replace('+', '-')}`, kind.endsWith('auth') ? 9 : 0);
      worked(t, plugin, r);
      t.true(proxy.targets().some((target) => target === `${apiserverAlias}:${f.port}` || target === `127.0.0.1:${f.port}`), `the proxy connected to the API server:\n${proxy.log()}`);
    });
  }
}

// ---- an https proxy (TLS to the proxy, CONNECT inside) ----

test('proxy-url https://: TLS to the proxy checked with the cluster CA (as Go does), CONNECT inside; kubectl agrees', async (t) => {
  const pki = pkiFiles(clusterPaths().pki);
  const proxy = await startTlsFront(await startTinyproxy(auth), { cert: pki.caCert, key: pki.caKey }, auth);
  t.teardown(() => proxy.stop());
  const config = kubeconfig({ proxyUrl: proxy.url });
  const r = await runPluginWith('lsres', config, {}, 'https-proxy', 9);
  worked(t, 'lsres', r);
  const ours = proxy.targets().length;
  t.true(ours > 0, `through the proxy:\n${proxy.log()}`);
  const theirs = await kubectlWith(config, {}, ['get', 'deploy', '-o', 'name']);
  t.is(theirs.code, 0, theirs.stderr);
  t.true(proxy.targets().length > ours, 'kubectl went through it too');
});

test('proxy-url https:// whose certificate the cluster CA did not sign: exit 5, one line', async (t) => {
  const other = await createCa(f.dir, `other-proxy-ca-${Date.now()}`);
  const proxy = await startTlsFront(await startTinyproxy(), other);
  t.teardown(() => proxy.stop());
  const r = await runPluginWith('lsres', kubeconfig({ proxyUrl: proxy.url }), {}, 'https-proxy-bad');
  oneLine(t, r, /x509: certificate signed by unknown authority \(through proxy https:\/\/127\.0\.0\.1:\d+\/? from proxy-url\)$/);
  t.is(proxy.targets().length, 0);
});

// ---- bypassing, and kubectl in the same setups ----

interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectlWith(config: string, env: NodeJS.ProcessEnv, args: string[]): Promise<KubectlRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(f.kubectl, ['--kubeconfig', config, ...args], { env: pluginEnv(isolatedEnv(fs.mkdtempSync(path.join(f.dir, 'kubectl-'))), env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const setups: Array<{ name: string; alias: boolean; noProxy: string; proxied: boolean }> = [
  { name: 'HTTPS_PROXY with a loopback server: direct (Go never proxies loopback from the environment)', alias: false, noProxy: '', proxied: false },
  { name: 'HTTPS_PROXY with the server by name: through the proxy', alias: true, noProxy: '', proxied: true },
  { name: 'NO_PROXY=<the name>: direct', alias: true, noProxy: apiserverAlias, proxied: false },
  { name: 'NO_PROXY=.test (a domain): direct', alias: true, noProxy: 'example.com,.test', proxied: false },
  { name: `NO_PROXY=<the name>:<another port>: through the proxy`, alias: true, noProxy: `${apiserverAlias}:1`, proxied: true },
  { name: 'NO_PROXY=*: direct', alias: true, noProxy: '*', proxied: false },
];
for (const setup of setups) {
  test(`${setup.name}; kubectl agrees`, async (t) => {
    const proxy = await startTinyproxy();
    t.teardown(() => proxy.stop());
    const config = kubeconfig({ alias: setup.alias });
    const env = { HTTPS_PROXY: proxy.url, NO_PROXY: setup.noProxy };
    const ours = await runPluginWith('lsres', config, env, 'setup');
    worked(t, 'lsres', ours);
    const ourTargets = proxy.targets().length;
    t.is(ourTargets > 0, setup.proxied, `lsres: proxied=${ourTargets > 0}\n${proxy.log()}`);
    const theirs = await kubectlWith(config, env, ['get', 'deploy', '-o', 'name']);
    t.is(theirs.code, 0, theirs.stderr);
    t.is(theirs.stdout.trim(), 'deployment.apps/proxy-web');
    t.is(proxy.targets().length > ourTargets, setup.proxied, `kubectl: proxied=${proxy.targets().length > ourTargets}\n${proxy.log()}`);
  });
}

test('proxy-url applies to a loopback server, NO_PROXY does not bypass it; kubectl agrees', async (t) => {
  const proxy = await startMicrosocks();
  t.teardown(() => proxy.stop());
  const config = kubeconfig({ proxyUrl: proxy.url });
  worked(t, 'lsres', await runPluginWith('lsres', config, { NO_PROXY: '*' }, 'url-noproxy'));
  const ours = proxy.targets().length;
  t.true(ours > 0);
  const theirs = await kubectlWith(config, { NO_PROXY: '*' }, ['get', 'deploy', '-o', 'name']);
  t.is(theirs.code, 0, theirs.stderr);
  t.true(proxy.targets().length > ours);
});

// ---- failures ----

const oneLine = (t: ExecutionContext, r: PluginResult, error: RegExp) => assertFailure(t, r, { code: ExitCode.config, error }, secrets());

for (const plugin of ['lsres', 'watchq'] as const) {
  test(`a proxy-url nothing listens on: ${plugin} exit 5, one line naming the proxy`, async (t) => {
    const port = await freePort();
    const r = await runPluginWith(plugin, kubeconfig({ proxyUrl: `http://${auth.user}:${auth.password}@127.0.0.1:${port}` }), {}, 'dead');
    oneLine(t, r, new RegExp(`^unable to connect to the server https://127\\.0\\.0\\.1:${f.port}: connection refused \\(through proxy http://proxyuser:xxxxx@127\\.0\\.0\\.1:${port}/? from proxy-url\\)$`));
  });
}

test('an HTTPS_PROXY nothing listens on: exit 5, one line', async (t) => {
  const port = await freePort();
  const r = await runPluginWith('dynget', kubeconfig({ alias: true }), { HTTPS_PROXY: `127.0.0.1:${port}` }, 'dead-env');
  oneLine(t, r, /: connection refused \(through proxy http:\/\/127\.0\.0\.1:\d+\/? from HTTPS_PROXY\)$/);
});

test('a dead HTTPS_PROXY is not used for a name in NO_PROXY', async (t) => {
  const port = await freePort();
  worked(t, 'lsres', await runPluginWith('lsres', kubeconfig({ alias: true }), { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: apiserverAlias }, 'dead-bypassed'));
});

test('tinyproxy wants credentials and gets none: exit 5, one line with the 407, and a hint', async (t) => {
  const proxy = await startTinyproxy(auth);
  t.teardown(() => proxy.stop());
  const r = await runPluginWith('lsres', kubeconfig({ proxyUrl: `http://127.0.0.1:${proxy.port}` }), {}, 'no-creds');
  oneLine(t, r, /refused the connection: 407 Proxy Authentication Required$/);
  t.regex(r.stderr, /^hint: the proxy wants credentials/m);
});

test('tinyproxy gets the wrong password: exit 5, and neither password shows at -v=9', async (t) => {
  const proxy = await startTinyproxy(auth);
  t.teardown(() => proxy.stop());
  const wrong = `wrong-${auth.password}`;
  const r = await runPluginWith('mkdeploy', kubeconfig({ proxyUrl: `http://${auth.user}:${wrong}@127.0.0.1:${proxy.port}` }), {}, 'wrong-pw', 9);
  const withoutLog = { ...r, stderr: r.stderr.split('\n').filter((l) => !/^I\d{4} /.test(l)).join('\n') };
  oneLine(t, withoutLog, /proxy http:\/\/proxyuser:xxxxx@127\.0\.0\.1:\d+\/? \(proxy-url\) refused the connection: 40[17] /);
  assertNoSecrets(t, r, [wrong, Buffer.from(`${auth.user}:${wrong}`).toString('base64')]);
});

test('microsocks with auth and no credentials: exit 5, one line', async (t) => {
  const proxy = await startMicrosocks(auth);
  t.teardown(() => proxy.stop());
  const r = await runPluginWith('lsres', kubeconfig({ proxyUrl: `socks5://127.0.0.1:${proxy.port}` }), {}, 'socks-no-creds');
  oneLine(t, r, new RegExp(`^unable to connect to the server https://127\\.0\\.0\\.1:${f.port}: .+ \\(through proxy socks5://127\\.0\\.0\\.1:${proxy.port}/? from proxy-url\\)$`));
});

test('a proxy-url of another scheme: exit 5 before any request', async (t) => {
  const r = await runPluginWith('lsres', kubeconfig({ proxyUrl: `ftp://${auth.user}:${auth.password}@127.0.0.1:21` }), {}, 'ftp');
  oneLine(t, r, /^invalid 'proxy-url' "ftp:\/\/proxyuser:xxxxx@127\.0\.0\.1:21" for cluster "c": unsupported scheme "ftp", must be http, https, or socks5$/);
});
