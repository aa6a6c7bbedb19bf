/**
 * Turns config flags + kubeconfig (or the in-cluster ServiceAccount) into what a client needs to
 * reach one API server: kubectl's precedence for context, cluster, user and namespace.
 */
import fs from 'node:fs';
import { redactUrl } from './redact-url.ts';
import { ConfigError } from '../errors.ts';
import type { ConfigFlags } from './config-flags.ts';
import { detectInCluster } from './in-cluster.ts';
import { loadKubeconfig, type ClusterEntry, type ExecConfig, type UserEntry } from './kubeconfig.ts';
import { execApiVersions, interactiveMode, validateCluster, validateUser } from './kubeconfig-validation.ts';

export interface RestConfig {
  server: string;
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  /** Where cert and key came from: read again when they change (a long-running watchq). */
  certFile?: string | undefined;
  keyFile?: string | undefined;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string | undefined;
  /** The cluster's proxy-url (http, https, socks5); otherwise HTTPS_PROXY/NO_PROXY apply. */
  proxyUrl?: string | undefined;
  /** Do not ask for gzip (the cluster's disable-compression). */
  disableCompression: boolean;
  token?: string | undefined;
  /** Re-read when it changes, so a rotated ServiceAccount token is picked up. */
  tokenFile?: string | undefined;
  basicAuth?: { username: string; password: string } | undefined;
  /** An exec credential plugin (exec-credential.ts runs it). */
  exec?: ExecProvider | undefined;
  /** A legacy auth-provider, served by @kubernetes/client-node (loaded only for it). */
  authProvider?: { userName: string; user: UserEntry } | undefined;
  impersonateUser?: string | undefined;
  impersonateUid?: string | undefined;
  impersonateGroups: string[];
  impersonateExtra: Record<string, string[]>;
  namespace: string;
  userName?: string | undefined;
  requestTimeoutMs: number;
}

/** What an exec plugin needs: its config, and the cluster it gets credentials for. */
export interface ExecProvider {
  userName: string;
  config: ExecConfig;
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
  /** Set when stdin is our input (`-f -`): why the plugin cannot have it. */
  stdinUnavailable?: string | undefined;
  /** The `spec.cluster` of KUBERNETES_EXEC_INFO (sent only with provideClusterInfo). */
  cluster: ExecClusterInfo;
}

