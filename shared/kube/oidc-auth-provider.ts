/**
 * The legacy `oidc` auth-provider, served by @kubernetes/client-node: the only code that needs
 * client-node at run time. The bundle holds it behind a lazy import (auth-provider-loader.ts):
 * it runs only for a user with an auth-provider, so no other run pays for client-node's 4 MiB.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { UserEntry } from './kubeconfig.ts';

export interface AuthProviderInput {
  server: string;
  insecureSkipTlsVerify: boolean;
  userName: string;
  user: UserEntry;
}

export interface AuthProviderResult {
  headers: Record<string, string>;
  cert?: Buffer;
  key?: Buffer;
}

export async function resolveAuthProvider(input: AuthProviderInput): Promise<AuthProviderResult> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: input.server, skipTLSVerify: input.insecureSkipTlsVerify }],
    users: [{ name: input.userName, authProvider: input.user['auth-provider'] }],
    contexts: [{ name: 'ctx', cluster: 'c', user: input.userName }],
    currentContext: 'ctx',
  });
  const opts: { headers?: Record<string, string>; cert?: Buffer; key?: Buffer } = {};
  await kc.applyToHTTPSOptions(opts as never);
  const result: AuthProviderResult = { headers: opts.headers ?? {} };
  if (opts.cert) result.cert = Buffer.from(opts.cert);
  if (opts.key) result.key = Buffer.from(opts.key);
  return result;
}
