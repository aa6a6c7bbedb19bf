/**
 * Kubeconfig fields that change what goes over the wire, against the real local cluster and
 * beside the cluster's kubectl (issue 14): disable-compression, impersonation in the user entry
 * (as, as-uid, as-groups, as-user-extra), and client certificate files renewed under a
 * long-running watchq. (tokenFile, tls-server-name and proxy-url have their own files:
 * credentials.test.ts, proxies.test.ts.)
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { pkiFiles } from '../../scripts/cluster/pki.ts';
import { ExitCode } from '../../shared/errors.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { issueClientCertificate, writeFixture } from '../helpers/kubeconfigs.ts';
import { TcpProxy } from '../plugins/watchq/tcp-proxy.ts';
import { WatchqProcess } from '../plugins/watchq/watchq-process.ts';
import { isolatedEnv, pluginEnv, run, type IsolatedEnv } from './contract.ts';

interface Fixtures {
  dir: string;
  ns: string;
  env: IsolatedEnv;
  admin: Record<string, unknown> & { clusters: Array<{ cluster: Record<string, unknown> }>; users: Array<{ user: Record<string, unknown> }> };
  server: string;
}
let f: Fixtures;

test.before(async () => {
  const cluster = await ensureCluster();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-fields-'));
  const ns = await createNamespace('kc-fields');
  // Over 128 KiB of ConfigMaps: the API server gzips a list that large when asked to.
  const data = 'x'.repeat(3000);
  const list = { apiVersion: 'v1', kind: 'List', items: Array.from({ length: 60 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i}` }, data: { blob: data } })) };
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: JSON.stringify(list) });
  const admin = parse(fs.readFileSync(cluster.kubeconfig, 'utf8')) as Fixtures['admin'];
  f = { dir, ns, env: isolatedEnv(dir), admin, server: cluster.server };
});

test.after.always(async () => {
  if (!f) return;
  await deleteNamespace(f.ns);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

let n = 0;
/** The admin kubeconfig with changes to its cluster and user entries. */
function adminWith(cluster: Record<string, unknown>, user: Record<string, unknown>, replaceUser = false): string {
  const doc = structuredClone(f.admin);
  Object.assign(doc.clusters[0]!.cluster, cluster);
  doc.users[0]!.user = replaceUser ? user : { ...doc.users[0]!.user, ...user };
  return writeFixture(f.dir, `admin-${n++}.kubeconfig`, stringify(doc));
}

test('gzip is asked for and decoded; disable-compression asks for none; the output is kubectl\'s either way', async (t) => {
  const expected = (await kubectlOk(['get', 'configmaps', '-n', f.ns, '-o', 'name'])).trim();
  t.is(expected.split('\n').length, 61, '60 and kube-root-ca.crt');
  const runWith = (config: string) => run('dynget', ['--kubeconfig', config, 'configmaps', '-n', f.ns, '-o', 'name', '-v=8'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  const compressed = await runWith(adminWith({}, {}));
  t.is(compressed.code, ExitCode.ok, compressed.stderr);
  t.is(compressed.stdout.trim(), expected);
  t.regex(compressed.stderr, /round_trippers\]\s+Accept-Encoding: gzip$/m);
  t.regex(compressed.stderr, /round_trippers\]\s+content-encoding: gzip$/im, 'the server compressed the list');
  const plain = await runWith(adminWith({ 'disable-compression': true }, {}));
  t.is(plain.code, ExitCode.ok, plain.stderr);
  t.is(plain.stdout.trim(), expected);
  t.notRegex(plain.stderr, /Accept-Encoding/i);
  t.notRegex(plain.stderr, /content-encoding: gzip/i);
});

