/**
 * Hostile files and environments (issues 20, 25), against the built executables: special files and
 * deep nesting in `mkdeploy -f`, the runtime's environment variables and configuration files, a
 * password in the server URL.
 * Each case was reproduced against the executables before the fix (noted per test).
 */
import test from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCluster, kubectlOk } from '../helpers/cluster.ts';
import { writeKubeconfig } from '../helpers/kubeconfigs.ts';
import { pluginPath, runPlugin, type PluginResult } from '../helpers/plugin.ts';
import { assertFailure, assertNoSecrets } from './contract.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-input-'));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'], HOME: dir, NO_COLOR: '1', ...extra });
const mkdeploy = (args: string[], extra?: NodeJS.ProcessEnv, input?: string): Promise<PluginResult> =>
  runPlugin('mkdeploy', [...args, '--dry-run=client', '-o', 'json'], { env: env(extra), timeoutMs: 30_000, ...(input === undefined ? {} : { input }) });

// Before: RSS grew to 23.8 GB reading /dev/zero (statSync says 0 bytes) until the kernel killed it.
test('-f /dev/zero: refused at once, not read', async (t) => {
  const r = await mkdeploy(['-f', '/dev/zero']);
  assertFailure(t, r, { code: 2, error: /^\/dev\/zero: a character device, not a regular file/ });
  t.true(r.ms < 10_000, `${r.ms} ms`);
});

