/**
 * kubectl's global flags, registered once for every plugin (like cli-runtime's
 * ConfigFlags.AddFlags), and turned into a ConfigFlags object for the client factory.
 */
import type { Argv } from 'yargs';
import type { ConfigFlags } from '../kube/config-flags.ts';
import { parseRequestTimeout } from './duration.ts';

export interface CommonArgs {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  as?: string;
  'as-group'?: string[];
  'request-timeout'?: string;
  'insecure-skip-tls-verify'?: boolean;
  server?: string;
  token?: string;
  v?: number;
}

/** The flags every command takes (kubectl's global flags, `kubectl <plugin> options`). */
export const globalFlagNames = ['kubeconfig', 'context', 'cluster', 'user', 'namespace', 'as', 'as-group', 'request-timeout', 'insecure-skip-tls-verify', 'server', 'token', 'v'] as const;

export interface CommonFlagOptions {
  /** Plugins that list add -A/--all-namespaces. */
  allNamespaces?: boolean;
}

export function addCommonFlags<T>(y: Argv<T>, options: CommonFlagOptions = {}): Argv<T> {
  const group = 'Global flags:';
  let out = y
    .option('kubeconfig', { type: 'string', group, description: 'Path to the kubeconfig file to use for CLI requests.' })
    .option('context', { type: 'string', group, description: 'The name of the kubeconfig context to use' })
    .option('cluster', { type: 'string', group, description: 'The name of the kubeconfig cluster to use' })
    .option('user', { type: 'string', group, description: 'The name of the kubeconfig user to use' })
    .option('namespace', { alias: 'n', type: 'string', group, description: 'If present, the namespace scope for this CLI request' })
    .option('as', { type: 'string', group, description: 'Username to impersonate for the operation' })
    .option('as-group', { type: 'string', array: true, group, description: 'Group to impersonate for the operation; repeat for several' })
    .option('request-timeout', { type: 'string', group, description: 'Time to wait before giving up on a single server request (e.g. 1s, 2m, 3h); 0 waits forever', default: '0' })
    .option('insecure-skip-tls-verify', { type: 'boolean', group, description: "Don't check the server's certificate (insecure)" })
    .option('server', { alias: 's', type: 'string', group, description: 'The address and port of the Kubernetes API server' })
    .option('token', { type: 'string', group, description: 'Bearer token for authentication to the API server' })
    .option('v', { type: 'number', group, description: 'Log level: 6 logs every request with status and duration', default: 0 });
  if (options.allNamespaces) {
    out = out.option('all-namespaces', { alias: 'A', type: 'boolean', description: 'List across all namespaces; -n is ignored' });
  }
  return out;
}

export function configFlagsFrom(args: CommonArgs): ConfigFlags {
  return {
    kubeconfig: args.kubeconfig,
    context: args.context,
    cluster: args.cluster,
    user: args.user,
    namespace: args.namespace,
    as: args.as,
    asGroups: args['as-group'],
    requestTimeoutMs: parseRequestTimeout(args['request-timeout'] ?? '0'),
    insecureSkipTlsVerify: args['insecure-skip-tls-verify'],
    server: args.server,
    token: args.token,
    // mkdeploy -f - reads manifests from stdin: an exec plugin cannot have it (kubectl's rule).
    stdinUnavailable: ((args as { filename?: unknown }).filename as string[] | undefined)?.includes?.('-') ? 'used by stdin resource manifest reader' : undefined,
  };
}
