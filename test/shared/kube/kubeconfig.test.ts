import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKubeconfig } from '../../../shared/kube/kubeconfig.ts';
import { loadRestConfig } from '../../../shared/kube/rest-config.ts';
import { ConfigError } from '../../../shared/errors.ts';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-test-'));
}

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const first = `
clusters:
- name: shared
  cluster: {server: "https://first:6443", certificate-authority: ca.crt}
- name: only-first
  cluster: {server: "https://only-first:6443"}
users:
- name: u
  user: {token: first-token}
contexts:
- name: ctx
  context: {cluster: shared, user: u, namespace: team-a}
current-context: ctx
`;
const second = `
clusters:
- name: shared
  cluster: {server: "https://second:6443"}
- name: only-second
  cluster: {server: "https://only-second:6443"}
users:
- name: u
  user: {token: second-token}
contexts:
- name: ctx
  context: {cluster: only-second, user: u}
- name: other
  context: {cluster: only-second, user: u}
current-context: other
`;

test('KUBECONFIG files merge with the first file winning, duplicates allowed', (t) => {
  const dir = tmpdir();
  const a = write(dir, 'a', first);
  const b = write(dir, 'b', second);
  const merged = loadKubeconfig({ env: { KUBECONFIG: `${a}${path.delimiter}${b}` } })!;
  t.is(merged.currentContext, 'ctx');
  t.is(merged.clusters.get('shared')?.server, 'https://first:6443');
  t.is(merged.clusters.get('only-second')?.server, 'https://only-second:6443');
  t.is(merged.users.get('u')?.token, 'first-token');
  t.is(merged.contexts.get('ctx')?.cluster, 'shared');
  t.true(merged.contexts.has('other'));
  t.is(merged.clusters.get('shared')?.['certificate-authority'], path.join(dir, 'ca.crt'), 'relative paths resolve against the file');
});

test('a missing file in KUBECONFIG is skipped; an explicit missing file is an error', (t) => {
  const dir = tmpdir();
  const a = write(dir, 'a', first);
  const merged = loadKubeconfig({ env: { KUBECONFIG: `${path.join(dir, 'missing')}${path.delimiter}${a}` } });
  t.deepEqual(merged?.files, [a]);
  const error = t.throws(() => loadKubeconfig({ explicitPath: path.join(dir, 'missing') }), { instanceOf: ConfigError });
  t.regex(error.message, /no such file/);
});

test('malformed YAML is a config error naming the file', (t) => {
  const dir = tmpdir();
  const bad = write(dir, 'bad', 'clusters: [\n  - name: x\n  cluster: {');
  const error = t.throws(() => loadKubeconfig({ explicitPath: bad }), { instanceOf: ConfigError });
  t.true(error.message.includes(bad));
  t.is(error.exitCode, 5);
});

test('context, cluster, user and namespace follow kubectl precedence', (t) => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'ca.crt'), 'CA');
  const a = write(dir, 'a', first);
  const b = write(dir, 'b', second);
  const env = { KUBECONFIG: `${a}${path.delimiter}${b}` };
  const base = loadRestConfig({}, { env });
  t.is(base.server, 'https://first:6443');
  t.is(base.namespace, 'team-a');
  t.is(base.token, 'first-token');
  t.is(base.ca?.toString(), 'CA');
  const other = loadRestConfig({ context: 'other', namespace: 'ns1' }, { env });
  t.is(other.server, 'https://only-second:6443');
  t.is(other.namespace, 'ns1');
  const noNs = loadRestConfig({ context: 'other' }, { env });
  t.is(noNs.namespace, 'default');
  t.is(loadRestConfig({ cluster: 'only-first' }, { env }).server, 'https://only-first:6443');
});

const failures: Array<[string, Record<string, string>, RegExp]> = [
  ['unknown context', { context: 'nope' }, /context "nope" does not exist/],
  ['unknown cluster', { cluster: 'nope' }, /cluster "nope" does not exist/],
  ['unknown user', { user: 'nope' }, /user "nope" does not exist/],
];
for (const [name, flags, message] of failures) {
  test(`${name} is exit 5`, (t) => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'ca.crt'), 'CA');
    const a = write(dir, 'a', first);
    const error = t.throws(() => loadRestConfig(flags, { env: { KUBECONFIG: a } }), { instanceOf: ConfigError });
    t.regex(error.message, message);
  });
}

test('no current context is a config error with a hint', (t) => {
  const dir = tmpdir();
  const a = write(dir, 'a', 'clusters: []\ncontexts:\n- name: x\n  context: {cluster: c}\n');
  const error = t.throws(() => loadRestConfig({}, { env: { KUBECONFIG: a } }), { instanceOf: ConfigError });
  t.regex(error.message, /current-context is not set/);
  t.truthy(error.hint);
});

test('in-cluster config: token file, CA and namespace from the ServiceAccount directory', (t) => {
  const sa = tmpdir();
  fs.writeFileSync(path.join(sa, 'token'), 'sa-token\n');
  fs.writeFileSync(path.join(sa, 'ca.crt'), 'CA');
  fs.writeFileSync(path.join(sa, 'namespace'), 'pods-ns');
  const home = tmpdir();
  const config = loadRestConfig({}, { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: home, serviceAccountDir: sa });
  t.is(config.server, 'https://10.0.0.1:443');
  t.is(config.tokenFile, path.join(sa, 'token'));
  t.is(config.namespace, 'pods-ns');
  t.is(loadRestConfig({ namespace: 'x' }, { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: home, serviceAccountDir: sa }).namespace, 'x');
});

test('no kubeconfig and not in a cluster is exit 5 with a hint', (t) => {
  const error = t.throws(() => loadRestConfig({}, { env: {}, homeDir: tmpdir() }), { instanceOf: ConfigError });
  t.regex(error.message, /no kubeconfig found/);
});
