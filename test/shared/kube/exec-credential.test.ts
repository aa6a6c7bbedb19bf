/**
 * One run of an exec credential plugin, with real scripts: what the plugin receives (args, env,
 * KUBERNETES_EXEC_INFO), what it may answer (token, certificate and key, expiry) and each way
 * it can fail: one ConfigError line (exit 5) that never quotes the plugin's stdout.
 */
import test, { type ExecutionContext } from 'ava';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../shared/errors.ts';
import { runExecPlugin } from '../../../shared/kube/exec-credential.ts';
import type { ExecProvider } from '../../../shared/kube/rest-config.ts';
import { createCa, issueClientCertificate } from '../../helpers/kubeconfigs.ts';

const v1 = 'client.authentication.k8s.io/v1';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-credential-'));
const secret = `s3cret-${crypto.randomBytes(8).toString('hex')}`;

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o700 });
  return file;
}

function provider(command: string, extra: Partial<ExecProvider['config']> = {}, mode: ExecProvider['interactiveMode'] = 'Never'): ExecProvider {
  return {
    userName: 'alice',
    config: { apiVersion: v1, command, ...extra },
    interactiveMode: mode,
    cluster: { server: 'https://example.test:6443', 'certificate-authority-data': 'Q0E=', config: { audience: 'x' } },
  };
}

const credential = (status: Record<string, unknown>, apiVersion = v1) => JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

async function fails(t: ExecutionContext, p: ExecProvider, message: RegExp, options: Partial<Parameters<typeof runExecPlugin>[1]> = {}): Promise<ConfigError> {
  const error = await t.throwsAsync(runExecPlugin(p, { timeoutMs: 10_000, env: process.env, ...options }), { instanceOf: ConfigError });
  t.regex(error!.message, message);
  t.is(error!.exitCode, 5);
  t.false(error!.message.includes(secret), 'the plugin stdout is never quoted');
  t.false(error!.message.includes('\n'), 'one line');
  return error!;
}

test('a token with an expiry; args, env and KUBERNETES_EXEC_INFO reach the plugin', async (t) => {
  const seen = path.join(dir, 'seen.json');
  const cmd = script(
    'token.sh',
    `printf '%s\\n' "$1 $2 $FOO" > ${seen}.args\nprintf '%s' "$KUBERNETES_EXEC_INFO" > ${seen}\nprintf '%s' '${credential({ token: secret, expirationTimestamp: '2030-01-02T03:04:05Z' })}'`,
  );
  const result = await runExecPlugin(provider(cmd, { args: ['--a', 'b'], env: [{ name: 'FOO', value: 'bar' }], provideClusterInfo: true }), { timeoutMs: 10_000 });
  t.is(result.token, secret);
  t.is(result.expiresAt, Date.UTC(2030, 0, 2, 3, 4, 5));
  t.is(fs.readFileSync(`${seen}.args`, 'utf8'), '--a b bar\n');
  t.deepEqual(JSON.parse(fs.readFileSync(seen, 'utf8')), {
    kind: 'ExecCredential',
    apiVersion: v1,
    spec: { interactive: false, cluster: { server: 'https://example.test:6443', 'certificate-authority-data': 'Q0E=', config: { audience: 'x' } } },
  });
});

