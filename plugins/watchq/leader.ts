/**
 * `--leader-elect`: campaign for the Lease; while leading, run one controller term; on losing the
 * lease stop that term and its running handlers at once (the elector gives up within the renew
 * deadline, before a rival may take the lease); on SIGTERM drain, then release the lease so
 * another replica takes over without waiting for it to expire.
 */
import { LeaderElector, type ElectionConfig } from '../../shared/leader/leader-elector.ts';
import type { LeaseLock } from '../../shared/leader/lease-lock.ts';
import type { Summary } from './output.ts';
import { AccessDeniedError, ConfigError, type PluginError } from '../../shared/errors.ts';

export interface LeaderRun {
  lock: LeaseLock;
  identity: string;
  stop: AbortSignal;
  /** One term: stop when `term` aborts; when `lost` aborts too, running handlers stop at once. */
  run(term: AbortSignal, lost: AbortSignal): Promise<Summary>;
  log(line: string): void;
  /** Before leading for the first time, a refusal or an unreachable cluster ends the run. */
  onFatal(error: PluginError): void;
  /** The lease as already observed, and when (LeaderElector's `observed`). */
  observed?: ElectionConfig['observed'];
}

export async function runAsLeader(options: LeaderRun): Promise<void> {
  let led = false;
  let term: { abort: AbortController; lost: AbortController; done: Promise<Summary> } | undefined;
  const elector = new LeaderElector({
    lock: options.lock,
    identity: options.identity,
    observed: options.observed,
    onStartedLeading: () => {
      led = true;
      options.log(`Leading: lease ${options.lock.describe()} held by ${options.identity}`);
      const abort = new AbortController();
      const lost = new AbortController();
      term = { abort, lost, done: options.run(abort.signal, lost.signal) };
    },
    onStoppedLeading: async () => {
      if (!term) return;
      options.log(`No longer leading: lease ${options.lock.describe()}`);
      // Stopping on SIGTERM drains; a lost lease must not leave handlers running.
      if (!options.stop.aborted) term.lost.abort();
      term.abort.abort();
      await term.done;
      term = undefined;
    },
    onNewLeader: (identity) => {
      if (identity !== options.identity) options.log(`Waiting: lease ${options.lock.describe()} is held by ${identity}`);
    },
    onError: (error) => {
      if (!led && (error instanceof AccessDeniedError || error instanceof ConfigError)) options.onFatal(error);
      else options.log(`leader election: ${(error as Error).message}`);
    },
  });
  await elector.run(options.stop);
}
