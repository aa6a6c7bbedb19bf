/**
 * The request headers that authenticate and impersonate. Static credentials are handled here;
 * exec plugins and auth providers are delegated to @kubernetes/client-node, loaded only when a
 * kubeconfig uses them (it is large, and most users need only a token or a client certificate).
 */
import fs from 'node:fs';
import { ConfigError } from '../errors.ts';
import type { RestConfig } from './rest-config.ts';

export interface Credentials {
  headers(): Promise<Record<string, string | string[]>>;
  /** Client certificate and key when an exec plugin returns them. */
  tls(): Promise<{ cert?: Buffer | undefined; key?: Buffer | undefined }>;
}

export function createCredentials(config: RestConfig): Credentials {
  const fileToken = config.tokenFile ? createTokenFileReader(config.tokenFile) : undefined;
  const impersonation: Record<string, string | string[]> = {};
  if (config.impersonateUser) impersonation['Impersonate-User'] = config.impersonateUser;
  if (config.impersonateGroups.length > 0) impersonation['Impersonate-Group'] = config.impersonateGroups;
  let delegated: Promise<{ headers: Record<string, string>; cert?: Buffer; key?: Buffer }> | undefined;
  const fromDelegate = () => (delegated ??= resolveDelegated(config));

  return {
    async headers() {
      const headers: Record<string, string | string[]> = { ...impersonation };
      if (config.token) headers.Authorization = `Bearer ${config.token}`;
      else if (fileToken) headers.Authorization = `Bearer ${fileToken()}`;
      else if (config.basicAuth) headers.Authorization = `Basic ${Buffer.from(`${config.basicAuth.username}:${config.basicAuth.password}`).toString('base64')}`;
      else if (config.delegatedUser) Object.assign(headers, (await fromDelegate()).headers);
      return headers;
    },
    async tls() {
      if (!config.delegatedUser || config.cert) return {};
      const { cert, key } = await fromDelegate();
      return { cert, key };
    },
  };
}

/** Reads a token file again when its modification time changes (ServiceAccount token rotation). */
function createTokenFileReader(file: string): () => string {
  let cached = '';
  let stamp = -1;
  return () => {
    let mtime: number;
    try {
      mtime = fs.statSync(file).mtimeMs;
    } catch (cause) {
      throw new ConfigError(`cannot read token file ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
    }
    if (mtime !== stamp) {
      cached = fs.readFileSync(file, 'utf8').trim();
      stamp = mtime;
    }
    return cached;
  };
}

async function resolveDelegated(config: RestConfig): Promise<{ headers: Record<string, string>; cert?: Buffer; key?: Buffer }> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const user = config.delegatedUser!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: config.server, skipTLSVerify: config.insecureSkipTlsVerify }],
    users: [{ name: user.name, exec: user.user.exec, authProvider: user.user['auth-provider'] }],
    contexts: [{ name: 'ctx', cluster: 'c', user: user.name }],
    currentContext: 'ctx',
  });
  const opts: { headers?: Record<string, string>; cert?: Buffer; key?: Buffer } = {};
  try {
    await kc.applyToHTTPSOptions(opts as never);
  } catch (cause) {
    // The plugin's own output may hold secrets: report only that it failed.
    throw new ConfigError(`getting credentials for user "${user.name}" failed`, { cause, hint: 'run the credential plugin by hand to see why' });
  }
  const result: { headers: Record<string, string>; cert?: Buffer; key?: Buffer } = { headers: opts.headers ?? {} };
  if (opts.cert) result.cert = Buffer.from(opts.cert);
  if (opts.key) result.key = Buffer.from(opts.key);
  return result;
}
