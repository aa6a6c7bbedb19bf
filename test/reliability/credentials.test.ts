/**
 * Credentials never leak (issue 10): every plugin, at -v 0, 6, 7, 8 and 9, with a real
 * ServiceAccount token, the admin client certificate, an exec credential plugin, a token file,
 * the --token flag and a password. Whatever the run prints, the secret is not in it; at -v ≥ 7
 * the request headers show `Authorization: Bearer <masked>`, as kubectl logs them. The exec
 * plugin's stdout (which holds its token) is never relayed, even when it fails; its stderr is
 * passed through, as kubectl passes it (prompts and messages are meant for the user).
 *
 * TLS: the server is verified unless insecure-skip-tls-verify is set (in the kubeconfig or as a
 * flag), and then the plugin says so in one warning line.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { pkiFiles } from '../../scripts/cluster/pki.ts';
import { ExitCode } from '../../shared/errors.ts';
import { insecureWarning } from '../../shared/cli/factory.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk, serviceAccountKubeconfig } from '../helpers/cluster.ts';
import { createCa, writeFixture, writeKubeconfig } from '../helpers/kubeconfigs.ts';
import type { PluginResult } from '../helpers/plugin.ts';
import { assertFailure, assertNoSecrets, isolatedEnv, pluginEnv, plugins, run, runUntil, stackLine, type IsolatedEnv, type PluginName } from './contract.ts';

interface Fixtures {
  dir: string;
  ns: string;
  env: IsolatedEnv;
  kubeconfigs: Record<'token' | 'cert' | 'execOk' | 'execFails' | 'execGarbage' | 'tokenFile' | 'noUser' | 'password' | 'noCa' | 'wrongCa' | 'insecure', string>;
  /** The token given on the command line (--token). */
  flagToken: string;
  /** Every value that must never be printed. */
  secrets: string[];
}

let f: Fixtures;

/** What each plugin does in these runs: read, or create on the server's dry run (nothing stored). */
function argsFor(plugin: PluginName, ns: string, tag: string): string[] {
  switch (plugin) {
    case 'lsres':
      return ['-n', ns];
    case 'dynget':
      return ['configmaps', 'creds-cm', '-n', ns, '-o', 'yaml'];
    case 'mkdeploy':
      return [`creds-dry-${tag}`, '--image', 'nginx', '--dry-run=server', '-n', ns];
    case 'watchq':
      return ['deployments', '-n', ns];
  }
}

/** Runs a plugin; watchq until it has handled the seeded Deployment, then Ctrl-C. */
async function runWith(plugin: PluginName, kubeconfig: string, level: number, extra: string[] = [], tag = `${level}`, coldCache = false): Promise<PluginResult> {
  const args = ['--kubeconfig', kubeconfig, `-v=${level}`, ...extra, ...argsFor(plugin, f.ns, tag)];
  const env = pluginEnv(coldCache ? isolatedEnv(fs.mkdtempSync(path.join(f.dir, 'cold-'))) : f.env);
  if (plugin === 'watchq') return runUntil('watchq', args, { env, until: /Sync\/Add\/Update for Deployment creds-web\b/, timeoutMs: 45_000 });
  return run(plugin, args, { env, timeoutMs: 45_000 });
}

const maskedBearer = /^I\d{4} [\d:.]+\s+\d+ round_trippers\]\s+Authorization: Bearer <masked>$/m;

/** A run that worked: exit 0, its data printed, no secret, no stack, the headers as `level` logs them. */
function assertWorked(t: ExecutionContext, plugin: PluginName, r: PluginResult, level: number, bearer: boolean): void {
  const shown = `exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 2000)}--- stderr\n${r.stderr.slice(0, 4000)}`;
  t.is(r.code, ExitCode.ok, shown);
  t.notRegex(r.stderr, stackLine);
  t.false(r.stderr.includes(insecureWarning), 'no TLS warning when the server is verified');
  assertNoSecrets(t, r, f.secrets);
  const expected: Record<PluginName, RegExp> = {
    lsres: /^deployment\.apps\/creds-web\s/m,
    dynget: /^ {2}k: v$/m,
    mkdeploy: /^deployment\.apps\/creds-dry-[\w-]+ created \(server dry run\)$/m,
    watchq: /^Sync\/Add\/Update for Deployment creds-web\b/m,
  };
  t.regex(r.stdout, expected[plugin], shown);
  if (level >= 6) t.regex(r.stderr, / \d{3} [A-Za-z ]+ in \d+ milliseconds$/m, 'requests are logged at -v ≥ 6');
  else t.notRegex(r.stderr, /round_trippers/, 'no request log below -v 6');
  if (level >= 7 && bearer) t.regex(r.stderr, maskedBearer, 'the Authorization header is logged masked');
  if (level < 7) t.notRegex(r.stderr, /Authorization/, 'no headers below -v 7');
}