test('without provideClusterInfo the spec carries no cluster; v1beta1 is spoken too', async (t) => {
  const seen = path.join(dir, 'seen-beta.json');
  const cmd = script('beta.sh', `printf '%s' "$KUBERNETES_EXEC_INFO" > ${seen}\nprintf '%s' '${credential({ token: 't' }, 'client.authentication.k8s.io/v1beta1')}'`);
  const p = provider(cmd, { apiVersion: 'client.authentication.k8s.io/v1beta1' }, 'IfAvailable');
  const result = await runExecPlugin(p, { timeoutMs: 10_000, stdinIsTerminal: false });
  t.is(result.token, 't');
  t.is(result.expiresAt, undefined);
  t.deepEqual(JSON.parse(fs.readFileSync(seen, 'utf8')), { kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', spec: { interactive: false } });
});

test('a client certificate and key', async (t) => {
  const ca = await createCa(dir, 'exec-ca');
  const pair = await issueClientCertificate(dir, 'exec-client', ca, { subject: '/CN=exec-user' });
  const cert = fs.readFileSync(pair.cert, 'utf8');
  const key = fs.readFileSync(pair.key, 'utf8');
  const out = path.join(dir, 'cert.json');
  fs.writeFileSync(out, credential({ clientCertificateData: cert, clientKeyData: key }));
  const result = await runExecPlugin(provider(script('cert.sh', `cat ${out}`)), { timeoutMs: 10_000 });
  t.is(result.cert?.toString(), cert);
  t.is(result.key?.toString(), key);
  t.is(result.token, undefined);

  const other = await issueClientCertificate(dir, 'exec-other', ca, { subject: '/CN=other' });
  fs.writeFileSync(out, credential({ clientCertificateData: cert, clientKeyData: fs.readFileSync(other.key, 'utf8') }));
  await fails(t, provider(script('mismatch.sh', `cat ${out}`)), /^getting credentials for user "alice": failed parsing client key\/certificate returned by the exec plugin$/);
});

test('missing command: not found, with the installHint (escape codes removed)', async (t) => {
  const error = await fails(t, provider('no-such-credential-plugin-xyz', { installHint: 'Install it:\n\x1b[31m  brew install xyz\x1b[0m' }), /^getting credentials for user "alice": exec: executable no-such-credential-plugin-xyz not found$/);
  t.is(error.hint, 'Install it:\n  brew install xyz');
});

test('found on PATH by name', async (t) => {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'path-plugin'), `#!/bin/sh\nprintf '%s' '${credential({ token: 'from-path' })}'\n`, { mode: 0o700 });
  const result = await runExecPlugin(provider('path-plugin'), { timeoutMs: 10_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  t.is(result.token, 'from-path');
});

test('non-zero exit: its code, not its output', async (t) => {
  await fails(t, provider(script('exit3.sh', `echo '${secret}'\nexit 3`)), /^getting credentials for user "alice": exec: executable .*exit3\.sh failed with exit code 3$/);
});

test('not JSON', async (t) => {
  await fails(t, provider(script('garbage.sh', `echo 'token=${secret}'`)), /^getting credentials for user "alice": decoding stdout: the plugin did not print JSON \(\d+ bytes\)$/);
});

test('the wrong apiVersion', async (t) => {
  await fails(t, provider(script('beta-answer.sh', `printf '%s' '${credential({ token: secret }, 'client.authentication.k8s.io/v1beta1')}'`)), /exec plugin is configured to use API version client\.authentication\.k8s\.io\/v1, plugin returned version client\.authentication\.k8s\.io\/v1beta1$/);
});

test('no status, no token, only a certificate, a bad expiry', async (t) => {
  await fails(t, provider(script('nostatus.sh', `printf '%s' '{"apiVersion":"${v1}","kind":"ExecCredential"}'`)), /didn't return a status field$/);
  await fails(t, provider(script('empty.sh', `printf '%s' '${credential({})}'`)), /didn't return a token or cert\/key pair$/);
  await fails(t, provider(script('half.sh', `printf '%s' '${credential({ clientCertificateData: 'x' })}'`)), /returned only certificate or key, not both$/);
  await fails(t, provider(script('badexp.sh', `printf '%s' '${credential({ token: secret, expirationTimestamp: 'soon' })}'`)), /invalid status\.expirationTimestamp "soon"$/);
});

test('a plugin that hangs is killed after the timeout, children included', async (t) => {
  const started = Date.now();
  await fails(t, provider(script('hang.sh', 'sleep 30 &\nsleep 30')), /^getting credentials for user "alice": exec: executable .*hang\.sh did not finish within 0\.5s \(--request-timeout\)$/, { timeoutMs: 500, timeoutSource: '--request-timeout' });
  t.true(Date.now() - started < 5000, 'the orphaned child does not hold us');
});

test('interactiveMode Always without a terminal is refused before running', async (t) => {
  const marker = path.join(dir, 'ran-always');
  await fails(t, provider(script('always.sh', `touch ${marker}`), {}, 'Always'), /exec plugin cannot support interactive mode: standard input is not a terminal$/, { stdinIsTerminal: false });
  t.false(fs.existsSync(marker));
});

test('interactiveMode IfAvailable with a terminal tells the plugin it may prompt', async (t) => {
  const seen = path.join(dir, 'seen-tty.json');
  const cmd = script('tty.sh', `printf '%s' "$KUBERNETES_EXEC_INFO" > ${seen}\nprintf '%s' '${credential({ token: 't' })}'`);
  await runExecPlugin(provider(cmd, {}, 'IfAvailable'), { timeoutMs: 10_000, stdinIsTerminal: true });
  t.true((JSON.parse(fs.readFileSync(seen, 'utf8')) as { spec: { interactive: boolean } }).spec.interactive);
});

test('stdin taken by `-f -`: IfAvailable does not offer it to the plugin, Always is refused (kubectl\'s StdinUnavailable)', async (t) => {
  const seen = path.join(dir, 'seen-unavailable.json');
  const cmd = script('unavailable.sh', `printf '%s' "$KUBERNETES_EXEC_INFO" > ${seen}\nprintf '%s' '${credential({ token: 't' })}'`);
  const taken = (mode: ExecProvider['interactiveMode']) => ({ ...provider(cmd, {}, mode), stdinUnavailable: 'used by stdin resource manifest reader' });
  await runExecPlugin(taken('IfAvailable'), { timeoutMs: 10_000, stdinIsTerminal: true });
  t.false((JSON.parse(fs.readFileSync(seen, 'utf8')) as { spec: { interactive: boolean } }).spec.interactive);
  await fails(t, taken('Always'), /exec plugin cannot support interactive mode: standard input is unavailable: used by stdin resource manifest reader$/, { stdinIsTerminal: true });
});
