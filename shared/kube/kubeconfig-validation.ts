/**
 * The checks kubectl makes before it uses a cluster and user (client-go clientcmd's
 * `validateClusterInfo` / `validateAuthInfo`, and the TLS config rules of `transport`): each
 * broken combination is refused with kubectl's words, as a ConfigError (exit 5), before any
 * request is sent. kubectl reports them all at once; we report the first.
 */
import { redactProxyUrl } from './redact-url.ts';
import { ConfigError } from '../errors.ts';
import type { ClusterEntry, UserEntry } from './kubeconfig.ts';

export const execApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

export function validateCluster(name: string, cluster: ClusterEntry, insecureFlag: boolean): void {
  if (cluster['certificate-authority'] && cluster['certificate-authority-data']) {
    throw new ConfigError(`certificate-authority-data and certificate-authority are both specified for ${name}. certificate-authority-data will override.`, {
      hint: `remove one of them from cluster "${name}" (kubectl refuses the pair too)`,
    });
  }
  const proxyUrl = cluster['proxy-url'];
  if (proxyUrl) {
    const scheme = proxyScheme(proxyUrl);
    if (scheme === undefined) throw new ConfigError(`invalid 'proxy-url' "${redactProxyUrl(proxyUrl)}" for cluster "${name}": could not parse`);
    if (!['http', 'https', 'socks5'].includes(scheme)) {
      throw new ConfigError(`invalid 'proxy-url' "${redactProxyUrl(proxyUrl)}" for cluster "${name}": unsupported scheme "${scheme}", must be http, https, or socks5`);
    }
  }
  // The --insecure-skip-tls-verify flag clears the CA (kubectl's override rule); in the file, both is an error.
  if (!insecureFlag && cluster['insecure-skip-tls-verify'] === true && (cluster['certificate-authority'] || cluster['certificate-authority-data'])) {
    throw new ConfigError('specifying a root certificates file with the insecure flag is not allowed', {
      hint: `cluster "${name}" has insecure-skip-tls-verify and a certificate-authority: remove one`,
    });
  }
}

export function validateUser(name: string, user: UserEntry): void {
  const methods: string[] = [];
  if (user.token) methods.push('token');
  if (user.username || user.password) methods.push('basicAuth');
  if (user['client-certificate'] || user['client-certificate-data']) {
    if (user['client-certificate'] && user['client-certificate-data']) {
      throw new ConfigError(`client-cert-data and client-cert are both specified for ${name}. client-cert-data will override.`);
    }
    if (user['client-key'] && user['client-key-data']) {
      throw new ConfigError(`client-key-data and client-key are both specified for ${name}; client-key-data will override`);
    }
    if (!user['client-key'] && !user['client-key-data']) {
      throw new ConfigError(`client-key-data or client-key must be specified for ${name} to use the clientCert authentication method.`);
    }
  }
  const exec = user.exec;
  if (exec) {
    if (user['auth-provider']) throw new ConfigError(`authProvider cannot be provided in combination with an exec plugin for ${name}`);
    if (!exec.command) throw new ConfigError(`command must be specified for ${name} to use exec authentication plugin`);
    if (!exec.apiVersion) throw new ConfigError(`apiVersion must be specified for ${name} to use exec authentication plugin`);
    for (const v of exec.env ?? []) {
      if (!v?.name) throw new ConfigError(`env variable name must be specified for ${name} to use exec authentication plugin`);
    }
    const mode = interactiveMode(exec.apiVersion, exec.interactiveMode);
    if (mode === '') throw new ConfigError(`interactiveMode must be specified for ${name} to use exec authentication plugin`);
    if (!['Never', 'IfAvailable', 'Always'].includes(mode)) throw new ConfigError(`invalid interactiveMode for ${name}: "${mode}"`);
  }
  if (methods.length > 1) {
    throw new ConfigError(`more than one authentication method found for ${name}; found [${methods.join(' ')}], only one is allowed`);
  }
  if ((user['as-uid'] || (user['as-groups']?.length ?? 0) > 0 || Object.keys(user['as-user-extra'] ?? {}).length > 0) && !user.as) {
    throw new ConfigError(`requesting uid, groups or user-extra for ${name} without impersonating a user`);
  }
}

/** v1 must say; v1beta1 (and the gone v1alpha1) default to IfAvailable (client-go's defaulting). */
export function interactiveMode(apiVersion: string | undefined, mode: string | undefined): string {
  if (mode) return mode;
  return apiVersion === 'client.authentication.k8s.io/v1beta1' || apiVersion === 'client.authentication.k8s.io/v1alpha1' ? 'IfAvailable' : '';
}

function proxyScheme(url: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!match) return undefined;
  try {
    new URL(url);
  } catch {
    return undefined;
  }
  return match[1]!.toLowerCase();
}

