/**
 * Every kubeconfig v1 field we read, spelled as client-go's clientcmd/api/v1 types spell it
 * (issue 13, item 1: the user field is `tokenFile`, not `token-file`), and kubectl's validation
 * of the combinations it refuses. Each case writes a real file and loads it as a plugin does.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../../../shared/errors.ts';
import type { ConfigFlags } from '../../../shared/kube/config-flags.ts';
import { createCredentials } from '../../../shared/kube/credentials.ts';
import { loadRestConfig, type RestConfig } from '../../../shared/kube/rest-config.ts';

const caPem = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';

interface Parts {
  cluster?: Record<string, unknown>;
  user?: Record<string, unknown>;
  context?: Record<string, unknown>;
  top?: Record<string, unknown>;
  /** Raw YAML instead of the parts (for YAML 1.1 spellings). */
  text?: string;
}

function setup(parts: Parts): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-fields-'));
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://example.test:6443', ...parts.cluster } }],
    users: [{ name: 'u', user: parts.user ?? {} }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', ...parts.context } }],
    'current-context': 'x',
    ...parts.top,
  };
  const file = path.join(dir, 'config');
  fs.writeFileSync(file, parts.text ?? stringify(doc));
  return { dir, file };
}

function load(parts: Parts, flags: ConfigFlags = {}): RestConfig {
  const { file } = setup(parts);
  return loadRestConfig({ kubeconfig: file, ...flags }, { env: {} });
}

async function headersOf(config: RestConfig): Promise<Record<string, string | string[] | undefined>> {
  return (await createCredentials(config, { env: {} }).attempt()).headers;
}

function refused(t: import('ava').ExecutionContext, parts: Parts, message: RegExp, flags: ConfigFlags = {}): void {
  const error = t.throws(() => load(parts, flags), { instanceOf: ConfigError });
  t.regex(error!.message, message);
  t.is(error!.exitCode, 5);
}

// ---- users ----

test('tokenFile: the request carries the token read from the file (was sent as anonymous)', async (t) => {
  const { dir, file } = setup({ user: { tokenFile: 'token' } });
  fs.writeFileSync(path.join(dir, 'token'), 'file-token\n');
  const config = loadRestConfig({ kubeconfig: file }, { env: {} });
  t.is(config.tokenFile, path.join(dir, 'token'), 'relative to the kubeconfig');
  const creds = createCredentials(config, { env: {} });
  t.is((await creds.attempt()).headers.Authorization, 'Bearer file-token');
  fs.writeFileSync(path.join(dir, 'token'), 'rotated-token\n');
  fs.utimesSync(path.join(dir, 'token'), new Date(), new Date(Date.now() + 5000));
  t.is((await creds.attempt()).headers.Authorization, 'Bearer rotated-token', 'read again when it changes');
});

test('token-file (not a kubeconfig field) is ignored, as kubectl ignores it', async (t) => {
  const { dir, file } = setup({ user: { 'token-file': 'token' } });
  fs.writeFileSync(path.join(dir, 'token'), 'file-token\n');
  const config = loadRestConfig({ kubeconfig: file }, { env: {} });
  t.is(config.tokenFile, undefined);
  t.is((await headersOf(config)).Authorization, undefined);
});

test('tokenFile beside token: the file is read first, the token is the fallback (client-go)', async (t) => {
  const { dir, file } = setup({ user: { token: 'inline', tokenFile: 'token' } });
  const config = loadRestConfig({ kubeconfig: file }, { env: {} });
  t.is((await headersOf(config)).Authorization, 'Bearer inline', 'no file yet');
  fs.writeFileSync(path.join(dir, 'token'), 'from-file');
  t.is((await headersOf(config)).Authorization, 'Bearer from-file');
});

test('tokenFile that cannot be read (and no token) is exit 5 naming the file', (t) => {
  refused(t, { user: { tokenFile: '/nonexistent/token' } }, /cannot read tokenFile \/nonexistent\/token of user "u": ENOENT/);
});

