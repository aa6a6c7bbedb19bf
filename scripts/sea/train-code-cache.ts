/**
 * The code cache an executable starts with (sea-main.ts): V8's cache of the plugin's bundle made
 * after running the plugin's everyday call once (train-main.ts), so that call's functions are
 * compiled at build time, not on every start (10–20 ms of `dynget aiops`); a TAB of completion is
 * trained in the same process.
 *
 * The training call talks to a stand-in API server on 127.0.0.1 (plain HTTP, a namespace of two
 * objects per type, lists and server-side Tables) with a kubeconfig and discovery cache of its own
 * in a temporary directory, and a clean environment: nothing of the build machine's kubeconfig,
 * cluster or variables is read, and a cache holds compiled code only, never data. The run must
 * succeed, or the build fails. The executables are tested against the real cluster; this server
 * only warms the code.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskCache, discoveryCacheDir } from '../../shared/discovery/disk-cache.ts';
import type { GroupDiscoveryList } from '../../shared/discovery/aggregated.ts';
import { v8Flags } from './sea.ts';
import { repoRoot } from './targets.ts';

/**
 * Each plugin's everyday calls, run one after another in one process: the command and a TAB of
 * completion (plugins not named here train on `--help` and a TAB).
 */
export const trainingCalls: Record<string, string[][]> = {
  lsres: [['-n', 'training'], ['__complete', '']],
  dynget: [['aiops', '-n', 'training'], ['__complete', '']],
  mkdeploy: [['web', '--image', 'nginx', '--port', '80', '--dry-run=client', '-o', 'yaml'], ['__complete', '--']],
};

export const callsOf = (plugin: string): string[][] => trainingCalls[plugin] ?? [['--help'], ['__complete', '']];

interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  shortNames?: string[];
}

const resources: ResourceInfo[] = [
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', singular: 'pod', shortNames: ['po'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', singular: 'service', shortNames: ['svc'] },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', singular: 'configmap', shortNames: ['cm'] },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', singular: 'namespace', shortNames: ['ns'] },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', singular: 'deployment', shortNames: ['deploy'] },
  { group: 'aiops.org', version: 'v1alpha1', resource: 'myresources', kind: 'AIOps', singular: 'myresource', shortNames: ['myres'] },
];

/** Aggregated discovery (apidiscovery.k8s.io/v2) for `/api` (the core group) or `/apis`. */
export function trainingDiscovery(core: boolean): GroupDiscoveryList {
  const groups = [...new Set(resources.filter((r) => (r.group === '') === core).map((r) => r.group))];
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((group) => ({
      metadata: group === '' ? {} : { name: group },
      versions: [
        {
          version: resources.find((r) => r.group === group)!.version,
          freshness: 'Current',
          resources: resources
            .filter((r) => r.group === group)
            .map((r) => ({
              resource: r.resource,
              responseKind: { group: '', version: '', kind: r.kind },
              scope: r.resource === 'namespaces' ? 'Cluster' : 'Namespaced',
              singularResource: r.singular,
              verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
              ...(r.shortNames ? { shortNames: r.shortNames } : {}),
            })),
        },
      ],
    })),
  } as unknown as GroupDiscoveryList;
}

/** A list of two objects, as a server-side Table when asked for one. */
function list(info: ResourceInfo, namespace: string, accept: string): unknown {
  const objects = ['alpha', 'beta'].map((name, i) => ({
    apiVersion: info.group === '' ? info.version : `${info.group}/${info.version}`,
    kind: info.kind,
    metadata: { name, namespace, uid: `00000000-0000-4000-8000-00000000000${i}`, resourceVersion: String(10 + i), creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: name } },
  }));
  if (!accept.includes('as=Table')) return { apiVersion: objects[0]!.apiVersion, kind: `${info.kind}List`, metadata: { resourceVersion: '12' }, items: objects };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '12' },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
      { name: 'Ready', type: 'string', format: '', description: 'Ready', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'Age', priority: 0 },
      { name: 'Labels', type: 'string', format: '', description: 'Labels', priority: 1 },
    ],
    rows: objects.map((o) => ({ cells: [o.metadata.name, '1/1', '5m', `app=${o.metadata.name}`], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } })),
  };
}

function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean);
    // /api/v1/[namespaces/NS/]RESOURCE or /apis/GROUP/VERSION/[namespaces/NS/]RESOURCE
    const [group, rest] = parts[0] === 'api' ? ['', parts.slice(2)] : [parts[1] ?? '', parts.slice(3)];
    const namespace = rest[0] === 'namespaces' && rest.length > 2 ? rest[1]! : '';
    const info = resources.find((r) => r.group === group && r.resource === (namespace ? rest[2] : rest[0]));
    const body = info && req.method === 'GET' ? list(info, namespace || 'training', String(req.headers.accept ?? '')) : undefined;
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${url.pathname} not found` }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export interface TrainOptions {
  plugin: string;
  /** The plugin's bundle (dist/bundle/kubectl-<name>.cjs). */
  bundle: string;
  /** Where the cache goes. */
  output: string;
  /** The Node to train with: the one whose binary the executable is made of. */
  node: string;
}

/** Runs the plugin's training call and writes its code cache to `output`. */
export async function trainCodeCache(o: TrainOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kubectl-plugins-train-'));
  const server = await startServer();
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: training', '  cluster:', `    server: ${url}`, 'users:', '- name: training', '  user:', '    token: training', 'contexts:', '- name: training', '  context:', '    cluster: training', '    user: training', '    namespace: training', 'current-context: training', ''].join('\n'),
    );
    const cache = createDiskCache(discoveryCacheDir(join(dir, 'cache'), new URL(url).host));
    await cache.write('api', { document: trainingDiscovery(true) });
    await cache.write('apis', { document: trainingDiscovery(false) });
    const calls = callsOf(o.plugin);
    const env = { PATH: process.env['PATH'] ?? '', HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache'), NO_COLOR: '1' };
    const { code, stderr } = await run(o.node, [...v8Flags, join(repoRoot, 'scripts', 'sea', 'train-main.ts'), o.bundle, o.output, JSON.stringify(calls)], env, dir);
    if (code !== 0) throw new Error(`training ${o.plugin} exited ${code}: ${stderr.trim()}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}
