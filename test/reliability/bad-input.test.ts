/**
 * Bad input, refused cleanly (issue 10): one table, each row a plugin, its arguments, stdin,
 * environment, the exit code of the common contract and what the one `error:` line says.
 * Every row also checks: no stack trace, nothing on stdout, at most one hint, no secret from the
 * fixtures printed, and nothing created in the test namespace (listed before and after).
 *
 * Notes on what is simulated and how:
 * - "unreadable kubeconfig": the tests run as root, which reads any file whatever its mode, so
 *   a directory stands where the file should be (EISDIR), by --kubeconfig and by KUBECONFIG.
 * - "expired client certificate": Node does not check its own client certificate; the API
 *   server's x509 authenticator rejects it and, with no other credential, answers 401 → exit 3.
 *   A certificate from a CA the cluster does not know is the same 401.
 * - "wrong CA" and "no CA" (the system roots) fail the TLS handshake → exit 5.
 * - "timeout": a TCP listener started here accepts and never answers; --request-timeout 1s.
 * - Rows against the real server run with a warm discovery cache (the list requests are what
 *   fails) unless marked cold (discovery is what fails).
 */
import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { clusterPaths } from '../../scripts/cluster/paths.ts';
import { pkiFiles } from '../../scripts/cluster/pki.ts';
import { ExitCode } from '../../shared/errors.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { brokenKubeconfigs, writeKubeconfig, type BrokenKubeconfigs } from '../helpers/kubeconfigs.ts';
import { waitFor } from '../helpers/wait.ts';
import { assertFailure, closeAdmin, exists, isolatedEnv, namespaceContents, pluginEnv, run, type IsolatedEnv, type PluginName } from './contract.ts';

interface Fixtures {
  dir: string;
  ns: string;
  admin: string;
  env: IsolatedEnv;
  broken: BrokenKubeconfigs;
  /** A kubeconfig for a server that accepts connections and never answers. */
  blackhole: string;
  /** A port a listener of ours holds (for --metrics-addr). */
  busyPort: number;
  /** The short name two CRDs of different groups share. */
  shortName: string;
  crds: string[];
  /** A namespace name only a manifest of a refused set would create. */
  manifestNamespace: string;
  files: Record<string, string>;
}

interface Case {
  title: string;
  plugin: PluginName;
  args: (f: Fixtures) => string[];
  stdin?: string;
  env?: (f: Fixtures) => NodeJS.ProcessEnv;
  /** An empty discovery cache, so discovery is the first request. */
  coldCache?: boolean;
  code: number;
  error: RegExp;
  /**
   * Run at -v=6 and check the request log: every failed request took this long (measured by
   * the plugin, so a loaded machine's slow process start-up does not count).
   */
  requestMs?: { min: number; max: number };
  /** Cluster-scoped objects (API paths) that must not exist afterwards. */
  absent?: (f: Fixtures) => string[];
}

let f: Fixtures;
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

/** The admin kubeconfig and the test namespace, then `rest`. */
const admin = (...rest: string[]) => (fx: Fixtures) => ['--kubeconfig', fx.admin, '-n', fx.ns, ...rest];
/** A kubeconfig from the fixtures and the test namespace, then `rest`. */
const using = (file: (fx: Fixtures) => string, ...rest: string[]) => (fx: Fixtures) => ['--kubeconfig', file(fx), '-n', fx.ns, ...rest];
/** A manifest fixture's path, in an args list (resolved once the fixtures exist). */
const manifest = (name: string) => `@manifest:${name}`;

const { config, usage, denied, notFound, api } = ExitCode;