test.before(async () => {
  const cluster = await ensureCluster();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-credentials-'));
  const ns = await createNamespace('reliability-creds');
  const pki = pkiFiles(clusterPaths().pki);

  // A ServiceAccount that may edit the namespace, so requests succeed and carry its token.
  await kubectlOk(['create', 'rolebinding', 'creds-edit', '--clusterrole=edit', `--serviceaccount=${ns}:creds-editor`, '-n', ns]);
  const tokenKubeconfig = await serviceAccountKubeconfig(ns, 'creds-editor');
  const token = (parseYaml(fs.readFileSync(tokenKubeconfig, 'utf8')) as { users: Array<{ user: { token: string } }> }).users[0]!.user.token;
  const [execToken, fileToken, flagToken] = await Promise.all(
    [1, 2, 3].map(async () => (await kubectlOk(['create', 'token', 'creds-editor', '-n', ns, '--duration=1h'])).trim()),
  );
  await kubectlOk(['create', 'configmap', 'creds-cm', '-n', ns, '--from-literal=k=v']);
  await kubectlOk(['create', 'deployment', 'creds-web', '--image', 'nginx', '-n', ns]);

  // The admin kubeconfig embeds the client key: its PEM body and the base64 of the file must not show.
  const keyPem = fs.readFileSync(pki.adminKey, 'utf8');
  const keyBody = keyPem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  const keyData = (parseYaml(fs.readFileSync(cluster.kubeconfig, 'utf8')) as { users: Array<{ user: Record<string, string> }> }).users[0]!.user['client-key-data']!;
  const password = `creds-password-${Math.random().toString(36).slice(2)}`;

  // Exec credential plugins: each says something on stderr (passed through) and prints its token on stdout.
  const execCredential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: execToken } });
  const script = (name: string, body: string) => writeFixture(dir, name, `#!/bin/sh\n${body}\n`, 0o700);
  const execOk = script('exec-ok.sh', `echo "exec plugin says: issued a token" >&2\nprintf '%s' '${execCredential}'`);
  const execFails = script('exec-fails.sh', `echo "exec plugin says: cannot refresh" >&2\necho "stdout ${execToken}"\nexit 1`);
  const execGarbage = script('exec-garbage.sh', `echo "exec plugin says: here you go"  >&2\necho "token=${execToken} (not JSON)"`);
  const exec = (command: string) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' } });
  const real = { server: cluster.server, caFile: cluster.caFile, namespace: ns };
  const otherCa = await createCa(dir, 'other-ca');
  const tokenFile = writeFixture(dir, 'token', `${fileToken}\n`);

  f = {
    dir,
    ns,
    env: isolatedEnv(dir),
    kubeconfigs: {
      token: tokenKubeconfig,
      cert: cluster.kubeconfig,
      execOk: writeKubeconfig(dir, 'exec-ok.kubeconfig', { ...real, user: exec(execOk) }),
      execFails: writeKubeconfig(dir, 'exec-fails.kubeconfig', { ...real, user: exec(execFails) }),
      execGarbage: writeKubeconfig(dir, 'exec-garbage.kubeconfig', { ...real, user: exec(execGarbage) }),
      tokenFile: writeKubeconfig(dir, 'token-file.kubeconfig', { ...real, user: { tokenFile } }),
      noUser: writeKubeconfig(dir, 'no-user.kubeconfig', { ...real, user: {} }),
      password: writeKubeconfig(dir, 'password.kubeconfig', { ...real, user: { username: 'admin', password } }),
      noCa: writeKubeconfig(dir, 'no-ca.kubeconfig', { server: cluster.server, namespace: ns, user: { token } }),
      wrongCa: writeKubeconfig(dir, 'wrong-ca.kubeconfig', { ...real, caFile: otherCa.cert, user: { token } }),
      insecure: writeKubeconfig(dir, 'insecure.kubeconfig', { server: cluster.server, insecureSkipTlsVerify: true, namespace: ns, user: { token } }),
    },
    flagToken,
    secrets: [token, execToken, fileToken, flagToken, password, Buffer.from(`admin:${password}`).toString('base64'), keyData, keyData.slice(0, 40), ...keyBody],
  };
});