test('--token wins over tokenFile', async (t) => {
  const { dir, file } = setup({ user: { tokenFile: 'token' } });
  fs.writeFileSync(path.join(dir, 'token'), 'file-token');
  const config = loadRestConfig({ kubeconfig: file, token: 'flag-token' }, { env: {} });
  t.is((await headersOf(config)).Authorization, 'Bearer flag-token');
});

test('token', async (t) => {
  t.is((await headersOf(load({ user: { token: 'abc' } }))).Authorization, 'Bearer abc');
});

test('username and password: basic auth', async (t) => {
  t.is((await headersOf(load({ user: { username: 'ann', password: 'pw' } }))).Authorization, `Basic ${Buffer.from('ann:pw').toString('base64')}`);
});

test('token and username together: kubectl refuses more than one method', (t) => {
  refused(t, { user: { token: 'abc', username: 'ann', password: 'pw' } }, /^more than one authentication method found for u; found \[token basicAuth\], only one is allowed$/);
});

test('client-certificate and client-key files, relative to the kubeconfig, read again when they change', async (t) => {
  const { dir, file } = setup({ user: { 'client-certificate': 'c.crt', 'client-key': 'c.key' } });
  fs.writeFileSync(path.join(dir, 'c.crt'), 'CERT1');
  fs.writeFileSync(path.join(dir, 'c.key'), 'KEY1');
  const config = loadRestConfig({ kubeconfig: file }, { env: {} });
  t.is(config.certFile, path.join(dir, 'c.crt'));
  const creds = createCredentials(config, { env: {} });
  const first = await creds.attempt();
  t.is(first.cert?.toString(), 'CERT1');
  t.is((await creds.attempt()).cert, first.cert, 'the same Buffer while unchanged (one TLS agent)');
  fs.writeFileSync(path.join(dir, 'c.crt'), 'CERT2-longer');
  fs.writeFileSync(path.join(dir, 'c.key'), 'KEY2-longer');
  const second = await creds.attempt();
  t.is(second.cert?.toString(), 'CERT2-longer');
  t.is(second.key?.toString(), 'KEY2-longer');
});

test('client-certificate-data and client-key-data (base64)', async (t) => {
  const config = load({ user: { 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') } });
  t.is(config.cert?.toString(), 'CERT');
  t.is(config.key?.toString(), 'KEY');
  t.is(config.certFile, undefined);
});

test('client certificate without a key: refused as kubectl does', (t) => {
  refused(t, { user: { 'client-certificate-data': Buffer.from('CERT').toString('base64') } }, /^client-key-data or client-key must be specified for u/);
});

test('client-certificate beside client-certificate-data: refused as kubectl does', (t) => {
  refused(t, { user: { 'client-certificate': '/x.crt', 'client-certificate-data': 'Q0U=', 'client-key-data': 'S0U=' } }, /^client-cert-data and client-cert are both specified for u/);
});

test('invalid base64 in a *-data field names the field', (t) => {
  refused(t, { user: { 'client-key-data': 'not base64!' } }, /users\[0\]\.user\.client-key-data must be base64 data/);
});

test('as, as-uid, as-groups, as-user-extra: impersonation headers', async (t) => {
  const config = load({ user: { token: 't', as: 'jane', 'as-uid': '42', 'as-groups': ['dev', 'ops'], 'as-user-extra': { scopes: ['a', 'b'], 'key/with space': ['c'] } } });
  const headers = await headersOf(config);
  t.is(headers['Impersonate-User'], 'jane');
  t.is(headers['Impersonate-Uid'], '42');
  t.deepEqual(headers['Impersonate-Group'], ['dev', 'ops']);
  t.deepEqual(headers['Impersonate-Extra-scopes'], ['a', 'b']);
  t.deepEqual(headers['Impersonate-Extra-key%2Fwith%20space'], ['c']);
  t.is(config.impersonateUser, 'jane');
});

test('--as replaces the user entry impersonation', async (t) => {
  const headers = await headersOf(load({ user: { token: 't', as: 'jane', 'as-groups': ['dev'] } }, { as: 'bob' }));
  t.is(headers['Impersonate-User'], 'bob');
  t.is(headers['Impersonate-Group'], undefined);
});

test('as-groups without as: refused as kubectl does', (t) => {
  refused(t, { user: { token: 't', 'as-groups': ['dev'] } }, /^requesting uid, groups or user-extra for u without impersonating a user$/);
});

test('exec: every field read; a command with a slash is relative to the kubeconfig, a bare one is not', (t) => {
  const exec = {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: './bin/get-token',
    args: ['--cluster', 'c'],
    env: [{ name: 'FOO', value: 'bar' }],
    installHint: 'install get-token',
    provideClusterInfo: true,
    interactiveMode: 'Never',
  };
  const { dir, file } = setup({ user: { exec }, cluster: { extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'x' } }] } });
  const config = loadRestConfig({ kubeconfig: file }, { env: {} });
  t.is(config.exec?.config.command, path.join(dir, 'bin', 'get-token'));
  t.deepEqual(config.exec?.config.args, ['--cluster', 'c']);
  t.deepEqual(config.exec?.config.env, [{ name: 'FOO', value: 'bar' }]);
  t.is(config.exec?.config.installHint, 'install get-token');
  t.true(config.exec?.config.provideClusterInfo);
  t.is(config.exec?.interactiveMode, 'Never');
  t.deepEqual(config.exec?.cluster, { server: 'https://example.test:6443', config: { audience: 'x' } });
  t.is(load({ user: { exec: { ...exec, command: 'get-token' } } }).exec?.config.command, 'get-token', 'looked up on PATH');
});

