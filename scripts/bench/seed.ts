/**
 * What the bench lists, created in its own namespaces through the project's own transport
 * (shared/kube), many requests at once:
 *
 * - `bench-lsres`: 1,000 pods (997 bare pods + 3 Deployments of one replica) and 3 Services;
 * - `bench-cm-00` … `bench-cm-09`: 1,000 ConfigMaps each (10,000 in all, for `lsres cm -A`);
 * - `bench-dynget`: the seed CRD (test/fixtures/seed/crd.yaml) and its object (resource.yml).
 *
 * The pods run on a Node of our own (`bench-kwok-node`, managed by kwok like the cluster's fake
 * Nodes, room for 1,100 pods) with a NoSchedule taint that only our pods tolerate: the cluster's
 * two fake Nodes hold 250 pods each, and filling them would starve the tests that share the
 * cluster. Bare pods are bound to it by `nodeName`, so the scheduler has nothing to do.
 *
 * Everything carries the label `kubectl-plugins/bench=seed` and has a fixed name, so a second run
 * counts what is there and creates only what is missing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { fakeNode } from '../cluster/nodes.ts';
import { createRestClient } from '../../shared/kube/rest-client.ts';
import { loadRestConfig } from '../../shared/kube/rest-config.ts';
import type { Transport } from '../../shared/kube/transport.ts';

export const seedLabelKey = 'kubectl-plugins/bench';
export const seedLabel = `${seedLabelKey}=seed`;
export const benchNode = 'bench-kwok-node';

export interface SeedPlan {
  lsresNamespace: string;
  pods: number;
  deployments: number;
  services: number;
  configMapNamespaces: string[];
  configMapsPerNamespace: number;
  dyngetNamespace: string;
  /** Concurrent requests while creating. */
  concurrency: number;
}

export const defaultSeedPlan: SeedPlan = {
  lsresNamespace: 'bench-lsres',
  pods: 1_000,
  deployments: 3,
  services: 3,
  configMapNamespaces: Array.from({ length: 10 }, (_, i) => `bench-cm-${String(i).padStart(2, '0')}`),
  configMapsPerNamespace: 1_000,
  dyngetNamespace: 'bench-dynget',
  concurrency: 32,
};

export interface SeedReport {
  /** Objects created by this run, by kind (0 everywhere when reused). */
  created: Record<string, number>;
  /** Objects found already there. */
  reused: Record<string, number>;
  millis: number;
}

const fixtures = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'seed');
const metadataAccept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

export function benchTransport(kubeconfig: string): Transport {
  return createRestClient(loadRestConfig({ kubeconfig }), { userAgent: 'kubectl-plugins-bench' });
}

