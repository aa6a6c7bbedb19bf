/**
 * The kubeconfig `watchq --exec` hands its hooks (issue 27): `kubectl` in a hook must act where
 * watchq watches, as the same user, whatever the user's own kubeconfig or `KUBECONFIG` says
 * (with `--context prod` given to watchq, a hook's kubectl used to write to the current
 * context; with `KUBECONFIG` unset it went to localhost:8080). One context, `watchq`: the
 * cluster (server, CA, TLS name, proxy), the user's credentials (client certificate by file when
 * it came from one, so a renewal is seen; token or tokenFile, basic auth, exec plugin, legacy
 * auth-provider), watchq's impersonation (`--as`, `--as-group`) and namespace.
 *
 * Written as JSON (a kubeconfig kubectl reads as YAML) with mode 0600 in a directory of its own
 * (0700), removed when watchq stops. Credentials reach a hook only through this file.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestConfig } from './rest-config.ts';

const b64 = (data: Buffer | undefined): string | undefined => data?.toString('base64');

/** The kubeconfig (as an object) reaching the same server as the same user as `config`. */
export function hookKubeconfig(config: RestConfig): Record<string, unknown> {
  const defined = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)));
  const cluster = defined({
    server: config.server,
    'certificate-authority-data': b64(config.ca),
    'insecure-skip-tls-verify': config.insecureSkipTlsVerify,
    'tls-server-name': config.tlsServerName,
    'proxy-url': config.proxyUrl,
    'disable-compression': config.disableCompression,
  });
  const extra = Object.keys(config.impersonateExtra).length > 0 ? config.impersonateExtra : undefined;
  const user = defined({
    'client-certificate': config.certFile,
    'client-certificate-data': config.certFile ? undefined : b64(config.cert),
    'client-key': config.keyFile,
    'client-key-data': config.keyFile ? undefined : b64(config.key),
    tokenFile: config.tokenFile,
    token: config.tokenFile ? undefined : config.token,
    username: config.basicAuth?.username,
    password: config.basicAuth?.password,
    exec: config.exec?.config,
    'auth-provider': config.authProvider?.user['auth-provider'],
    as: config.impersonateUser,
    'as-uid': config.impersonateUid,
    'as-groups': config.impersonateGroups,
    'as-user-extra': extra,
  });
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'watchq',
    clusters: [{ name: 'watchq', cluster }],
    users: [{ name: 'watchq', user }],
    contexts: [{ name: 'watchq', context: { cluster: 'watchq', user: 'watchq', namespace: config.namespace } }],
  };
}

export interface PrivateFile {
  path: string;
  /** The private directory holding it (0700), for the hooks' other files. */
  dir: string;
  remove(): Promise<void>;
}

/** Writes `hookKubeconfig(config)` where only this user can read it. */
export async function writeHookKubeconfig(config: RestConfig): Promise<PrivateFile> {
  const dir = await mkdtemp(join(tmpdir(), 'watchq-hooks-'));
  await chmod(dir, 0o700);
  const path = join(dir, 'kubeconfig');
  await writeFile(path, `${JSON.stringify(hookKubeconfig(config), null, 2)}\n`, { mode: 0o600 });
  return { path, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
