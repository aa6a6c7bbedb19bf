/**
 * One place that turns the parsed global flags into clients, lazily and once per run
 * (kubectl's cmdutil.Factory): the rest config, the transport and discovery.
 */
import { createDiscovery, type Discovery } from '../discovery/discovery-client.ts';
import type { ConfigFlags } from './config-flags.ts';
import { createRestClient } from './rest-client.ts';
import { loadRestConfig, type RestConfig } from './rest-config.ts';
import type { Transport } from './transport.ts';
import { createVerboseLog, type LogSink } from './verbose-log.ts';

export const insecureWarning = 'warning: TLS certificate verification is disabled (insecure-skip-tls-verify)';

export interface Factory {
  readonly flags: ConfigFlags;
  readonly verbosity: number;
  restConfig(): RestConfig;
  transport(): Transport;
  discovery(): Discovery;
}

export interface FactoryOptions {
  verbosity?: number;
  log?: LogSink;
  userAgent?: string;
  env?: NodeJS.ProcessEnv;
}

export function createFactory(flags: ConfigFlags, options: FactoryOptions = {}): Factory {
  let config: RestConfig | undefined;
  let transport: Transport | undefined;
  let discovery: Discovery | undefined;
  const verbosity = options.verbosity ?? 0;
  const factory: Factory = {
    flags,
    verbosity,
    restConfig: () => (config ??= loadRestConfig(flags, options.env ? { env: options.env } : {})),
    transport: () => {
      if (transport) return transport;
      const config = factory.restConfig();
      const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
      // Said once, before the first request: the server's identity is not being checked.
      if (config.insecureSkipTlsVerify && config.server.startsWith('https:')) log(insecureWarning);
      transport = createRestClient(config, {
        log: createVerboseLog(verbosity, log),
        ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      });
      return transport;
    },
    discovery: () => (discovery ??= createDiscovery(factory.transport())),
  };
  return factory;
}