export async function seed(transport: Transport, plan: SeedPlan, log: (line: string) => void): Promise<SeedReport> {
  const started = performance.now();
  const report: SeedReport = { created: {}, reused: {}, millis: 0 };
  const count = (kind: string, created: number, reused: number) => {
    report.created[kind] = (report.created[kind] ?? 0) + created;
    report.reused[kind] = (report.reused[kind] ?? 0) + reused;
  };
  const api = new Api(transport);

  await Promise.all([plan.lsresNamespace, ...plan.configMapNamespaces, plan.dyngetNamespace].map((ns) => ensureNamespace(api, ns)));
  await ensureBenchNode(api, log);

  // Pods (bare ones bound to our node), Deployments and Services in the lsres namespace.
  const ns = plan.lsresNamespace;
  const bare = plan.pods - plan.deployments;
  const podNames = range(bare, (i) => `pod-${String(i).padStart(4, '0')}`);
  const deployNames = range(plan.deployments, (i) => `web-${i}`);
  const serviceNames = range(plan.services, (i) => `svc-${i}`);
  await waitForServiceAccount(api, ns);
  const podsMissing = await missing(api, `/api/v1/namespaces/${ns}/pods`, podNames);
  const deploysMissing = await missing(api, `/apis/apps/v1/namespaces/${ns}/deployments`, deployNames);
  const servicesMissing = await missing(api, `/api/v1/namespaces/${ns}/services`, serviceNames);
  if (podsMissing.length > 0) log(`seed: creating ${podsMissing.length} pods in ${ns}…`);
  await pool(podsMissing, plan.concurrency, (name, i) => api.create(`/api/v1/namespaces/${ns}/pods`, barePod(name, i)));
  await pool(deploysMissing, plan.concurrency, (name) => api.create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name)));
  await pool(servicesMissing, plan.concurrency, (name, i) => api.create(`/api/v1/namespaces/${ns}/services`, service(name, deployNames[i % deployNames.length]!)));
  count('pods', podsMissing.length, bare - podsMissing.length);
  count('deployments', deploysMissing.length, plan.deployments - deploysMissing.length);
  count('services', servicesMissing.length, plan.services - servicesMissing.length);

  // ConfigMaps, every namespace at once.
  const cmNames = range(plan.configMapsPerNamespace, (i) => `cm-${String(i).padStart(5, '0')}`);
  const cmMissing = (
    await Promise.all(plan.configMapNamespaces.map(async (cns) => (await missing(api, `/api/v1/namespaces/${cns}/configmaps`, cmNames)).map((name) => ({ ns: cns, name }))))
  ).flat();
  const cmTotal = plan.configMapNamespaces.length * plan.configMapsPerNamespace;
  if (cmMissing.length > 0) {
    log(`seed: creating ${cmMissing.length} ConfigMaps in ${plan.configMapNamespaces.length} namespaces (${plan.concurrency} at once)…`);
    const t = performance.now();
    await pool(cmMissing, plan.concurrency, ({ ns: cns, name }, i) => api.create(`/api/v1/namespaces/${cns}/configmaps`, configMap(name, i)));
    log(`seed: ${cmMissing.length} ConfigMaps in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  count('configmaps', cmMissing.length, cmTotal - cmMissing.length);

  // The seed CRD and its object.
  const crd = parse(await readFile(join(fixtures, 'crd.yaml'), 'utf8')) as KubeObject;
  const crdName = crd.metadata.name;
  const crdCreated = await api.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  await waitUntil(`CRD ${crdName} to be established`, 60_000, async () => {
    const got = await api.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`);
    return got?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
  });
  count('customresourcedefinitions', crdCreated ? 1 : 0, crdCreated ? 0 : 1);
  const object = parse(await readFile(join(fixtures, 'resource.yml'), 'utf8')) as KubeObject;
  const [group, version] = String(object['apiVersion']).split('/');
  const plural = (crd['spec'] as { names: { plural: string } }).names.plural;
  object.metadata.labels = { ...(object.metadata.labels ?? {}), [seedLabelKey]: 'seed' };
  // Right after the CRD is Established the endpoint may still answer 404 for a moment.
  let objectCreated = false;
  await waitUntil(`the ${crd.metadata.name} endpoint`, 30_000, async () => {
    try {
      objectCreated = await api.create(`/apis/${group}/${version}/namespaces/${plan.dyngetNamespace}/${plural}`, object);
      return true;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  });
  count(plural, objectCreated ? 1 : 0, objectCreated ? 0 : 1);

  await waitForPodsRunning(api, ns, plan.pods, log);
  report.millis = performance.now() - started;
  return report;
}

/**
 * Deletes what `seed` made: the bench namespaces (and everything in them) and the bench Node.
 * The seed CRD stays: the dynget tests use the same one.
 */
export async function removeSeed(transport: Transport, plan: SeedPlan, log: (line: string) => void): Promise<void> {
  const targets = [plan.lsresNamespace, ...plan.configMapNamespaces, plan.dyngetNamespace].map((ns) => `/api/v1/namespaces/${ns}`);
  targets.push(`/api/v1/nodes/${benchNode}`);
  for (const path of targets) {
    const res = await transport.request({ method: 'DELETE', path });
    if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new HttpError('DELETE', path, res.status, res.body);
    if (res.status !== 404) log(`deleted ${path}`);
  }
}

interface KubeObject {
  metadata: { name: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

class HttpError extends Error {
  readonly status: number;
  constructor(method: string, path: string, status: number, body: Buffer) {
    super(`${method} ${path}: HTTP ${status}: ${body.toString('utf8').slice(0, 300)}`);
    this.status = status;
  }
}

/** JSON over the transport, with retries for the answers a busy API server gives (429, 5xx). */
class Api {
  private readonly transport: Transport;
  constructor(transport: Transport) {
    this.transport = transport;
  }

  async get<T>(path: string, accept = 'application/json'): Promise<T | undefined> {
    const res = await this.send('GET', path, undefined, accept);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new HttpError('GET', path, res.status, res.body);
    return JSON.parse(res.body.toString('utf8')) as T;
  }

  /** POSTs `body`; true if created, false if it was already there. */
  async create(path: string, body: unknown): Promise<boolean> {
    const res = await this.send('POST', path, JSON.stringify(body));
    if (res.status === 201 || res.status === 200 || res.status === 202) return true;
    if (res.status === 409) return false;
    throw new HttpError('POST', path, res.status, res.body);
  }

  private async send(method: 'GET' | 'POST', path: string, body?: string, accept = 'application/json') {
    for (let attempt = 0; ; attempt++) {
      const res = await this.transport.request({
        method,
        path,
        headers: { Accept: accept, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body }),
      });
      const retry = res.status === 429 || res.status === 500 || res.status === 503 || res.status === 504;
      if (!retry || attempt >= 8) return res;
      const after = Number(res.headers['retry-after']);
      await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : 100 * 2 ** attempt);
    }
  }
}