// Before: blocked in a synchronous open() for as long as no writer came (9 minutes), deaf to SIGTERM.
test('-f a FIFO, and a directory holding one: refused at once', async (t) => {
  const fifoDir = path.join(dir, 'with-fifo');
  fs.mkdirSync(fifoDir);
  fs.writeFileSync(path.join(fifoDir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
  execFileSync('mkfifo', [path.join(fifoDir, 'b.yaml')]);
  const one = await mkdeploy(['-f', path.join(fifoDir, 'b.yaml')]);
  assertFailure(t, one, { code: 2, error: /b\.yaml: a FIFO, not a regular file/ });
  const all = await mkdeploy(['-f', fifoDir]);
  assertFailure(t, all, { code: 2, error: /b\.yaml: a FIFO, not a regular file/ });
  t.true(one.ms < 10_000 && all.ms < 10_000, `${one.ms} ms, ${all.ms} ms`);
});

test('-f a file that says it is empty but is not (/proc): read through the capped stream', async (t) => {
  // /proc/self/status reports size 0; it is read (and is no manifest).
  const r = await mkdeploy(['-f', '/proc/self/status']);
  assertFailure(t, r, { code: 2, error: /^\/proc\/self\/status: / });
});

// Before: 4 MiB of `[` took the YAML parser 13 s and 3.8 GB.
test('4 MiB of [ in a YAML manifest: exit 2 at once, naming the limit', async (t) => {
  const file = path.join(dir, 'deep.yaml');
  fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  a: ${'['.repeat(4 << 20)}\n`);
  const r = await mkdeploy(['-f', file]);
  assertFailure(t, r, { code: 2, error: /deep\.yaml: line 5: nested more than 500 levels deep/ });
  t.true(r.ms < 10_000, `${r.ms} ms`);
});

// Before: the JSON parsed, then `-o json` failed with "Maximum call stack size exceeded", reported as a bug (exit 1).
test('deep JSON on stdin: exit 2 before parsing', async (t) => {
  const deep = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
  const r = await mkdeploy(['-f', '-'], {}, deep);
  assertFailure(t, r, { code: 2, error: /^<stdin>: line 1: nested more than 500 levels deep/ });
});

// The runtime's own hooks (README, Security): each row changed what the executable did before
// (scripts/sea/harden-runtime.ts, shared/cli/runtime-environment.ts): a preload ran before our
// code, BUN_BE_BUN made it the bun CLI, BUN_INSPECT with ?wait=1 blocked it waiting for a
// debugger, a bad synthetic memory limit panicked it. Now each changes nothing.
const marker = path.join(dir, 'preload-ran');
const evil = path.join(dir, 'evil.cjs');
fs.writeFileSync(evil, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')\n`);
const hooks: Array<[string, NodeJS.ProcessEnv]> = [
  ['NODE_OPTIONS --require, --tls-min-v1.0', { NODE_OPTIONS: `--require ${evil} --tls-min-v1.0` }],
  ['BUN_OPTIONS --preload', { BUN_OPTIONS: `--preload ${evil}` }],
  ['BUN_OPTIONS -r, --import, --cwd, --inspect-wait', { BUN_OPTIONS: `-r ${evil} --import ${evil} --cwd /nonexistent --inspect-wait=127.0.0.1:9` }],
  ['BUN_BE_BUN', { BUN_BE_BUN: '1' }],
  ['BUN_INSPECT (waiting for a debugger)', { BUN_INSPECT: 'ws://127.0.0.1:9/x?wait=1' }],
  ['BUN_INSPECT_PRELOAD', { BUN_INSPECT_PRELOAD: evil }],
  ['BUN_GARBAGE_COLLECTOR_LEVEL, BUN_FEATURE_FLAG_SYNTHETIC_MEMORY_LIMIT', { BUN_GARBAGE_COLLECTOR_LEVEL: '2', BUN_FEATURE_FLAG_SYNTHETIC_MEMORY_LIMIT: 'not-a-size' }],
  ['BUN_FEATURE_FLAG_DISABLE_IPV4', { BUN_FEATURE_FLAG_DISABLE_IPV4: '1' }],
];
for (const [name, extra] of hooks) {
  test.serial(`${name}: changes nothing, runs nothing`, async (t) => {
    fs.rmSync(marker, { force: true });
    const r = await runPlugin('lsres', ['--help'], { env: env(extra), timeoutMs: 20_000 });
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /^List pods, deployments and services/);
    t.is(r.stderr, '');
    t.false(fs.existsSync(marker), 'the preloaded script ran');
  });
}

test('BUN_INSPECT_CONNECT_TO: no connection is made to it', async (t) => {
  const server = net.createServer();
  let connections = 0;
  server.on('connection', (socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  const r = await runPlugin('lsres', ['--help'], { env: env({ BUN_INSPECT_CONNECT_TO: `ws://127.0.0.1:${port}/x` }), timeoutMs: 20_000 });
  t.is(r.code, 0, r.stderr);
  t.is(connections, 0);
});

test('BUN_JSC_* (JavaScriptCore options): exit 5 in one line, before any kubeconfig is read', async (t) => {
  const r = await runPlugin('lsres', ['pods', '--kubeconfig', path.join(dir, 'never-read')], { env: env({ BUN_JSC_useJIT: '0' }) });
  assertFailure(t, r, { code: 5, error: /^BUN_JSC_useJIT would change how the JavaScript engine runs this plugin \(JavaScriptCore's options\): unset it$/ });
});

test('BUN_CONFIG_VERBOSE_FETCH=curl prints no request, no token', async (t) => {
  const { server, caFile } = await ensureCluster();
  const token = (await kubectlOk(['create', 'token', 'default', '-n', 'default', '--duration=10m'])).trim();
  const file = writeKubeconfig(dir, 'verbose-fetch.kubeconfig', { server, caFile, user: { token } });
  // The default ServiceAccount may not list pods: the request is made (with the token), refused, explained.
  const r = await runPlugin('lsres', ['--kubeconfig', file, 'pods', '-n', 'default'], { env: env({ BUN_CONFIG_VERBOSE_FETCH: 'curl' }) });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /^error: pods is forbidden/);
  t.notRegex(r.stderr, /curl|https:\/\/|Bearer/);
  assertNoSecrets(t, r, [token, 'Authorization']);
});

test('.env, bunfig.toml, tsconfig.json and package.json in the working directory are not read', async (t) => {
  const cwd = path.join(dir, 'runtime-config');
  fs.mkdirSync(cwd, { recursive: true });
  // Loaded, .env's NODE_DEBUG would make the plugin refuse (exit 5); bunfig.toml would preload.
  fs.writeFileSync(path.join(cwd, '.env'), 'NODE_DEBUG=http\nBUN_JSC_useJIT=0\n');
  fs.writeFileSync(path.join(cwd, '.env.local'), 'NODE_DEBUG=http\n');
  fs.writeFileSync(path.join(cwd, 'bunfig.toml'), `preload = [${JSON.stringify(evil)}]\n[run]\nsilent = true\n`);
  fs.writeFileSync(path.join(cwd, 'tsconfig.json'), '{"compilerOptions": {"paths": {"*": ["./nowhere/*"]}}}');
  fs.writeFileSync(path.join(cwd, 'package.json'), '{"type": "module", "imports": {"#x": "./nowhere.js"}}');
  fs.rmSync(marker, { force: true });
  const r = await runPlugin('lsres', ['--help'], { env: env(), cwd });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^List pods/);
  t.false(fs.existsSync(marker), 'bunfig.toml\'s preload ran');
});

// Before: NODE_DEBUG=https printed `Authorization: Bearer …` and the client's private key.
test('NODE_DEBUG for the network modules: exit 5 in one line before any request, nothing leaked', async (t) => {
  const { kubeconfig } = await ensureCluster();
  const token = (await kubectlOk(['create', 'token', 'default', '-n', 'default', '--duration=10m'])).trim();
  const { server, caFile } = await ensureCluster();
  const file = writeKubeconfig(dir, 'token.kubeconfig', { server, caFile, user: { token } });
  for (const value of ['https', 'http,tls', 'net']) {
    const r = await runPlugin('lsres', ['--kubeconfig', file, 'pods', '-n', 'default'], { env: env({ NODE_DEBUG: value }) });
    assertFailure(t, r, { code: 5, error: new RegExp(`^NODE_DEBUG=${value} would make Node print credentials`) }, [token]);
  }
  // `*` also turns on Node's module loader log, printed before any of our code runs: still refused, still no secret.
  const all = await runPlugin('lsres', ['--kubeconfig', file, 'pods', '-n', 'default'], { env: env({ NODE_DEBUG: '*' }) });
  t.is(all.code, 5);
  t.regex(all.stderr, /^error: NODE_DEBUG=\* would make Node print credentials/m);
  assertNoSecrets(t, all, [token, 'Authorization', 'PRIVATE KEY']);
  // Sections that print nothing of ours are left alone.
  const ok = await runPlugin('lsres', ['--kubeconfig', kubeconfig, 'pods', '-n', 'default'], { env: env({ NODE_DEBUG: 'module' }) });
  t.is(ok.code, 0, ok.stderr);
});

// Before: verification held, but Node warned that the variable "makes TLS connections insecure".
test('NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored: verification stays on, no warning about it', async (t) => {
  const { server } = await ensureCluster();
  const wrongCa = path.join(dir, 'wrong-ca.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=wrong', '-days', '1', '-keyout', path.join(dir, 'wrong.key'), '-out', wrongCa], { stdio: 'ignore' });
  const file = writeKubeconfig(dir, 'wrong-ca.kubeconfig', { server, caFile: wrongCa, user: { token: 'x' } });
  const r = await runPlugin('lsres', ['--kubeconfig', file, 'pods'], { env: env({ NODE_TLS_REJECT_UNAUTHORIZED: '0' }) });
  assertFailure(t, r, { code: 5, error: /x509: certificate signed by unknown authority/ });
});

// Before: `unable to connect to the server https://bob:URLPASS@127.0.0.1:1: …`
test('a password in the server URL is shown as bob:*** (as kubectl shows it)', async (t) => {
  const file = writeKubeconfig(dir, 'url-password.kubeconfig', { server: 'https://bob:URLPASS@127.0.0.1:1', user: { token: 'x' } });
  for (const plugin of ['lsres', 'dynget', 'mkdeploy', 'watchq'] as const) {
    const args = plugin === 'dynget' ? ['pods'] : plugin === 'mkdeploy' ? ['web', '--image', 'nginx'] : [];
    const r = await runPlugin(plugin, ['--kubeconfig', file, ...args], { env: env(), timeoutMs: 30_000 });
    assertFailure(t, r, { code: 5, error: /^unable to connect to the server https:\/\/bob:\*\*\*@127\.0\.0\.1:1/ }, ['URLPASS']);
    assertNoSecrets(t, r, ['URLPASS']);
  }
});

test('an invalid server URL is named without its password', async (t) => {
  const file = writeKubeconfig(dir, 'bad-url-password.kubeconfig', { server: 'https://bob:URLPASS@host:99999', user: { token: 'x' } });
  const r = await runPlugin('lsres', ['--kubeconfig', file, 'pods'], { env: env() });
  assertFailure(t, r, { code: 5, error: /^invalid server URL "https:\/\/bob:\*\*\*@host:99999"/ }, ['URLPASS']);
});

// kubectl: "specifying a root certificates file with the insecure flag is not allowed" (the check
// is shared/kube/kubeconfig-validation.ts, validateCluster).
test('a cluster with both a CA and insecure-skip-tls-verify is refused, as kubectl refuses it', async (t) => {
  const { server, caFile } = await ensureCluster();
  const file = writeKubeconfig(dir, 'half-trust.kubeconfig', { server, caFile, insecureSkipTlsVerify: true, user: { token: 'x' } });
  const r = await runPlugin('lsres', ['--kubeconfig', file, 'pods'], { env: env() });
  assertFailure(t, r, { code: 5, error: /root certificates file with the insecure flag is not allowed/ });
});

// Before: the installer wrote through the link and overwrote the file it pointed to.
test('completion --install-kubectl-shim refuses a symlink in the shim\'s place; writes the shim when the place is free', async (t) => {
  const bin = path.join(dir, 'shim-bin');
  fs.mkdirSync(bin, { mode: 0o755 });
  const link = path.join(bin, 'kubectl-lsres');
  fs.symlinkSync(pluginPath('lsres'), link);
  const victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'precious\n');
  const shim = path.join(bin, 'kubectl_complete-lsres');
  fs.symlinkSync(victim, shim);
  const install = () =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(link, ['completion', '--install-kubectl-shim'], { env: env() }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }));
    });
  const refused = await install();
  t.is(refused.code, 2, refused.stderr);
  t.regex(refused.stderr, /^error: refusing to replace .*kubectl_complete-lsres: it is a symbolic link\n/);
  t.is(fs.readFileSync(victim, 'utf8'), 'precious\n');
  fs.rmSync(shim);
  const written = await install();
  t.is(written.code, 0, written.stderr);
  t.is(fs.statSync(shim).mode & 0o777, 0o755);
  t.regex(fs.readFileSync(shim, 'utf8'), /exec kubectl-lsres __complete "\$@"/);
  t.is((await install()).code, 0, 'its own shim is replaced');
});