/** client.authentication.k8s.io Cluster, as the plugin reads it. */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  config?: unknown;
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
    impersonateExtra: {},
    requestTimeoutMs: flags.requestTimeoutMs ?? 0,
    disableCompression: false,
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
      };
    }
    if (flags.server) {
      return {
        ...common,
        server: serverUrl(flags.server, '--server'),
        insecureSkipTlsVerify: flags.insecureSkipTlsVerify ?? false,
        token: flags.token,
        namespace: flags.namespace ?? 'default',
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

  validateCluster(clusterName!, cluster, flags.insecureSkipTlsVerify === true);
  validateUser(userName ?? '', user);
  const namespace = flags.namespace ?? context.namespace;
  const serverText = serverUrl(server, flags.server ? '--server' : `cluster "${clusterName}"`);
  // --insecure-skip-tls-verify clears the CA; --server clears tls-server-name (kubectl's overrides).
  const insecure = flags.insecureSkipTlsVerify ?? cluster['insecure-skip-tls-verify'] === true;
  const ca = flags.insecureSkipTlsVerify ? undefined : dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate-authority');
  const tlsServerName = flags.server ? undefined : cluster['tls-server-name'] || undefined;
  const impersonation = {
    impersonateUser: flags.as ?? (user.as || undefined),
    impersonateUid: flags.as ? undefined : user['as-uid'] || undefined,
    impersonateGroups: flags.asGroups ?? (flags.as ? [] : user['as-groups'] ?? []),
    impersonateExtra: flags.as ? {} : user['as-user-extra'] ?? {},
  };
  const base = {
    ...common,
    ...impersonation,
    server: serverText,
    ca,
    insecureSkipTlsVerify: insecure,
    tlsServerName,
    proxyUrl: cluster['proxy-url'] || undefined,
    disableCompression: cluster['disable-compression'] === true,
    namespace: namespace || 'default',
    userName,
  };
  // client-go reads the user's credentials only for a TLS server: none go over plain http.
  if (!serverText.startsWith('https:')) return { ...base, token: flags.token };
  return { ...base, ...userCredentials(flags, userName ?? '', user, cluster, base) };
}

/** Token, token file, client certificate, basic auth, exec plugin or auth provider. */
function userCredentials(flags: ConfigFlags, userName: string, user: UserEntry, cluster: ClusterEntry, base: Pick<RestConfig, 'server' | 'ca' | 'tlsServerName' | 'insecureSkipTlsVerify' | 'proxyUrl' | 'disableCompression'>): Partial<RestConfig> {
  const certFile = user['client-certificate-data'] ? undefined : user['client-certificate'] || undefined;
  const keyFile = user['client-key-data'] ? undefined : user['client-key'] || undefined;
  const out: Partial<RestConfig> = {
    cert: dataOrFile(user['client-certificate-data'], user['client-certificate'], 'client-certificate'),
    key: dataOrFile(user['client-key-data'], user['client-key'], 'client-key'),
    certFile,
    keyFile,
    token: flags.token ?? (user.token || undefined),
    // As client-go: a tokenFile beside a token is read first, the token is the fallback.
    tokenFile: flags.token ? undefined : user.tokenFile || undefined,
    basicAuth: user.username || user.password ? { username: user.username ?? '', password: user.password ?? '' } : undefined,
  };
  if (out.tokenFile && !out.token) {
    // client-go reads the file when it builds the config: a missing file is an error now.
    try {
      fs.accessSync(out.tokenFile, fs.constants.R_OK);
    } catch (cause) {
      throw new ConfigError(`cannot read tokenFile ${out.tokenFile} of user "${userName}": ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
    }
  }
  if (user.exec) out.exec = { ...execProvider(userName, user.exec, cluster, base), stdinUnavailable: flags.stdinUnavailable };
  const provider = user['auth-provider'];
  if (provider) {
    const removed = removedAuthProviders[provider.name];
    if (removed) throw new ConfigError(`user "${userName}": the ${provider.name} auth-provider was removed from kubectl in 1.26 and is not supported`, { hint: removed });
    if (provider.name !== 'oidc') {
      throw new ConfigError(`user "${userName}": auth-provider "${provider.name}" is not supported`, { hint: 'use an exec credential plugin (users[].user.exec) instead' });
    }
    out.authProvider = { userName, user };
  }
  return out;
}

/** kubectl still has the oidc auth-provider (served here by client-node); these two are gone. */
const removedAuthProviders: Record<string, string> = {
  gcp: 'use the exec plugin gke-gcloud-auth-plugin (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl)',
  azure: 'use the exec plugin kubelogin (https://azure.github.io/kubelogin/)',
};

function execProvider(userName: string, config: ExecConfig, cluster: ClusterEntry, base: Pick<RestConfig, 'server' | 'ca' | 'tlsServerName' | 'insecureSkipTlsVerify' | 'proxyUrl' | 'disableCompression'>): ExecProvider {
  if (!(execApiVersions as readonly string[]).includes(config.apiVersion ?? '')) {
    throw new ConfigError(`exec plugin: invalid apiVersion "${config.apiVersion}" for user "${userName}"`, { hint: `use ${execApiVersions.join(' or ')}` });
  }
  const info: ExecClusterInfo = { server: base.server };
  if (base.tlsServerName) info['tls-server-name'] = base.tlsServerName;
  if (base.insecureSkipTlsVerify) info['insecure-skip-tls-verify'] = true;
  if (base.ca) info['certificate-authority-data'] = base.ca.toString('base64');
  if (base.proxyUrl) info['proxy-url'] = base.proxyUrl;
  if (base.disableCompression) info['disable-compression'] = true;
  const extension = cluster.extensions?.find((e) => e.name === 'client.authentication.k8s.io/exec');
  if (extension && extension.extension !== undefined) info.config = extension.extension;
  return {
    userName,
    config,
    interactiveMode: interactiveMode(config.apiVersion, config.interactiveMode) as ExecProvider['interactiveMode'],
    cluster: info,
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
    throw new ConfigError(`invalid server URL "${redactUrl(server)}" (${where})`, { cause, hint: 'use https://HOST:PORT' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`invalid server URL "${redactUrl(server)}" (${where}): the scheme must be https or http`, { hint: 'use https://HOST:PORT' });
  }
  return text.replace(/\/+$/, '');
}

function dataOrFile(data: string | undefined, file: string | undefined, what: string): Buffer | undefined {
  if (data) return Buffer.from(data.replace(/[\r\n]/g, ''), 'base64');
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

