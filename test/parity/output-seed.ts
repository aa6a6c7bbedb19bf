/**
 * Objects for the output-format parity tests (jsonpath, custom columns): ConfigMaps with awkward
 * values, Services with ports and selectors, a Deployment scaled to 0 (no pods, so its status
 * stays still) and a Secret, all in one namespace and labelled with the run.
 */
import test from 'ava';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { runTag, type Outcome } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';

export function outputSeed(ns: string, run: string): string {
  const meta = (name: string, labels: Record<string, string>, annotations?: Record<string, string>) => ({ name, namespace: ns, labels: { run, ...labels }, ...(annotations ? { annotations } : {}) });
  const items = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('alpha', { app: 'web', tier: 'front', 'app.kubernetes.io/name': 'alpha' }, { note: 'first <one> & "quoted"' }), data: { count: '3', 'key.with.dots': 'dotted', text: 'multi\nline\ttab', unicode: 'é 日本 😀', html: '<b>&amp;</b>' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('beta', { app: 'api', tier: 'back' }), data: { count: '10', empty: '' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('gamma', { app: 'web', tier: 'back' }, { 'example.com/owner': 'team-a' }), data: {} },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('web', { app: 'web' }),
      spec: { selector: { app: 'web', tier: 'front' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 'https' }] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('api', { app: 'api' }), spec: { type: 'ClusterIP', clusterIP: 'None', selector: { app: 'api' }, ports: [{ name: 'grpc', port: 9090, protocol: 'TCP' }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web', { app: 'web' }),
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' } }, env: [{ name: 'MODE', value: 'prod' }] },
              { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', '3600'] },
            ],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('creds', { app: 'api' }), type: 'Opaque', stringData: { user: 'admin' } },
  ];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

export interface SeededNamespace {
  /** The run's tag, on every object (`run=TAG`). */
  run: string;
  /** Set by the before hook. */
  ns: string;
  kubeconfig: string;
  /** The plugin with the cluster's kubeconfig, and kubectl, as sameAsKubectl runs them. */
  plugin(name: string, args: string[]): () => Promise<Outcome>;
  oracle(args: string[]): () => Promise<Outcome>;
}

/**
 * The setup the output-format parity files share: a namespace named after `prefix` holding
 * outputSeed's objects (and what `more` adds, in the same hook), deleted after the file.
 */
export function seededNamespace(prefix: string, more?: (seeded: SeededNamespace) => Promise<void>): SeededNamespace {
  const seeded: SeededNamespace = {
    run: runTag(),
    ns: '',
    kubeconfig: '',
    plugin: (name, args) => () => runPlugin(name, ['--kubeconfig', seeded.kubeconfig, ...args]),
    oracle: (args) => () => kubectl(args),
  };
  test.before(async () => {
    seeded.kubeconfig = (await ensureCluster()).kubeconfig;
    seeded.ns = await createNamespace(prefix);
    await kubectlOk(['apply', '-f', '-'], { input: outputSeed(seeded.ns, seeded.run) });
    await more?.(seeded);
  });
  test.after.always(async () => {
    if (seeded.ns) await deleteNamespace(seeded.ns);
  });
  return seeded;
}