test('exec v1beta1 without interactiveMode defaults to IfAvailable; v1 must say', (t) => {
  t.is(load({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'x' } } }).exec?.interactiveMode, 'IfAvailable');
  refused(t, { user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x' } } }, /^interactiveMode must be specified for u to use exec authentication plugin$/);
  refused(t, { user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Sometimes' } } }, /^invalid interactiveMode for u: "Sometimes"$/);
});

test('exec with an apiVersion we do not speak, or none', (t) => {
  refused(t, { user: { exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x', interactiveMode: 'Never' } } }, /^exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v1alpha1"/);
  refused(t, { user: { exec: { command: 'x', interactiveMode: 'Never' } } }, /^apiVersion must be specified for u/);
  refused(t, { user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } } }, /^command must be specified for u/);
});

test('exec with a token in the user: the token is used, as client-go does', async (t) => {
  const config = load({ user: { token: 'static', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/nonexistent', interactiveMode: 'Never' } } });
  t.is((await headersOf(config)).Authorization, 'Bearer static');
});

test('auth-provider: gcp and azure are gone from kubectl, others unsupported; each one line naming it', (t) => {
  refused(t, { user: { 'auth-provider': { name: 'gcp', config: {} } } }, /^user "u": the gcp auth-provider was removed from kubectl in 1\.26 and is not supported$/);
  refused(t, { user: { 'auth-provider': { name: 'azure' } } }, /azure auth-provider was removed/);
  refused(t, { user: { 'auth-provider': { name: 'my-sso' } } }, /^user "u": auth-provider "my-sso" is not supported$/);
  refused(t, { user: { 'auth-provider': { name: 'oidc' }, exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Never' } } }, /^authProvider cannot be provided in combination with an exec plugin for u$/);
  t.is(load({ user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } } }).authProvider?.userName, 'u');
});

// ---- clusters ----

test('certificate-authority (relative) and certificate-authority-data', (t) => {
  const { dir, file } = setup({ cluster: { 'certificate-authority': 'ca.crt' } });
  fs.writeFileSync(path.join(dir, 'ca.crt'), caPem);
  t.is(loadRestConfig({ kubeconfig: file }, { env: {} }).ca?.toString(), caPem);
  t.is(load({ cluster: { 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }).ca?.toString(), caPem);
});

test('certificate-authority beside certificate-authority-data: refused with kubectl\'s words', (t) => {
  refused(t, { cluster: { 'certificate-authority': '/ca.crt', 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }, /^certificate-authority-data and certificate-authority are both specified for c\. certificate-authority-data will override\.$/);
});

test('insecure-skip-tls-verify (YAML 1.1 `yes` too), refused beside a CA, and the flag clears the CA', (t) => {
  t.true(load({ cluster: { 'insecure-skip-tls-verify': true } }).insecureSkipTlsVerify);
  const text = 'clusters:\n- name: c\n  cluster: {server: "https://h:1", insecure-skip-tls-verify: yes}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n';
  t.true(load({ text }).insecureSkipTlsVerify, 'kubectl reads YAML 1.1: yes is true');
  refused(t, { cluster: { 'insecure-skip-tls-verify': true, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }, /^specifying a root certificates file with the insecure flag is not allowed$/);
  const flagged = load({ cluster: { 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }, { insecureSkipTlsVerify: true });
  t.true(flagged.insecureSkipTlsVerify);
  t.is(flagged.ca, undefined);
});

test('insecure-skip-tls-verify of the wrong type names the field', (t) => {
  refused(t, { cluster: { 'insecure-skip-tls-verify': 'true' } }, /clusters\[0\]\.cluster\.insecure-skip-tls-verify must be true or false/);
});

test('tls-server-name; --server clears it (kubectl)', (t) => {
  t.is(load({ cluster: { 'tls-server-name': 'kubernetes' } }).tlsServerName, 'kubernetes');
  t.is(load({ cluster: { 'tls-server-name': 'kubernetes' } }, { server: 'https://other:6443' }).tlsServerName, undefined);
});

test('proxy-url: http, https, socks5; another scheme is refused naming the field, the password masked', (t) => {
  for (const proxy of ['http://proxy:3128', 'https://proxy:3129', 'socks5://proxy:1080']) t.is(load({ cluster: { 'proxy-url': proxy } }).proxyUrl, proxy);
  refused(t, { cluster: { 'proxy-url': 'ftp://user:secret@proxy:21' } }, /^invalid 'proxy-url' "ftp:\/\/user:xxxxx@proxy:21" for cluster "c": unsupported scheme "ftp", must be http, https, or socks5$/);
});

test('disable-compression', (t) => {
  t.true(load({ cluster: { 'disable-compression': true } }).disableCompression);
  t.false(load({}).disableCompression);
});

test('extensions on clusters, users, contexts, preferences and the file are accepted', (t) => {
  const ext = [{ name: 'e', extension: { any: 'thing' } }];
  const config = load({ cluster: { extensions: ext }, user: { token: 't', extensions: ext }, context: { namespace: 'ns', extensions: ext }, top: { extensions: ext, preferences: { colors: true, extensions: ext } } });
  t.is(config.namespace, 'ns');
  refused(t, { top: { preferences: { colors: 'yes please' } } }, /config\.preferences\.colors must be true or false/);
  refused(t, { context: { namespace: 7 } }, /contexts\[0\]\.context\.namespace must be a string/);
});

test('an http server gets no credentials (client-go reads them only for TLS)', async (t) => {
  const config = load({ cluster: { server: 'http://plain.test:8080' }, user: { token: 'secret' } });
  t.is((await headersOf(config)).Authorization, undefined);
});


test('oidc auth-provider from source: client-node sends the id-token as a bearer token', async (t) => {
  const config = load({ user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln', 'idp-issuer-url': 'https://issuer.invalid', 'client-id': 'k' } } } });
  t.is((await headersOf(config)).Authorization, 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln');
});

test('mkdeploy -f - marks stdin unavailable for an exec plugin', async (t) => {
  const { configFlagsFrom } = await import('../../../shared/cli/common-flags.ts');
  const flags = configFlagsFrom({ filename: ['a.yaml', '-'] } as never);
  t.is(flags.stdinUnavailable, 'used by stdin resource manifest reader');
  t.is(configFlagsFrom({ filename: ['a.yaml'] } as never).stdinUnavailable, undefined);
  const config = load({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Always' } } }, { stdinUnavailable: flags.stdinUnavailable });
  t.is(config.exec?.stdinUnavailable, 'used by stdin resource manifest reader');
});
