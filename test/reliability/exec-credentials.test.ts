/**
 * Exec credential plugins against the real local cluster (issue 14). The plugins are shell
 * scripts written here; the token one mints a real ServiceAccount token through the TokenRequest
 * API each time it runs (bound to a Secret of its own, so deleting that Secret revokes it) and
 * claims an expirationTimestamp a few seconds ahead. Each run is appended to a log, so the tests
 * count runs.
 *
 * - lsres: one run for all its concurrent requests; a client-certificate result;
 * - watchq across several expiries and a token revoked early (answered 401, renewed once), with
 *   every event delivered (connections are cut through a TCP proxy so new requests are made);
 * - each failure (missing with its installHint, non-zero exit, not JSON, wrong apiVersion,
 *   timeout) is one `error:` line and exit 5, and the plugin's stdout never shows;
 * - commands by PATH, and relative to the kubeconfig that names them.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { pkiFiles } from '../../scripts/cluster/pki.ts';
import { ExitCode } from '../../shared/errors.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { issueClientCertificate, writeFixture } from '../helpers/kubeconfigs.ts';
import { startMicrosocks } from '../helpers/proxies.ts';
import { TcpProxy } from '../plugins/watchq/tcp-proxy.ts';
import { WatchqProcess } from '../plugins/watchq/watchq-process.ts';
import { assertFailure, assertNoSecrets, isolatedEnv, pluginEnv, run, type IsolatedEnv } from './contract.ts';

const v1 = 'client.authentication.k8s.io/v1';

interface Fixtures {
  dir: string;
  ns: string;
  env: IsolatedEnv;
  server: string;
  caFile: string;
  kubectl: string;
  admin: string;
  mint: string;
}
let f: Fixtures;

test.before(async () => {
  const cluster = await ensureCluster();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-credentials-'));
  const ns = await createNamespace('exec-creds');
  await kubectlOk(['create', 'serviceaccount', 'exec-user', '-n', ns]);
  await kubectlOk(['create', 'rolebinding', 'exec-edit', '--clusterrole=edit', `--serviceaccount=${ns}:exec-user`, '--user=exec-cert-user', '-n', ns]);
  await kubectlOk(['create', 'deployment', 'exec-web', '--image', 'nginx', '-n', ns]);
  // Mints a token bound to a new Secret; EXP_FILE holds how many seconds it claims to live.
  const mint = writeFixture(
    dir,
    'mint.sh',
    [
      '#!/bin/sh',
      'set -e',
      `K="${cluster.kubectl} --kubeconfig ${cluster.kubeconfig}"`,
      'secret="exec-tok-$$-$(date +%s%N)"',
      `$K create secret generic "$secret" -n ${ns} >/dev/null`,
      `token=$($K create token exec-user -n ${ns} --bound-object-kind=Secret --bound-object-name="$secret" --duration=10m)`,
      'exp=$(date -u -d "+$(cat "$EXP_FILE") seconds" +%Y-%m-%dT%H:%M:%SZ)',
      'echo "$secret" >> "$RUNS_LOG"',
      'echo "mint: issued a token for $secret" >&2',
      `printf '{"apiVersion":"${v1}","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$token" "$exp"`,
      '',
    ].join('\n'),
    0o700,
  );
  f = { dir, ns, env: isolatedEnv(dir), server: cluster.server, caFile: cluster.caFile, kubectl: cluster.kubectl, admin: cluster.kubeconfig, mint };
});

test.after.always(async () => {
  if (!f) return;
  await deleteNamespace(f.ns);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

interface ExecUser {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  apiVersion?: string;
  installHint?: string;
}

/** A kubeconfig whose user is an exec plugin; `server` defaults to the cluster's. */
function execKubeconfig(name: string, exec: ExecUser, server = f.server): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'certificate-authority': f.caFile } }],
    users: [{ name: 'exec', user: { exec: { apiVersion: v1, interactiveMode: 'Never', ...exec } } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'exec', namespace: f.ns } }],
    'current-context': 'x',
  };
  return writeFixture(f.dir, name, stringify(doc));
}

