/**
 * Duration flags in milliseconds, read as kubectl reads them: a Duration flag (`--timeout`,
 * watchq's `--resync`, `--exec-timeout`) with Go's time.ParseDuration, so `5` is refused for its
 * missing unit; `--request-timeout` with client-go's ParseTimeout, where a bare number is seconds.
 * The flag parser refuses a bad Duration before a command runs (flag-grammar.ts); these turn the
 * values into numbers and refuse with the same words where a value did not come through it.
 */
import { UsageError } from '../errors.ts';
import { goQuote } from './flag-grammar.ts';
import { parseGoDuration, parseGoTimeout } from './go-duration.ts';

export function parseDuration(value: string, flag: string): number {
  const d = parseGoDuration(value);
  if (d.error !== undefined) throw new UsageError(`invalid argument ${goQuote(value)} for ${goQuote(flag)} flag: ${d.error}`);
  return d.value!;
}

export function parseRequestTimeout(value: string): number {
  const d = parseGoTimeout(value);
  if (d.error !== undefined) throw new UsageError(d.error);
  return d.value!;
}