test('impersonation in the user entry: as, as-uid, as-groups, as-user-extra are what kubectl sends', async (t) => {
  await kubectlOk(['create', 'rolebinding', 'imp-team-view', '--clusterrole=view', '--group=imp-team', '-n', f.ns]);
  const impersonating = adminWith({}, { as: 'imp-jane', 'as-uid': 'uid-42', 'as-groups': ['imp-team'], 'as-user-extra': { reason: ['testing'] } });
  // kubectl says who that is.
  const whoami = JSON.parse(await kubectlOk(['--kubeconfig', impersonating, 'auth', 'whoami', '-o', 'json'])) as { status: { userInfo: { username: string; uid: string; groups: string[]; extra: Record<string, string[]> } } };
  t.is(whoami.status.userInfo.username, 'imp-jane');
  t.is(whoami.status.userInfo.uid, 'uid-42');
  t.true(whoami.status.userInfo.groups.includes('imp-team'));
  t.deepEqual(whoami.status.userInfo.extra, { reason: ['testing'] });
  // The group's rights let us list; without the group the same user is refused, by that name.
  const allowed = await run('lsres', ['--kubeconfig', impersonating, 'cm', '-n', f.ns, '-o', 'name'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(allowed.code, ExitCode.ok, allowed.stderr);
  t.is(allowed.stdout.trim().split('\n').length, 61, '60 ConfigMaps and kube-root-ca.crt');
  const userOnly = adminWith({}, { as: 'imp-jane' });
  const refused = await run('lsres', ['--kubeconfig', userOnly, 'cm', '-n', f.ns], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(refused.code, ExitCode.denied, refused.stderr);
  t.regex(refused.stderr, /^error: configmaps is forbidden: User "imp-jane" cannot list resource "configmaps"/m);
  const theirs = await kubectl(['--kubeconfig', userOnly, 'get', 'cm', '-n', f.ns]);
  t.is(theirs.code, 1);
  t.regex(theirs.stderr, /User "imp-jane" cannot list resource "configmaps"/);
});

test('client certificate files renewed while watchq runs: new connections use the new certificate', async (t) => {
  const pki = pkiFiles(clusterPaths().pki);
  const ca = { cert: pki.caCert, key: pki.caKey };
  const watchNs = await createNamespace('kc-cert-rotation');
  t.teardown(() => deleteNamespace(watchNs));
  await kubectlOk(['create', 'rolebinding', 'rot-a', '--clusterrole=view', '--user=rot-a', '-n', watchNs]);
  await kubectlOk(['create', 'rolebinding', 'rot-b', '--clusterrole=view', '--user=rot-b', '-n', watchNs]);
  const [a, b] = await Promise.all([
    issueClientCertificate(f.dir, 'rot-a', ca, { subject: '/CN=rot-a' }),
    issueClientCertificate(f.dir, 'rot-b', ca, { subject: '/CN=rot-b' }),
  ]);
  const certFile = path.join(f.dir, 'rot-client.crt');
  const keyFile = path.join(f.dir, 'rot-client.key');
  fs.copyFileSync(a.cert, certFile);
  fs.copyFileSync(a.key, keyFile);
  const url = new URL(f.server);
  const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
  await proxy.up();
  t.teardown(() => proxy.down());
  const config = adminWith({ server: `https://127.0.0.1:${proxy.port}` }, { 'client-certificate': certFile, 'client-key': keyFile }, true);
  const w = new WatchqProcess(['--kubeconfig', config, 'configmaps', '-n', watchNs, '-o', 'json', '-v=6'], pluginEnv(f.env));
  t.teardown(() => w.child.kill('SIGKILL'));
  await w.waitForSync();
  // Renew the files as cert-manager would (write new, rename over), then take rot-a's rights away.
  fs.copyFileSync(b.cert, `${certFile}.new`);
  fs.copyFileSync(b.key, `${keyFile}.new`);
  fs.renameSync(`${keyFile}.new`, keyFile);
  fs.renameSync(`${certFile}.new`, certFile);
  await kubectlOk(['delete', 'rolebinding', 'rot-a', '-n', watchNs]);
  proxy.cut();
  await kubectlOk(['create', 'configmap', 'after-renewal', '-n', watchNs]);
  await w.waitFor('the ConfigMap made after the renewal', () => w.events().some((e) => e.event === 'sync' && e.key === `${watchNs}/after-renewal`) || undefined, 60_000);
  t.notRegex(w.stderr, / 403 Forbidden in /, 'no request went out with the old certificate');
  t.is((await w.stop('SIGTERM')).code, 0);
});

test('a legacy oidc auth-provider: client-node is loaded from the executable (a lazy import) and sends the id-token', async (t) => {
  // An id-token that has not expired is used as is (no issuer is contacted); the API server does
  // not know the issuer, so it answers 401: the token was sent.
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const idToken = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://issuer.invalid', sub: 'oidc-user', aud: 'kubectl', exp: Math.floor(Date.now() / 1000) + 3600 })}.c2lnbmF0dXJl`;
  const config = adminWith({}, { 'auth-provider': { name: 'oidc', config: { 'id-token': idToken, 'idp-issuer-url': 'https://issuer.invalid', 'client-id': 'kubectl' } } }, true);
  const r = await run('lsres', ['--kubeconfig', config, 'cm', '-n', f.ns, '-v=7'], { env: pluginEnv(f.env), timeoutMs: 60_000 });
  t.is(r.code, ExitCode.denied, r.stderr);
  t.regex(r.stderr, /round_trippers\]\s+Authorization: Bearer <masked>$/m, 'the id-token was sent');
  t.regex(r.stderr, /^error: .*Unauthorized/m);
  t.false(r.stderr.includes(idToken) || r.stdout.includes(idToken), 'the id-token is never printed');
});