async function ensureNamespace(api: Api, name: string): Promise<void> {
  await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [seedLabelKey]: 'seed' } } });
}

/** Pods are refused until the namespace's `default` ServiceAccount exists. */
async function waitForServiceAccount(api: Api, ns: string): Promise<void> {
  await waitUntil(`the default ServiceAccount in ${ns}`, 30_000, async () => (await api.get(`/api/v1/namespaces/${ns}/serviceaccounts/default`)) !== undefined);
}

async function ensureBenchNode(api: Api, log: (line: string) => void): Promise<void> {
  const node = fakeNode(benchNode) as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown>; status: Record<string, unknown> };
  node.metadata.labels[seedLabelKey] = 'seed';
  node.spec['taints'] = [{ key: seedLabelKey, value: 'seed', effect: 'NoSchedule' }];
  const resources = { cpu: '1000', memory: '4Ti', pods: '1100' };
  node.status = { allocatable: resources, capacity: resources };
  if (await api.create('/api/v1/nodes', node)) log(`seed: created Node ${benchNode} (kwok, tainted ${seedLabelKey}=seed:NoSchedule)`);
  await waitUntil(`Node ${benchNode} to be Ready`, 60_000, async () => {
    const got = await api.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(`/api/v1/nodes/${benchNode}`);
    return got?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  });
}

const toleration = { key: seedLabelKey, operator: 'Equal', value: 'seed', effect: 'NoSchedule' };
const container = (i: number) => ({
  name: 'app',
  image: 'registry.k8s.io/pause:3.10',
  ports: [{ containerPort: 8080 + (i % 3) }],
  resources: { requests: { cpu: '1m', memory: '1Mi' } },
});

function barePod(name: string, i: number): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { [seedLabelKey]: 'seed', tier: `bare-${i % 10}` } },
    spec: { nodeName: benchNode, tolerations: [toleration], automountServiceAccountToken: false, containers: [container(i)] },
  };
}

function deployment(name: string): object {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { ...labels, [seedLabelKey]: 'seed' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, [seedLabelKey]: 'seed' } },
        spec: { nodeSelector: { 'kubernetes.io/hostname': benchNode }, tolerations: [toleration], automountServiceAccountToken: false, containers: [container(0)] },
      },
    },
  };
}

function service(name: string, app: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { [seedLabelKey]: 'seed' } },
    spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

function configMap(name: string, i: number): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { [seedLabelKey]: 'seed', shard: String(i % 16) } },
    data: { 'app.properties': `name=${name}\nreplicas=${1 + (i % 5)}\nlog.level=info\n`, index: String(i) },
  };
}

/** The names of `wanted` not present (by name) in the collection at `path`. */
async function missing(api: Api, path: string, wanted: string[]): Promise<string[]> {
  const present = new Set<string>();
  let token: string | undefined;
  do {
    const query = `?labelSelector=${encodeURIComponent(seedLabel)}&limit=5000${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const page = await api.get<{ metadata?: { continue?: string }; items?: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }>(path + query, metadataAccept);
    for (const item of page?.items ?? []) if (!item.metadata.deletionTimestamp) present.add(item.metadata.name);
    token = page?.metadata?.continue || undefined;
  } while (token);
  return wanted.filter((name) => !present.has(name));
}

/** kwok moves our pods to Running quickly; wait for that so every run lists the same thing. */
async function waitForPodsRunning(api: Api, ns: string, want: number, log: (line: string) => void): Promise<void> {
  let last = -1;
  await waitUntil(`${want} pods in ${ns} to be Running`, 180_000, async () => {
    const list = await api.get<{ items: Array<{ status?: { phase?: string } }> }>(`/api/v1/namespaces/${ns}/pods`);
    const running = (list?.items ?? []).filter((p) => p.status?.phase === 'Running').length;
    if (running !== last && running < want) log(`seed: ${running}/${want} pods Running…`);
    last = running;
    return running >= want;
  }, 1_000);
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

function range<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** Runs `fn` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