const cases: Case[] = [
  // ---- Kubeconfig ----
  { title: 'kubeconfig: missing file (--kubeconfig)', plugin: 'lsres', args: using((x) => x.broken.missing), code: config, error: /^cannot read kubeconfig .*no-such\.kubeconfig: no such file$/ },
  {
    title: 'kubeconfig: none at all (KUBECONFIG names a missing file, no ~/.kube/config)',
    plugin: 'dynget',
    args: () => ['pods'],
    env: (x) => ({ KUBECONFIG: x.broken.missing }),
    code: config,
    error: /^no kubeconfig found and not running inside a cluster$/,
  },
  { title: 'kubeconfig: unreadable (a directory, --kubeconfig)', plugin: 'mkdeploy', args: using((x) => x.broken.directory, 'rel-x', '--image', 'nginx'), code: config, error: /^cannot read kubeconfig .*: is a directory$/ },
  { title: 'kubeconfig: unreadable (a directory, KUBECONFIG)', plugin: 'watchq', args: () => [], env: (x) => ({ KUBECONFIG: x.broken.directory }), code: config, error: /^cannot read kubeconfig .*: is a directory$/ },
  { title: 'kubeconfig: malformed YAML', plugin: 'dynget', args: using((x) => x.broken.malformedYaml, 'pods'), code: config, error: /^cannot parse kubeconfig .*malformed\.kubeconfig \(line \d+\): malformed YAML$/ },
  { title: 'kubeconfig: no current context', plugin: 'lsres', args: using((x) => x.broken.noCurrentContext), code: config, error: /^current-context is not set in the kubeconfig$/ },
  { title: 'kubeconfig: unknown --context', plugin: 'dynget', args: admin('--context', 'no-such-context', 'pods'), code: config, error: /^context "no-such-context" does not exist in the kubeconfig$/ },
  { title: 'kubeconfig: the context names an unknown cluster', plugin: 'mkdeploy', args: using((x) => x.broken.unknownCluster, 'rel-x', '--image', 'nginx'), code: config, error: /^cluster "ghost-cluster" does not exist in the kubeconfig$/ },
  { title: 'kubeconfig: the context names an unknown user', plugin: 'watchq', args: using((x) => x.broken.unknownUser), code: config, error: /^user "ghost-user" does not exist in the kubeconfig$/ },
  { title: 'kubeconfig: certificate-authority file missing', plugin: 'lsres', args: using((x) => x.broken.missingCaFile), code: config, error: /^cannot read certificate-authority file .*no-such-ca\.crt: ENOENT$/ },
  { title: 'kubeconfig: a server URL with an unusable scheme', plugin: 'dynget', args: using((x) => x.broken.badServerUrl, 'pods'), code: config, error: /^invalid server URL "ftp:\/\/127\.0\.0\.1:21" .*scheme must be https or http$/ },
  { title: 'TLS: wrong CA (lists fail)', plugin: 'lsres', args: using((x) => x.broken.wrongCa), code: config, error: /^unable to connect to the server https:\/\/127\.0\.0\.1:\d+: x509: certificate signed by unknown authority$/ },
  { title: 'TLS: wrong CA (discovery fails)', plugin: 'dynget', args: using((x) => x.broken.wrongCa, 'pods'), coldCache: true, code: config, error: /x509: certificate signed by unknown authority$/ },
  { title: 'TLS: no CA (the system roots do not know the cluster)', plugin: 'watchq', args: using((x) => x.broken.noCa), coldCache: true, code: config, error: /x509: certificate signed by unknown authority$/ },
  { title: 'credentials: expired client certificate (401)', plugin: 'lsres', args: using((x) => x.broken.expiredCertificate), code: denied, error: /Unauthorized/ },
  { title: 'credentials: client certificate from another CA (401)', plugin: 'dynget', args: using((x) => x.broken.foreignCertificate, 'deploy'), code: denied, error: /^You must be logged in to the server \(Unauthorized\)$/ },
  { title: 'credentials: invalid token (401), three types listed', plugin: 'lsres', args: using((x) => x.broken.invalidToken), code: denied, error: /^You must be logged in to the server \(Unauthorized\)$/ },
  { title: 'credentials: invalid token (401), nothing created', plugin: 'mkdeploy', args: using((x) => x.broken.invalidToken, 'rel-x', '--image', 'nginx'), code: denied, error: /^You must be logged in to the server \(Unauthorized\)$/ },
  { title: 'credentials: invalid token (401) before the first sync', plugin: 'watchq', args: using((x) => x.broken.invalidToken), code: denied, error: /Unauthorized/ },
  { title: 'server down (a free port)', plugin: 'lsres', args: using((x) => x.broken.serverDown), code: config, error: /^unable to connect to the server https:\/\/127\.0\.0\.1:\d+: connection refused$/ },
  { title: 'server down: watchq does not wait for it', plugin: 'watchq', args: using((x) => x.broken.serverDown), code: config, error: /connection refused$/ },
  { title: 'DNS failure', plugin: 'dynget', args: using((x) => x.broken.dnsFailure, 'pods'), code: config, error: /^unable to connect to the server https:\/\/no-such-host\.invalid:6443: (no such host|temporary failure in name resolution)$/ },
  { title: 'DNS failure, nothing created', plugin: 'mkdeploy', args: using((x) => x.broken.dnsFailure, '-f', manifest('good-a')), code: config, error: /^unable to connect to the server https:\/\/no-such-host\.invalid:6443/ },
  {
    title: 'timeout: --request-timeout 1s against a server that never answers',
    plugin: 'lsres',
    args: using((x) => x.blackhole, '--request-timeout', '1s', '-v=6'),
    code: config,
    error: /^unable to connect to the server https:\/\/127\.0\.0\.1:\d+: request timed out after 1s \(--request-timeout\)$/,
    requestMs: { min: 1000, max: 2000 },
  },
  { title: 'bad --request-timeout', plugin: 'dynget', args: admin('--request-timeout', 'soon', 'pods'), code: usage, error: /^Invalid timeout value\. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit \(e\.g\. 1s \| 2m \| 3h\)$/ },
  { title: 'bad -v', plugin: 'lsres', args: admin('-v', 'loud'), code: usage, error: /^invalid argument "loud" for "-v, --v" flag: strconv.ParseInt: parsing "loud": invalid syntax$/ },

  // ---- Flags ----
  { title: 'unknown flag (lsres)', plugin: 'lsres', args: admin('--bogus'), code: usage, error: /^unknown flag: --bogus$/ },
  { title: 'unknown shorthand flag (dynget)', plugin: 'dynget', args: admin('-Z', 'pods'), code: usage, error: /^unknown shorthand flag: 'Z' in -Z$/ },
  { title: 'bad -o (lsres)', plugin: 'lsres', args: admin('-o', 'xml'), code: usage, error: /^unable to match a printer suitable for the output format "xml"/ },
  { title: 'bad -o (watchq)', plugin: 'watchq', args: admin('-o', 'yaml'), code: usage, error: /^invalid output format "yaml": allowed values are text, json$/ },
  { title: '-o go-template that does not parse', plugin: 'lsres', args: admin('-o', 'go-template={{.kind'), code: usage, error: /^error parsing template \{\{\.kind, template: output:1: unclosed action$/ },
  { title: '--chunk-size fractional', plugin: 'lsres', args: admin('--chunk-size', '1.5'), code: usage, error: /^invalid argument "1\.5" for "--chunk-size" flag: strconv\.ParseInt: parsing "1\.5": invalid syntax$/ },
  { title: '--chunk-size negative', plugin: 'dynget', args: admin('pods', '--chunk-size=-5'), code: usage, error: /^invalid value -5 for --chunk-size/ },
  { title: 'bad --timeout', plugin: 'mkdeploy', args: admin('rel-x', '--image', 'nginx', '--wait', '--timeout', '5 minutes'), code: usage, error: /^invalid argument "5 minutes" for "--timeout" flag: time: unknown unit " minutes" in duration "5 minutes"$/ },
  { title: 'bad regex for --fail-on', plugin: 'watchq', args: admin('--fail-on', 'web-(['), code: usage, error: /^invalid --fail-on regular expression "web-\(\[": Invalid regular expression/ },
  { title: '--workers 0', plugin: 'watchq', args: admin('--workers', '0'), code: usage, error: /^invalid value 0 for --workers: must be a whole number ≥ 1$/ },
  { title: '--metrics-addr port in use', plugin: 'watchq', args: (x) => admin('--metrics-addr', `127.0.0.1:${x.busyPort}`)(x), code: usage, error: /^--metrics-addr 127\.0\.0\.1:\d+: cannot listen: address already in use$/ },
  { title: '--exec not found (on PATH)', plugin: 'watchq', args: admin('--exec', 'no-such-reconciler-cmd --all'), code: usage, error: /^--exec: no-such-reconciler-cmd: command not found$/ },

  // ---- Names ----
  { title: 'unknown type (lsres)', plugin: 'lsres', args: admin('pods,gizmos'), code: notFound, error: /^the server doesn't have a resource type "gizmos"$/ },
  { title: 'unknown type (watchq)', plugin: 'watchq', args: admin('gizmos'), code: notFound, error: /^the server doesn't have a resource type "gizmos"$/ },
  { title: 'invalid object name (mkdeploy)', plugin: 'mkdeploy', args: admin('Web_Server', '--image', 'nginx'), code: usage, error: /^invalid name "Web_Server": a lowercase RFC 1123 subdomain/ },
  { title: 'empty object name (dynget)', plugin: 'dynget', args: admin('services', ''), code: usage, error: /^invalid resource name "": may not be empty$/ },
  // A slash makes TYPE/NAME (kubectl's argument rules): never a path of its own.
  { title: 'object name with a slash (dynget)', plugin: 'dynget', args: admin('pods', '../../secrets'), code: usage, error: /^there is no need to specify a resource type as a separate argument when passing arguments in resource\/name form/ },
  { title: 'TYPE/NAME with a dot-dot name (dynget)', plugin: 'dynget', args: admin('pods/..'), code: usage, error: /^invalid resource name "\.\.": may not be '\.\.'|^invalid resource name "\.\.": / },
  { title: 'TYPE/NAME with two slashes (lsres)', plugin: 'lsres', args: admin('secrets/../x'), code: usage, error: /^arguments in resource\/name form may not have more than one slash$/ },
  { title: 'invalid image (whitespace)', plugin: 'mkdeploy', args: admin('rel-x', '--image', 'nginx latest'), code: usage, error: /^invalid --image "nginx latest": must be non-empty and contain no whitespace$/ },
  { title: 'negative replicas', plugin: 'mkdeploy', args: admin('rel-x', '--image', 'nginx', '--replicas=-1'), code: usage, error: /^invalid --replicas -1: must be a whole number ≥ 0$/ },
  { title: 'a namespace that does not exist', plugin: 'mkdeploy', args: (x) => ['--kubeconfig', x.admin, '-n', `${x.ns}-missing`, 'rel-x', '--image', 'nginx'], code: notFound, error: /^namespaces "[\w-]+-missing" not found$/ },

  // ---- Manifests (mkdeploy -f) ----
  { title: 'manifest: malformed YAML', plugin: 'mkdeploy', args: admin('-f', manifest('malformed')), code: usage, error: /malformed\.yaml: document 1 \(line \d+\): invalid YAML/ },
  { title: 'manifest: malformed YAML on stdin', plugin: 'mkdeploy', args: admin('-f', '-'), stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rel-x\n', code: usage, error: /^<stdin>: document 1 \(line \d+\): invalid YAML/ },
  { title: 'manifest: JSON with trailing garbage', plugin: 'mkdeploy', args: admin('-f', manifest('trailing')), code: usage, error: /trailing\.json: document 2 \(line 1\): invalid YAML: / },
  { title: 'manifest: missing apiVersion', plugin: 'mkdeploy', args: admin('-f', manifest('no-api-version')), code: usage, error: /no-api-version\.yaml: document 1 \(line 1\): apiVersion not set$/ },
  { title: 'manifest: missing kind', plugin: 'mkdeploy', args: admin('-f', manifest('no-kind')), code: usage, error: /no-kind\.yaml: document 2 \(line \d+\): kind not set$/ },
  { title: 'manifest: missing metadata.name', plugin: 'mkdeploy', args: admin('-f', manifest('no-name')), code: usage, error: /no-name\.yaml: document 1 \(line 1\): ConfigMap has no metadata\.name or metadata\.generateName$/ },
  { title: 'manifest: unknown kind', plugin: 'mkdeploy', args: admin('-f', manifest('unknown-kind')), code: notFound, error: /unknown-kind\.yaml: document 2 \(line \d+\): no matches for kind "Gizmo" in version "example\.com\/v1"$/ },
  { title: 'manifest: a 10 MB document', plugin: 'mkdeploy', args: admin('-f', manifest('big')), code: usage, error: /big\.yaml: \d+ bytes is more than the 8 MiB a manifest may have$/ },
  {
    title: 'manifest: a directory with one bad file among good ones (namespace and CRD too)',
    plugin: 'mkdeploy',
    args: admin('-f', manifest('dir-bad-yaml')),
    code: usage,
    error: /dir-bad-yaml\/b-bad\.yaml: document 1 \(line \d+\): invalid YAML/,
    absent: (x) => [`/api/v1/namespaces/${x.manifestNamespace}`, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/sprockets.${x.manifestNamespace}.example.com`],
  },
  {
    title: 'manifest: a directory with one unknown kind among good ones',
    plugin: 'mkdeploy',
    args: admin('-f', manifest('dir-unknown-kind')),
    code: notFound,
    error: /no matches for kind "Gizmo"/,
    absent: (x) => [`/api/v1/namespaces/${x.manifestNamespace}`],
  },
  { title: 'manifest: one object the server refuses (invalid name) among good ones', plugin: 'mkdeploy', args: admin('-f', manifest('dir-rejected')), code: api, error: /^error when creating ".*c-rejected\.yaml" \(document 1, line 1\): ConfigMap "Bad_Name" is invalid/ },
  { title: 'manifest: stdin closed early (empty)', plugin: 'mkdeploy', args: admin('-f', '-'), stdin: '', code: usage, error: /^<stdin>: no input \(was standard input closed early\?\)$/ },
  { title: 'manifest: stdin closed mid-document', plugin: 'mkdeploy', args: admin('-f', '-'), stdin: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "rel-cut', code: usage, error: /^<stdin>: document 1 \(line \d+\): invalid YAML/ },
];

function resolveArgs(c: Case, fx: Fixtures): string[] {
  return c.args(fx).map((a) => (a.startsWith('@manifest:') ? fx.files[a.slice('@manifest:'.length)]! : a));
}

test.before(async () => {
  const cluster = await ensureCluster();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-bad-input-'));
  const ns = await createNamespace('reliability-bad-input');
  const suffix = ns.slice(-6);
  const pki = pkiFiles(clusterPaths().pki);

  // Two CRDs in different groups claiming one short name.
  const shortName = `amb${suffix}`;
  const crds = ['a', 'b'].map((g) => `widgets.rel-${g}-${suffix}.example.com`);
  const crdYaml = crds
    .map((name) => {
      const group = name.slice('widgets.'.length);
      return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${name}}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [${shortName}]}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
    })
    .join('---\n');

  const [broken] = await Promise.all([
    brokenKubeconfigs(path.join(dir, 'kubeconfigs'), { server: cluster.server, caFile: cluster.caFile, caKey: pki.caKey }),
    kubectlOk(['apply', '-f', '-'], { input: crdYaml }).then(() => kubectlOk(['wait', '--for', 'condition=Established', '--timeout', '60s', ...crds.map((c) => `crd/${c}`)])),
    // The controller-manager adds this ConfigMap soon after the namespace: not ours to count.
    waitFor('kube-root-ca.crt', async () => ((await kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', ns])).code === 0 ? true : undefined)),
  ]);

  // A server that accepts connections and never says a word.
  const blackholeServer = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const busy = net.createServer();
  for (const s of [blackholeServer, busy]) {
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    servers.push(s);
  }
  const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;
  const blackhole = writeKubeconfig(path.join(dir, 'kubeconfigs'), 'blackhole.kubeconfig', {
    server: `https://127.0.0.1:${portOf(blackholeServer)}`,
    caFile: cluster.caFile,
    user: { token: broken.secrets.token },
  });

  const manifestNamespace = `rel-ns-${suffix}`;
  const files = writeManifests(path.join(dir, 'manifests'), manifestNamespace);
  f = { dir, ns, admin: cluster.kubeconfig, env: isolatedEnv(dir), broken, blackhole, busyPort: portOf(busy), shortName, crds, manifestNamespace, files };

  // Warm the discovery cache (the CRDs included): rows against the real server list, not discover.
  const warm = await run('lsres', ['--kubeconfig', f.admin, '-n', ns], { env: pluginEnv(f.env) });
  if (warm.code !== 0) throw new Error(`warming the discovery cache failed: ${warm.stderr}`);
});

test.after.always(async () => {
  for (const socket of sockets) socket.destroy();
  for (const s of servers) s.close();
  await closeAdmin();
  if (!f) return;
  await kubectl(['delete', 'crd', ...f.crds, '--wait=false', '--ignore-not-found']);
  await deleteNamespace(f.ns);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

test('the table has at least 40 cases and covers every plugin', (t) => {
  t.true(cases.length >= 40, `${cases.length} cases`);
  t.deepEqual(new Set(cases.map((c) => c.plugin)), new Set(['lsres', 'dynget', 'mkdeploy', 'watchq']));
  t.is(new Set(cases.map((c) => c.title)).size, cases.length, 'titles are unique');
});

for (const c of cases) {
  test(`${c.plugin}: ${c.title} → exit ${c.code}`, async (t) => {
    const env = pluginEnv(c.coldCache ? isolatedEnv(fs.mkdtempSync(path.join(f.dir, 'cold-'))) : f.env, c.env?.(f) ?? {});
    const args = resolveArgs(c, f);
    const before = await namespaceContents(f.ns);
    const r = await run(c.plugin, args, { env, input: c.stdin ?? '', timeoutMs: 60_000 });
    const requestLog = r.stderr.split('\n').filter((l) => /^I\d{4} /.test(l));
    const stderr = c.requestMs ? r.stderr.split('\n').filter((l) => !/^I\d{4} /.test(l)).join('\n') : r.stderr;
    assertFailure(t, { ...r, stderr }, { code: c.code, error: c.error }, [f.broken.secrets.token, f.broken.secrets.password]);
    if (c.requestMs) {
      const took = requestLog.map((l) => Number(l.match(/ in (\d+) milliseconds \(/)?.[1] ?? NaN));
      t.true(took.length > 0, `no failed request in the log:\n${r.stderr}`);
      for (const ms of took) t.true(ms >= c.requestMs.min && ms <= c.requestMs.max, `a request failed after ${ms} ms, not ${c.requestMs.min}–${c.requestMs.max}`);
    }
    t.deepEqual(await namespaceContents(f.ns), before, 'nothing created in the namespace');
    for (const object of c.absent?.(f) ?? []) t.false(await exists(object), `${object} was created`);
  });
}

/** The manifest fixtures: name → file or directory. */
function writeManifests(dir: string, manifestNamespace: string): Record<string, string> {
  const put = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: sprockets.${manifestNamespace}.example.com}
spec:
  group: ${manifestNamespace}.example.com
  scope: Namespaced
  names: {plural: sprockets, singular: sprocket, kind: Sprocket}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
  const namespace = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${manifestNamespace}\n`;
  const deployment = (name: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;

  put('dir-bad-yaml/a-good.yaml', `${namespace}---\n${crd}---\n${configMap('rel-dir-a')}`);
  put('dir-bad-yaml/b-bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rel-dir-b\n');
  put('dir-bad-yaml/c-good.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rel-dir-c' } }));
  put('dir-unknown-kind/a-namespace.yaml', namespace);
  put('dir-unknown-kind/b-good.yaml', configMap('rel-unknown-b'));
  put('dir-unknown-kind/c-gizmo.yaml', 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: rel-gizmo\n');
  put('dir-rejected/a-good.yaml', configMap('rel-rejected-a'));
  put('dir-rejected/b-good.yaml', deployment('rel-rejected-b'));
  put('dir-rejected/c-rejected.yaml', configMap('Bad_Name'));
  put('dir-empty/README.md', 'no manifests here\n');
  return {
    'good-a': put('good-a.yaml', configMap('rel-good-a')),
    malformed: put('malformed.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [rel-x\n'),
    trailing: put('trailing.json', `${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rel-trailing' } })} }garbage\n`),
    'no-api-version': put('no-api-version.yaml', 'kind: ConfigMap\nmetadata:\n  name: rel-no-api\n'),
    'no-kind': put('no-kind.yaml', `${configMap('rel-first-is-fine')}---\napiVersion: v1\nmetadata:\n  name: rel-no-kind\n`),
    'no-name': put('no-name.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n'),
    'unknown-kind': put('unknown-kind.yaml', `${configMap('rel-before-gizmo')}---\napiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: rel-gizmo\n`),
    big: put('big.yaml', `${configMap('rel-big')}  blob: "${'x'.repeat(10 * 1024 * 1024)}"\n`),
    'dir-bad-yaml': path.join(dir, 'dir-bad-yaml'),
    'dir-unknown-kind': path.join(dir, 'dir-unknown-kind'),
    'dir-rejected': path.join(dir, 'dir-rejected'),
    'dir-empty': path.join(dir, 'dir-empty'),
  };
}