test.after.always(async () => {
  if (!f) return;
  await deleteNamespace(f.ns);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

// ---- a real ServiceAccount token, every plugin, every level ----
for (const plugin of plugins) {
  // -v=7 is where headers start; it is the same code for every plugin, so lsres alone shows it.
  for (const level of plugin === 'lsres' ? [0, 6, 7, 8, 9] : [0, 6, 8, 9]) {
    test(`token: ${plugin} -v=${level} never prints the token; Authorization is masked`, async (t) => {
      const r = await runWith(plugin, f.kubeconfigs.token, level, [], `token-${level}`);
      assertWorked(t, plugin, r, level, true);
    });
  }
}

// ---- the admin client certificate: the private key never shows ----
for (const plugin of plugins) {
  for (const level of [0, 9]) {
    test(`client certificate: ${plugin} -v=${level} never prints the private key`, async (t) => {
      const r = await runWith(plugin, f.kubeconfigs.cert, level, [], `cert-${level}`);
      assertWorked(t, plugin, r, level, false);
    });
  }
}

// ---- exec credential plugins ----
for (const plugin of plugins) {
  test(`exec plugin: ${plugin} -v=9 uses its token, never prints it, and passes the plugin's stderr through`, async (t) => {
    const r = await runWith(plugin, f.kubeconfigs.execOk, 9, [], 'exec');
    assertWorked(t, plugin, r, 9, true);
    t.regex(r.stderr, /^exec plugin says: issued a token$/m, "the exec plugin's stderr reaches ours");
  });
  test(`exec plugin fails: ${plugin} -v=9 exits 5 with one error line, without its stdout`, async (t) => {
    const r = await runWith(plugin, f.kubeconfigs.execFails, 9, [], 'exec-fails', plugin === 'watchq');
    t.regex(r.stderr, /^exec plugin says: cannot refresh$/m, "the exec plugin's stderr reaches ours");
    assertFailure(t, withoutLogAndPlugin(r), { code: ExitCode.config, error: /^getting credentials for user "test": exec: executable \S+exec-fails\.sh failed with exit code 1$/ }, f.secrets);
    t.false(r.stderr.includes('stdout '), "the exec plugin's stdout is not relayed");
  });
}

/** stderr without the -v request log and the exec plugin's own lines (passed through). */
function withoutLogAndPlugin(r: PluginResult): PluginResult {
  return { ...r, stderr: r.stderr.split('\n').filter((l) => !/^I\d{4} /.test(l) && !l.startsWith('exec plugin says')).join('\n') };
}

test('exec plugin prints something other than an ExecCredential: exit 5, nothing of its stdout relayed', async (t) => {
  const r = await runWith('lsres', f.kubeconfigs.execGarbage, 9);
  assertFailure(t, withoutLogAndPlugin(r), { code: ExitCode.config, error: /^getting credentials for user "test": decoding stdout: the plugin did not print JSON \(\d+ bytes\)$/ }, f.secrets);
  t.false(r.stderr.includes('token='));
});

// ---- other ways to hold a secret ----
test('token file: -v=9 never prints the token read from the file', async (t) => {
  const r = await runWith('lsres', f.kubeconfigs.tokenFile, 9);
  assertWorked(t, 'lsres', r, 9, true);
});

test('--token flag: -v=9 never prints it', async (t) => {
  const r = await runWith('dynget', f.kubeconfigs.noUser, 9, ['--token', f.flagToken]);
  assertWorked(t, 'dynget', r, 9, true);
});

test('password: -v=9 masks Basic auth and never prints the password (the server has no basic auth: 403 as anonymous)', async (t) => {
  const r = await runWith('dynget', f.kubeconfigs.password, 9);
  t.is(r.code, ExitCode.denied, r.stderr);
  t.regex(r.stderr, /round_trippers\]\s+Authorization: Basic <masked>$/m);
  t.regex(r.stderr, /^error: configmaps "creds-cm" is forbidden: User "system:anonymous"/m);
  t.notRegex(r.stderr, stackLine);
  t.is(r.stdout, '');
  assertNoSecrets(t, r, f.secrets);
});

// ---- TLS verification ----
test('TLS: a kubeconfig with no CA fails verification (exit 5), no warning', async (t) => {
  const r = await runWith('lsres', f.kubeconfigs.noCa, 0);
  assertFailure(t, r, { code: ExitCode.config, error: /x509: certificate signed by unknown authority$/ }, f.secrets);
  t.false(r.stderr.includes('warning:'));
});

test('TLS: a CA that did not sign the server certificate fails verification (exit 5)', async (t) => {
  const r = await runWith('dynget', f.kubeconfigs.wrongCa, 0);
  assertFailure(t, r, { code: ExitCode.config, error: /x509: certificate signed by unknown authority$/ }, f.secrets);
});

/** Exactly one warning line, and it is the one about TLS. */
function assertOneTlsWarning(t: ExecutionContext, r: PluginResult): void {
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
  t.deepEqual(warnings, [insecureWarning], r.stderr);
}

for (const plugin of ['lsres', 'watchq'] as const) {
  test(`TLS: insecure-skip-tls-verify in the kubeconfig works for ${plugin} and warns once`, async (t) => {
    const r = await runWith(plugin, f.kubeconfigs.insecure, 0, [], 'insecure');
    t.is(r.code, ExitCode.ok, r.stderr);
    assertOneTlsWarning(t, r);
    assertNoSecrets(t, r, f.secrets);
  });
}

test('TLS: --insecure-skip-tls-verify makes a kubeconfig with no CA work, and warns once', async (t) => {
  const r = await runWith('lsres', f.kubeconfigs.noCa, 0, ['--insecure-skip-tls-verify']);
  t.is(r.code, ExitCode.ok, r.stderr);
  t.regex(r.stdout, /deployment\.apps\/creds-web/);
  assertOneTlsWarning(t, r);
});

test('TLS: --insecure-skip-tls-verify also overrides a wrong CA, and warns once', async (t) => {
  const r = await runWith('mkdeploy', f.kubeconfigs.wrongCa, 0, ['--insecure-skip-tls-verify'], 'flag-wrong-ca');
  t.is(r.code, ExitCode.ok, r.stderr);
  assertOneTlsWarning(t, r);
});
