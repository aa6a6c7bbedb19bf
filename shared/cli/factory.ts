/**
 * One place that turns the parsed global flags into clients, lazily and once per run
 * (kubectl's cmdutil.Factory): the rest config, the transport and discovery.
 */
import { createDiscovery, type Discovery } from '../discovery/discovery-client.ts';
import type { ConfigFlags } from '../kube/config-flags.ts';
import { createRestClient } from '../kube/rest-client.ts';
import { loadKubeconfig } from '../kube/kubeconfig.ts';
import { loadRestConfig, type RestConfig } from '../kube/rest-config.ts';
import type { Transport } from '../kube/transport.ts';
import { withRunSignal } from '../kube/run-signal.ts';
import { withWarnings } from '../kube/warnings.ts';
import { createVerboseLog, type LogSink } from '../kube/verbose-log.ts';

export const insecureWarning = 'warning: TLS certificate verification is disabled (insecure-skip-tls-verify)';

export interface Factory {
  readonly flags: ConfigFlags;
  readonly verbosity: number;
  restConfig(): RestConfig;
  transport(): Transport;
  discovery(): Discovery;
  /** A factory of its own for another kubeconfig context, the other flags and options alike (--context a,b). */
  forContext(name: string): Factory;
  /** The kubeconfig's context names, in its order (none without a kubeconfig). */
  contextNames(): string[];
}

export interface FactoryOptions {
  verbosity?: number;
  log?: LogSink;
  userAgent?: string;
  env?: NodeJS.ProcessEnv;
  /** The run's stop signal: reads are aborted with it (run-signal.ts). */
  signal?: AbortSignal;
}

export function createFactory(flags: ConfigFlags, options: FactoryOptions = {}): Factory {
  let config: RestConfig | undefined;
  let transport: Transport | undefined;
  let discovery: Discovery | undefined;
  const verbosity = options.verbosity ?? 0;
  const log: LogSink = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const factory: Factory = {
    flags,
    verbosity,
    restConfig: () => (config ??= loadRestConfig(flags, options.env ? { env: options.env } : {})),
    transport: () => {
      if (transport) return transport;
      const config = factory.restConfig();
      // Said once, before the first request: the server's identity is not being checked.
      if (config.insecureSkipTlsVerify && config.server.startsWith('https:')) log(insecureWarning);
      transport = withRunSignal(
        withWarnings(
          createRestClient(config, {
            log: createVerboseLog(verbosity, log),
            ...(options.userAgent ? { userAgent: options.userAgent } : {}),
            ...(options.env ? { env: options.env } : {}),
          }),
          log,
        ),
        options.signal,
      );
      return transport;
    },
    discovery: () => (discovery ??= createDiscovery(factory.transport(), { warn: (message) => log(`Warning: ${message}`) })),
    forContext: (name) => createFactory({ ...flags, context: name }, options),
    contextNames: () => [...(loadKubeconfig({ explicitPath: flags.kubeconfig, env: options.env ?? process.env })?.contexts.keys() ?? [])],
  };
  return factory;
}
