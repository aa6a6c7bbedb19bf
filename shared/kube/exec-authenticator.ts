/**
 * The credential an exec plugin gave, cached for the life of the process (client-go's
 * exec.Authenticator):
 * - reused until `status.expirationTimestamp`, less a margin (10% of what was left when it was
 *   issued, at most 10 s), then the plugin runs again;
 * - no expiration: reused until the server answers 401;
 * - a 401 answered to the cached credential runs the plugin again, once: a credential that was
 *   already replaced (another request saw the 401 first) is not replaced again;
 * - concurrent callers share one run of the plugin (it may prompt: it must not run twice).
 *
 * Expiry is measured on the injected Clock (monotonic): the wall-clock timestamp is turned into
 * "so many ms from now" once, when the credential arrives.
 */
import { realClock, type Clock } from '../time/clock.ts';
import type { ExecCredential } from './exec-credential.ts';

export interface ExecAuthenticator {
  /** The cached credential, or a fresh one when there is none or it expired. */
  get(): Promise<ExecCredential>;
  /**
   * The server answered 401 to `used`. Runs the plugin again unless that credential was already
   * replaced; resolves true when a different credential is now cached (worth one retry).
   */
  renew(used: ExecCredential): Promise<boolean>;
  /** How many times the plugin ran (for -v logs and tests). */
  readonly runs: number;
}

export interface ExecAuthenticatorOptions {
  clock?: Clock;
  /** Wall-clock milliseconds, to read expirationTimestamp against (default Date.now). */
  wallNow?: () => number;
}

const maxMarginMs = 10_000;

export function createExecAuthenticator(run: () => Promise<ExecCredential>, options: ExecAuthenticatorOptions = {}): ExecAuthenticator {
  const clock = options.clock ?? realClock;
  const wallNow = options.wallNow ?? Date.now;
  let cached: ExecCredential | undefined;
  /** On `clock`; undefined: no expiry. */
  let refreshAt: number | undefined;
  let pending: Promise<ExecCredential> | undefined;
  let runs = 0;

  const refresh = (): Promise<ExecCredential> =>
    (pending ??= (async () => {
      try {
        runs++;
        const credential = await run();
        cached = credential;
        refreshAt = undefined;
        if (credential.expiresAt !== undefined) {
          const left = Math.max(0, credential.expiresAt - wallNow());
          refreshAt = clock.now() + left - Math.min(maxMarginMs, left * 0.1);
        }
        return credential;
      } finally {
        pending = undefined;
      }
    })());

  const fresh = () => cached !== undefined && (refreshAt === undefined || clock.now() < refreshAt);

  return {
    get: () => (pending ?? (fresh() ? Promise.resolve(cached!) : refresh())),
    async renew(used) {
      if (pending) return (await pending) !== used;
      if (cached !== used) return cached !== undefined;
      return (await refresh()) !== used;
    },
    get runs() {
      return runs;
    },
  };
}
