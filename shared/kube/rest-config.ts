/**
 * Turns config flags + kubeconfig (or the in-cluster ServiceAccount) into what a client needs to
 * reach one API server: kubectl's precedence for context, cluster, user and namespace.
 */
import fs from 'node:fs';
import { ConfigError } from '../errors.ts';
import type { ConfigFlags } from './config-flags.ts';
import { detectInCluster } from './in-cluster.ts';
import { loadKubeconfig, type UserEntry } from './kubeconfig.ts';

export interface RestConfig {
  server: string;
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string | undefined;
  token?: string | undefined;
  /** Re-read when it changes, so a rotated ServiceAccount token is picked up. */
  tokenFile?: string | undefined;
  basicAuth?: { username: string; password: string } | undefined;
  /** Credentials from an exec plugin or auth provider, resolved lazily through client-node. */
  delegatedUser?: { name: string; user: UserEntry } | undefined;
  impersonateUser?: string | undefined;
  impersonateGroups: string[];
  namespace: string;
  /** True when -n was given (or the context sets one): messages then name it. */
  namespaceFromUser: boolean;
  contextName?: string | undefined;
  userName?: string | undefined;
  requestTimeoutMs: number;
  source: 'kubeconfig' | 'in-cluster' | 'flags';
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  serviceAccountDir?: string;
}

export function loadRestConfig(flags: ConfigFlags, options: LoadOptions = {}): RestConfig {
  const env = options.env ?? process.env;
  const kubeconfig = loadKubeconfig({ explicitPath: flags.kubeconfig, env, ...(options.homeDir ? { homeDir: options.homeDir } : {}) });
  const common = {
    impersonateUser: flags.as,
    impersonateGroups: flags.asGroups ?? [],
    requestTimeoutMs: flags.requestTimeoutMs ?? 0,
  };

  if (!kubeconfig || (kubeconfig.contexts.size === 0 && !flags.context && !flags.cluster)) {
    const inCluster = detectInCluster(env, options.serviceAccountDir);
    if (inCluster) {
      return {
        ...common,
        server: flags.server ? serverUrl(flags.server, '--server') : inCluster.server,
        ca: readFileOr(inCluster.caFile),
        insecureSkipTlsVerify: flags.insecureSkipTlsVerify ?? false,
        token: flags.token,
        tokenFile: flags.token ? undefined : inCluster.tokenFile,
        namespace: flags.namespace ?? inCluster.namespace ?? 'default',
        namespaceFromUser: Boolean(flags.namespace),
        source: 'in-cluster',
      };
    }
    if (flags.server) {
      return {
        ...common,
        server: serverUrl(flags.server, '--server'),
        insecureSkipTlsVerify: flags.insecureSkipTlsVerify ?? false,
        token: flags.token,
        namespace: flags.namespace ?? 'default',
        namespaceFromUser: Boolean(flags.namespace),
        source: 'flags',
      };
    }
    if (!kubeconfig) {
      throw new ConfigError('no kubeconfig found and not running inside a cluster', {
        hint: 'pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config',
      });
    }
  }
  const cfg = kubeconfig!;

  const contextName = flags.context ?? cfg.currentContext;
  if (!contextName && !flags.cluster) {
    throw new ConfigError('current-context is not set in the kubeconfig', { hint: 'pass --context NAME or run: kubectl config use-context NAME' });
  }
  const context = contextName ? cfg.contexts.get(contextName) : {};
  if (!context) {
    throw new ConfigError(`context "${contextName}" does not exist in the kubeconfig`, {
      hint: cfg.contexts.size > 0 ? `known contexts: ${[...cfg.contexts.keys()].join(', ')}` : undefined,
    });
  }
  const clusterName = flags.cluster ?? context.cluster;
  const cluster = clusterName ? cfg.clusters.get(clusterName) : undefined;
  if (!cluster) {
    throw new ConfigError(clusterName ? `cluster "${clusterName}" does not exist in the kubeconfig` : `context "${contextName}" names no cluster`);
  }
  const server = flags.server ?? cluster.server;
  if (!server) throw new ConfigError(`cluster "${clusterName}" has no server`);
  const userName = flags.user ?? context.user;
  let user: UserEntry = {};
  if (userName) {
    const found = cfg.users.get(userName);
    if (!found) throw new ConfigError(`user "${userName}" does not exist in the kubeconfig`);
    user = found;
  }

  const namespace = flags.namespace ?? context.namespace;
  return {
    ...common,
    server: serverUrl(server, flags.server ? '--server' : `cluster "${clusterName}"`),
    ca: dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate-authority'),
    cert: dataOrFile(user['client-certificate-data'], user['client-certificate'], 'client-certificate'),
    key: dataOrFile(user['client-key-data'], user['client-key'], 'client-key'),
    insecureSkipTlsVerify: flags.insecureSkipTlsVerify ?? cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'],
    token: flags.token ?? user.token,
    tokenFile: flags.token || user.token ? undefined : user['token-file'],
    basicAuth: user.username && user.password ? { username: user.username, password: user.password } : undefined,
    delegatedUser: user.exec || user['auth-provider'] ? { name: userName!, user } : undefined,
    impersonateUser: flags.as ?? user.as,
    impersonateGroups: flags.asGroups ?? user['as-groups'] ?? [],
    namespace: namespace || 'default',
    namespaceFromUser: Boolean(namespace),
    contextName,
    userName,
    source: 'kubeconfig',
  };
}

/**
 * The server as client-go takes it: a bare `host:port` means https; only https and http are
 * spoken. A URL that cannot be used is a config error (exit 5), not a crash later.
 */
function serverUrl(server: string, where: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `https://${server}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new ConfigError(`invalid server URL "${server}" (${where})`, { cause, hint: 'use https://HOST:PORT' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`invalid server URL "${server}" (${where}): the scheme must be https or http`, { hint: 'use https://HOST:PORT' });
  }
  return text.replace(/\/+$/, '');
}

function dataOrFile(data: string | undefined, file: string | undefined, what: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (cause) {
    throw new ConfigError(`cannot read ${what} file ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
}

function readFileOr(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

