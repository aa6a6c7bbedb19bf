/**
 * What a hook may say about its run besides its exit status (issue 27, contract point 3), as
 * controller-runtime's Result and TerminalError and kopf's TemporaryError/PermanentError say it:
 * one line in the file named by `WATCHQ_RESULT`.
 *
 * - `requeue-after DURATION` (a Go duration, `30s`): after a success, run the key again after
 *   DURATION (a change in between runs it sooner); after a failure, retry after exactly DURATION
 *   instead of the backoff delay (such retries do not count toward `--max-retries`).
 * - `permanent [MESSAGE]`: after a failure, do not retry: the key is dropped with MESSAGE until
 *   the object changes again.
 *
 * Anything else is the hook breaking the contract: watchq stops with exit 2 and one line.
 */
import { parseGoDuration } from '../../shared/cli/go-duration.ts';
import { UsageError } from '../../shared/errors.ts';

export type HookResult = { kind: 'none' } | { kind: 'requeue-after'; ms: number } | { kind: 'permanent'; message: string };

/** The result file's text (its first non-blank line counts), or a UsageError naming the hook's words. */
export function parseHookResult(text: string, command: string): HookResult {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim();
  if (line === undefined) return { kind: 'none' };
  const [word, ...rest] = line.split(/\s+/);
  const argument = rest.join(' ');
  if (word === 'permanent') return { kind: 'permanent', message: argument };
  if (word === 'requeue-after' && rest.length === 1) {
    const d = parseGoDuration(argument);
    if (d.error === undefined && d.value! > 0) return { kind: 'requeue-after', ms: d.value! };
    throw new UsageError(`--exec "${command}" wrote "${line}" to WATCHQ_RESULT: ${d.error ?? 'the duration must be above 0'}`, { hint: 'e.g. requeue-after 30s' });
  }
  throw new UsageError(`--exec "${command}" wrote "${line}" to WATCHQ_RESULT: not a result watchq knows`, { hint: 'write "requeue-after DURATION" or "permanent [MESSAGE]"' });
}

/** A failed run the controller must not retry with backoff: permanent, or retried after a delay of the hook's choosing. */
export class HookFailure extends Error {
  readonly result: Exclude<HookResult, { kind: 'none' }>;
  constructor(message: string, result: Exclude<HookResult, { kind: 'none' }>, options?: ErrorOptions) {
    super(result.kind === 'permanent' && result.message !== '' ? `${message}: permanent: ${result.message}` : message, options);
    this.name = 'HookFailure';
    this.result = result;
  }
}