/** A minting user: its runs go to `<name>.runs`, its claimed lifetime is in `<name>.exp`. */
function mintingUser(name: string, seconds: number, server = f.server): { kubeconfig: string; runs: () => string[]; setLifetime: (s: number) => void } {
  const runsLog = path.join(f.dir, `${name}.runs`);
  const expFile = path.join(f.dir, `${name}.exp`);
  fs.writeFileSync(expFile, String(seconds));
  const kubeconfig = execKubeconfig(`${name}.kubeconfig`, { command: f.mint, env: [{ name: 'RUNS_LOG', value: runsLog }, { name: 'EXP_FILE', value: expFile }] }, server);
  return {
    kubeconfig,
    runs: () => (fs.existsSync(runsLog) ? fs.readFileSync(runsLog, 'utf8').split('\n').filter(Boolean) : []),
    setLifetime: (s) => fs.writeFileSync(expFile, String(s)),
  };
}

/** ServiceAccount tokens (JWTs) found in some output. */
function tokensIn(text: string): string[] {
  return text.match(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/g) ?? [];
}

test('lsres with an exec plugin: its token is used, one run serves every concurrent request', async (t) => {
  const user = mintingUser('lsres', 600);
  const r = await run('lsres', ['--kubeconfig', user.kubeconfig, '-v=6'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(r.code, ExitCode.ok, r.stderr);
  t.regex(r.stdout, /^deployment\.apps\/exec-web\s/m);
  t.true((r.stderr.match(/ 200 OK in \d+ milliseconds$/gm) ?? []).length >= 3, 'several requests');
  t.deepEqual(user.runs().length, 1, 'the plugin ran once');
  t.regex(r.stderr, /^mint: issued a token for exec-tok-/m, "the plugin's stderr is passed through");
  t.deepEqual(tokensIn(r.stdout + r.stderr), [], 'no token printed');
  // kubectl with the same plugin: the same rows, one run of its own.
  const theirs = await kubectl(['--kubeconfig', user.kubeconfig, 'get', 'deploy', '-o', 'name']);
  t.is(theirs.code, 0, theirs.stderr);
  t.is(theirs.stdout.trim(), 'deployment.apps/exec-web');
  t.is(user.runs().length, 2);
});

test('lsres with a client certificate from an exec plugin', async (t) => {
  const pki = pkiFiles(clusterPaths().pki);
  const pair = await issueClientCertificate(f.dir, 'exec-cert', { cert: pki.caCert, key: pki.caKey }, { subject: '/CN=exec-cert-user' });
  const cert = fs.readFileSync(pair.cert, 'utf8');
  const key = fs.readFileSync(pair.key, 'utf8');
  const answer = writeFixture(f.dir, 'cert-answer.json', JSON.stringify({ apiVersion: v1, kind: 'ExecCredential', status: { clientCertificateData: cert, clientKeyData: key } }));
  const plugin = writeFixture(f.dir, 'cert-plugin.sh', `#!/bin/sh\ncat ${answer}\n`, 0o700);
  const kubeconfig = execKubeconfig('cert.kubeconfig', { command: plugin });
  const keyBody = key.split('\n').filter((l) => l && !l.startsWith('-----'));

  const ok = await run('lsres', ['--kubeconfig', kubeconfig, '-v=9'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(ok.code, ExitCode.ok, ok.stderr);
  t.regex(ok.stdout, /^deployment\.apps\/exec-web\s/m);
  t.notRegex(ok.stderr, /Authorization:/, 'no bearer token: the certificate authenticates');
  assertNoSecrets(t, ok, keyBody);
  // Outside its namespace the same identity is refused by name: the certificate's CN.
  const denied = await run('lsres', ['--kubeconfig', kubeconfig, 'configmaps', '-n', 'default'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(denied.code, ExitCode.denied, denied.stderr);
  t.regex(denied.stderr, /User "exec-cert-user" cannot list resource "configmaps"/);
});

test('watchq across several expiries and an early revocation (401): every event arrives, the plugin re-runs each time', async (t) => {
  const url = new URL(f.server);
  const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
  await proxy.up();
  t.teardown(() => proxy.down());
  const user = mintingUser('watchq', 3, `https://127.0.0.1:${proxy.port}`);
  const kubeconfig = user.kubeconfig;
  const cmNs = await createNamespace('exec-watch');
  t.teardown(() => deleteNamespace(cmNs));
  await kubectlOk(['create', 'rolebinding', 'exec-view', '--clusterrole=view', `--serviceaccount=${f.ns}:exec-user`, '-n', cmNs]);
  const w = new WatchqProcess(['--kubeconfig', kubeconfig, 'configmaps', '-n', cmNs, '-o', 'json', '-v=6'], pluginEnv(f.env));
  t.teardown(() => w.child.kill('SIGKILL'));
  await w.waitForSync();
  const created: string[] = [];
  const synced = (name: string) => w.events().some((e) => e.event === 'sync' && e.key === `${cmNs}/${name}`);

  // Phase 1: tokens said to live 3 s; connections cut every 2 s, so new requests need new tokens.
  // Cut first, then create: each ConfigMap can only arrive through a watch opened after the cut.
  for (let i = 0; i < 8; i++) {
    proxy.cut();
    const name = `expiry-${i}`;
    await kubectlOk(['create', 'configmap', name, '-n', cmNs]);
    created.push(name);
    await sleep(2000);
  }
  await w.waitFor('the expiry-phase events', () => created.every(synced) || undefined, 60_000);
  const afterExpiries = user.runs().length;
  t.true(afterExpiries >= 4, `the plugin ran again as tokens expired (${afterExpiries} runs)`);

  // Phase 2: a long-lived token, revoked early: the next request gets 401 and renews it once.
  user.setLifetime(600);
  // The 3 s token expires; a cut makes the next watch run the plugin for a 600 s one.
  for (let i = 0; user.runs().length === afterExpiries && i < 30; i++) {
    await sleep(1000);
    proxy.cut();
  }
  await w.waitFor('a run with the long lifetime', () => (user.runs().length > afterExpiries ? true : undefined), 30_000);
  await sleep(1000);
  const before401 = user.runs().length;
  const current = user.runs().at(-1)!;
  await kubectlOk(['delete', 'secret', current, '-n', f.ns]);
  // The API server caches a token's authentication for 10 s: wait until it no longer accepts it.
  await sleep(12_000);
  proxy.cut();
  for (let i = 0; i < 3; i++) {
    const name = `after-revoke-${i}`;
    await kubectlOk(['create', 'configmap', name, '-n', cmNs]);
    created.push(name);
  }
  await w.waitFor('the events after the revocation', () => created.every(synced) || undefined, 60_000);
  t.regex(w.stderr, / 401 Unauthorized in \d+ milliseconds$/m, 'the revoked token was answered 401');
  t.is(user.runs().length, before401 + 1, 'renewed once after the 401');
  const done = await w.stop('SIGTERM');
  t.is(done.code, 0, done.stderr);
  const delivered = new Set(w.events().filter((e) => e.event === 'sync').map((e) => e.key));
  t.deepEqual(created.filter((n) => !delivered.has(`${cmNs}/${n}`)), [], '0 lost events');
  t.log(`plugin runs: ${afterExpiries} across the 3 s expiries, ${user.runs().length} in all; ${created.length} events, all delivered`);
  t.false(w.events().some((e) => e.event === 'error' && /Unauthorized|401/.test(JSON.stringify(e))), 'the informer never saw the 401');
  t.deepEqual(tokensIn(done.stdout + done.stderr), [], 'no token printed');
});

// ---- failures: one line, exit 5, never the plugin's stdout ----

async function failsWith(t: ExecutionContext, kubeconfig: string, error: RegExp, extra: string[] = []): Promise<string> {
  const r = await run('lsres', ['--kubeconfig', kubeconfig, ...extra], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  const ours = { ...r, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('plugin:')).join('\n') };
  assertFailure(t, ours, { code: ExitCode.config, error }, ['SECRET-STDOUT']);
  return r.stderr;
}

test('a missing plugin: exit 5, its installHint as the hint', async (t) => {
  const kubeconfig = execKubeconfig('missing.kubeconfig', { command: 'kubectl-plugins-no-such-auth', installHint: 'install it with: apt-get install no-such-auth' });
  const stderr = await failsWith(t, kubeconfig, /^getting credentials for user "exec": exec: executable kubectl-plugins-no-such-auth not found$/);
  t.regex(stderr, /^hint: install it with: apt-get install no-such-auth$/m);
});

test('a plugin that exits non-zero: exit 5, its stderr passed through, its stdout not', async (t) => {
  const plugin = writeFixture(f.dir, 'exit2.sh', '#!/bin/sh\necho SECRET-STDOUT\necho "plugin: cannot log in" >&2\nexit 2\n', 0o700);
  const stderr = await failsWith(t, execKubeconfig('exit2.kubeconfig', { command: plugin }), /exec: executable \S+exit2\.sh failed with exit code 2$/);
  t.regex(stderr, /^plugin: cannot log in$/m);
});

test('a plugin that prints something other than JSON: exit 5', async (t) => {
  const plugin = writeFixture(f.dir, 'text.sh', '#!/bin/sh\necho "token: SECRET-STDOUT"\n', 0o700);
  await failsWith(t, execKubeconfig('text.kubeconfig', { command: plugin }), /decoding stdout: the plugin did not print JSON \(\d+ bytes\)$/);
});

test('a plugin that answers another apiVersion: exit 5', async (t) => {
  const plugin = writeFixture(f.dir, 'beta.sh', `#!/bin/sh\nprintf '%s' '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"SECRET-STDOUT"}}'\n`, 0o700);
  await failsWith(t, execKubeconfig('beta.kubeconfig', { command: plugin }), /exec plugin is configured to use API version client\.authentication\.k8s\.io\/v1, plugin returned version client\.authentication\.k8s\.io\/v1beta1$/);
});

test('a plugin that hangs: killed at --request-timeout, exit 5', async (t) => {
  const plugin = writeFixture(f.dir, 'hang.sh', '#!/bin/sh\nsleep 60\n', 0o700);
  const started = Date.now();
  await failsWith(t, execKubeconfig('hang.kubeconfig', { command: plugin }), /exec: executable \S+hang\.sh did not finish within 2s \(--request-timeout\)$/, ['--request-timeout=2s']);
  t.true(Date.now() - started < 30_000);
});

test('commands: a bare name is looked up on PATH; a relative path with a slash is relative to the kubeconfig (not the working directory, which has no bin/)', async (t) => {
  const user = mintingUser('paths', 600);
  const sub = path.join(f.dir, 'conf', 'bin');
  fs.mkdirSync(sub, { recursive: true });
  fs.copyFileSync(f.mint, path.join(sub, 'mint-token'));
  fs.chmodSync(path.join(sub, 'mint-token'), 0o700);
  const env = [{ name: 'RUNS_LOG', value: path.join(f.dir, 'paths.runs') }, { name: 'EXP_FILE', value: path.join(f.dir, 'paths.exp') }];
  const relative = writeFixture(path.join(f.dir, 'conf'), 'relative.kubeconfig', fs.readFileSync(execKubeconfig('tmp-rel.kubeconfig', { command: './bin/mint-token', env }), 'utf8'));
  const viaPath = execKubeconfig('path.kubeconfig', { command: 'mint-token', env });
  const r1 = await run('lsres', ['--kubeconfig', relative, 'deploy'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(r1.code, ExitCode.ok, r1.stderr);
  const r2 = await run('lsres', ['--kubeconfig', viaPath, 'deploy'], { env: pluginEnv(f.env, { PATH: `${sub}:${process.env.PATH}` }), timeoutMs: 60_000 });
  t.is(r2.code, ExitCode.ok, r2.stderr);
  t.is(user.runs().length, 2);
  // kubectl resolves them the same way.
  const k = await kubectl(['--kubeconfig', relative, 'get', 'deploy', '-o', 'name']);
  t.is(k.code, 0, k.stderr);
  t.is(k.stdout.trim(), 'deployment.apps/exec-web');
});

// ---- interactiveMode with a real terminal (util-linux `script` gives the plugin a pty) ----

/** Runs lsres under a pseudo-terminal, typing `typed` into it; returns what the terminal showed. */
function onTerminal(kubeconfig: string, typed: string): Promise<{ code: number; screen: string }> {
  const lsres = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist', 'bin', 'kubectl-lsres');
  const command = [lsres, '--kubeconfig', kubeconfig, 'deploy'].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: pluginEnv(f.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      // Type the answer once the plugin asks (a terminal shows its prompt first).
      if (screen.includes('Enter code:') && !child.stdin.writableEnded) child.stdin.end(typed);
    });
    child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, screen });
    });
  });
}

function interactivePlugin(name: string): string {
  return writeFixture(
    f.dir,
    name,
    ['#!/bin/sh', 'if [ ! -t 0 ]; then echo "plugin: no terminal to ask on" >&2; exit 7; fi', 'printf "Enter code: " >&2', 'read code', '[ "$code" = "open-sesame" ] || exit 8', `exec ${f.mint}`, ''].join('\n'),
    0o700,
  );
}

for (const mode of ['IfAvailable', 'Always'] as const) {
  test(`interactiveMode ${mode} on a terminal: the plugin prompts on our stderr and reads our stdin`, async (t) => {
    const plugin = interactivePlugin(`ask-${mode}.sh`);
    const kubeconfig = execKubeconfig(`ask-${mode}.kubeconfig`, { command: plugin, env: [{ name: 'RUNS_LOG', value: path.join(f.dir, `ask-${mode}.runs`) }, { name: 'EXP_FILE', value: path.join(f.dir, 'ask.exp') }] });
    fs.writeFileSync(path.join(f.dir, 'ask.exp'), '600');
    const yamlText = fs.readFileSync(kubeconfig, 'utf8').replace('interactiveMode: Never', `interactiveMode: ${mode}`);
    fs.writeFileSync(kubeconfig, yamlText);
    const r = await onTerminal(kubeconfig, 'open-sesame\n');
    t.is(r.code, 0, r.screen);
    t.regex(r.screen, /Enter code:/);
    t.regex(r.screen, /^exec-web\s/m);
    t.deepEqual(tokensIn(r.screen), []);
  });
}

test('interactiveMode Never on a terminal: the plugin gets no stdin', async (t) => {
  const plugin = interactivePlugin('ask-never.sh');
  const kubeconfig = execKubeconfig('ask-never.kubeconfig', { command: plugin });
  const r = await onTerminal(kubeconfig, 'open-sesame\n');
  t.is(r.code, ExitCode.config, r.screen);
  t.regex(r.screen, /plugin: no terminal to ask on/);
  t.regex(r.screen, /error: getting credentials for user "exec": exec: executable \S+ask-never\.sh failed with exit code 7/);
});

test('interactiveMode Always without a terminal: refused before the plugin runs', async (t) => {
  const plugin = interactivePlugin('ask-always-notty.sh');
  const kubeconfig = execKubeconfig('ask-always-notty.kubeconfig', { command: plugin });
  fs.writeFileSync(kubeconfig, fs.readFileSync(kubeconfig, 'utf8').replace('interactiveMode: Never', 'interactiveMode: Always'));
  await failsWith(t, kubeconfig, /exec plugin cannot support interactive mode: standard input is not a terminal$/);
});

test('KUBERNETES_EXEC_INFO is what kubectl hands the same plugin (provideClusterInfo, the exec extension, tls-server-name, proxy-url)', async (t) => {
  const dump = (who: string) => path.join(f.dir, `exec-info.${who}.json`);
  const plugin = writeFixture(f.dir, 'dump-info.sh', `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "$DUMP"\nexec ${f.mint}\n`, 0o700);
  const socks = await startMicrosocks();
  t.teardown(() => socks.stop());
  const write = (who: string) => {
    const doc = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: f.server,
            'certificate-authority': f.caFile,
            'tls-server-name': 'localhost',
            'proxy-url': socks.url,
            extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kubectl-plugins', nested: { list: [1, 'two'] } } }],
          },
        },
      ],
      users: [
        {
          name: 'exec',
          user: {
            exec: {
              apiVersion: v1,
              command: plugin,
              interactiveMode: 'Never',
              provideClusterInfo: true,
              env: [{ name: 'DUMP', value: dump(who) }, { name: 'RUNS_LOG', value: path.join(f.dir, 'info.runs') }, { name: 'EXP_FILE', value: path.join(f.dir, 'info.exp') }],
            },
          },
        },
      ],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'exec', namespace: f.ns } }],
      'current-context': 'x',
    };
    return writeFixture(f.dir, `info-${who}.kubeconfig`, stringify(doc));
  };
  fs.writeFileSync(path.join(f.dir, 'info.exp'), '600');
  const ours = await run('lsres', ['--kubeconfig', write('ours'), 'deploy'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(ours.code, ExitCode.ok, ours.stderr);
  const theirs = await kubectl(['--kubeconfig', write('kubectl'), 'get', 'deploy', '-o', 'name']);
  t.is(theirs.code, 0, theirs.stderr);
  const oursInfo = JSON.parse(fs.readFileSync(dump('ours'), 'utf8')) as unknown;
  const theirsInfo = JSON.parse(fs.readFileSync(dump('kubectl'), 'utf8')) as unknown;
  t.deepEqual(oursInfo, theirsInfo);
  t.like(oursInfo, { spec: { cluster: { 'tls-server-name': 'localhost', config: { audience: 'kubectl-plugins' } }, interactive: false } });
});
