/**
 * Where the control plane lives on disk. Everything is outside the checkout:
 * `$KUBECTL_PLUGINS_CACHE` or `~/.cache/kubectl-plugins/`, with
 * - `bin/`   the built binaries, their build stamps and the rendered kwok stages;
 * - `state/` one running cluster: certificates, kubeconfigs, pid files, logs, etcd data.
 * One cache directory holds at most one cluster.
 */
import os from 'node:os';
import path from 'node:path';

export const cacheEnvVar = 'KUBECTL_PLUGINS_CACHE';

export interface ClusterPaths {
  cache: string;
  bin: string;
  state: string;
  /** Held while one process runs `up`, `down` or `build`. */
  lock: string;
  pki: string;
  logs: string;
  pids: string;
  etcdData: string;
  /** Ports and settings chosen at `up`; restarts reuse them. */
  clusterJson: string;
  /** The admin kubeconfig (context `local`). */
  kubeconfig: string;
  /** Rendered kwok Stage objects (node initialize/heartbeat, pod fast). */
  kwokStages: string;
  /** kwok reads `~/.kwok/kwok.yaml`; point its HOME here so a user's file never leaks in. */
  kwokHome: string;
}

export function clusterPaths(env: NodeJS.ProcessEnv = process.env): ClusterPaths {
  const configured = env[cacheEnvVar];
  const cache = configured !== undefined && configured !== '' ? path.resolve(configured) : path.join(os.homedir(), '.cache', 'kubectl-plugins');
  const bin = path.join(cache, 'bin');
  const state = path.join(cache, 'state');
  return {
    cache,
    bin,
    state,
    lock: path.join(cache, 'cluster.lock'),
    pki: path.join(state, 'pki'),
    logs: path.join(state, 'logs'),
    pids: path.join(state, 'pids'),
    etcdData: path.join(state, 'etcd'),
    clusterJson: path.join(state, 'cluster.json'),
    kubeconfig: path.join(state, 'kubeconfig'),
    kwokStages: path.join(bin, 'kwok-stages.yaml'),
    kwokHome: path.join(state, 'kwok-home'),
  };
}

/** The directory of the Go wrapper modules in this checkout. */
export const gomodDir = path.join(import.meta.dirname, 'gomod');
