/**
 * The five processes of the local control plane and their command lines, derived from the
 * cluster's settings (`cluster.json`) so a restart of one component uses exactly the flags it
 * started with. Start order is the array order: etcd, kube-apiserver, then the API clients.
 */
import fs from 'node:fs';
import path from 'node:path';
import { binaryPath } from './build.ts';
import { frontProxyClientName, pkiFiles } from './pki.ts';
import { loopback } from './ports.ts';
import type { ClusterPaths } from './paths.ts';

export const componentNames = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type ComponentName = (typeof componentNames)[number];

/** Settings chosen once at `up` and saved as state/cluster.json. */
export interface ClusterSettings {
  apiPort: number;
  etcdClientPort: number;
  etcdPeerPort: number;
  controllerManagerPort: number;
  schedulerPort: number;
  /** kube-apiserver --etcd-compaction-interval (e.g. "5m", "10s"); tests of 410 Gone want it short. */
  etcdCompactionInterval: string;
  createdAt: string;
  /**
   * kube-apiserver's ShardedListAndWatch feature gate (KEP-5866, alpha in 1.36): on unless a test
   * turned it off to check watchq's client-side shard filter (absent in older state: on).
   */
  shardedListAndWatch?: boolean;
}

export interface ComponentSpec {
  name: ComponentName;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Ports this component listens on (checked before a start). */
  ports: number[];
}

export const serviceClusterIpRange = '10.96.0.0/12';
export const fakeNodeAnnotation = 'kwok.x-k8s.io/node';

export function serverUrl(settings: ClusterSettings): string {
  return `https://${loopback}:${settings.apiPort}`;
}

/** The kubeconfig the controller-manager, scheduler and kwok use (admin; separate from the user's copy). */
export function componentsKubeconfig(paths: ClusterPaths): string {
  return path.join(paths.state, 'components.kubeconfig');
}

export function readSettings(paths: ClusterPaths): ClusterSettings | undefined {
  try {
    return JSON.parse(fs.readFileSync(paths.clusterJson, 'utf8')) as ClusterSettings;
  } catch {
    return undefined;
  }
}

export function writeSettings(paths: ClusterPaths, settings: ClusterSettings): void {
  fs.mkdirSync(paths.state, { recursive: true });
  fs.writeFileSync(paths.clusterJson, `${JSON.stringify(settings, null, 2)}\n`);
}

export function componentSpecs(paths: ClusterPaths, settings: ClusterSettings): ComponentSpec[] {
  const pki = pkiFiles(paths.pki);
  const kubeconfig = componentsKubeconfig(paths);
  const bin = (name: string): string => binaryPath(paths, name);
  const etcdClient = `http://${loopback}:${settings.etcdClientPort}`;
  const etcdPeer = `http://${loopback}:${settings.etcdPeerPort}`;
  return [
    {
      name: 'etcd',
      command: bin('etcd'),
      ports: [settings.etcdClientPort, settings.etcdPeerPort],
      args: [
        '--name=local',
        `--data-dir=${paths.etcdData}`,
        `--listen-client-urls=${etcdClient}`,
        `--advertise-client-urls=${etcdClient}`,
        `--listen-peer-urls=${etcdPeer}`,
        `--initial-advertise-peer-urls=${etcdPeer}`,
        `--initial-cluster=local=${etcdPeer}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
    },
    {
      name: 'kube-apiserver',
      command: bin('kube-apiserver'),
      ports: [settings.apiPort],
      args: [
        `--bind-address=${loopback}`,
        `--advertise-address=${loopback}`,
        `--secure-port=${settings.apiPort}`,
        `--etcd-servers=${etcdClient}`,
        `--etcd-compaction-interval=${settings.etcdCompactionInterval}`,
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
        `--requestheader-allowed-names=${frontProxyClientName}`,
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${pki.frontProxyClientCert}`,
        `--proxy-client-key-file=${pki.frontProxyClientKey}`,
        '--authorization-mode=Node,RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        // The `kubernetes` Service cannot have a loopback endpoint; nothing in-cluster needs it.
        '--endpoint-reconciler-type=none',
        '--allow-privileged=true',
        // Without a watch grace period, SIGTERM waits up to 60 s for open watches; restarts must be quick.
        '--shutdown-watch-termination-grace-period=2s',
        '--profiling=false',
        `--feature-gates=ShardedListAndWatch=${settings.shardedListAndWatch !== false}`,
      ],
    },
    {
      name: 'kube-controller-manager',
      command: bin('kube-controller-manager'),
      ports: [settings.controllerManagerPort],
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${loopback}`,
        `--secure-port=${settings.controllerManagerPort}`,
        '--leader-elect=false',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        '--controllers=*',
        // Each controller gets its own ServiceAccount and token at start; the default 20 qps makes that take seconds.
        '--kube-api-qps=100',
        '--kube-api-burst=200',
        '--profiling=false',
      ],
    },
    {
      name: 'kube-scheduler',
      command: bin('kube-scheduler'),
      ports: [settings.schedulerPort],
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${loopback}`,
        `--secure-port=${settings.schedulerPort}`,
        '--leader-elect=false',
        '--profiling=false',
      ],
    },
    {
      name: 'kwok',
      command: bin('kwok'),
      ports: [],
      // kwok also reads ~/.kwok/kwok.yaml; a private HOME keeps a user's file out.
      env: { ...process.env, HOME: paths.kwokHome },
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--config=${paths.kwokStages}`,
        '--manage-all-nodes=false',
        `--manage-nodes-with-annotation-selector=${fakeNodeAnnotation}=fake`,
        '--cidr=10.244.0.1/16',
        '--node-lease-duration-seconds=40',
        // Leases are renewed every 10 s and logged at INFO; keep the log to warnings and errors.
        '--v=WARN',
      ],
    },
  ];
}
