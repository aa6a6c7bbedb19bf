/**
 * When some of the work failed (one type of several denied, say): print each failure as its
 * own `error:` line and pick one exit code. Any denial gives 3, which the RBAC hints explain;
 * otherwise the first failure's code.
 */
import { ExitCode, PluginError } from '../errors.ts';
import type { Streams } from './streams.ts';

export function reportPartialFailures(errors: unknown[], streams: Streams): ExitCode {
  if (errors.length === 0) return ExitCode.ok;
  let code: ExitCode | undefined;
  for (const error of errors) {
    const e = error as PluginError;
    streams.stderr.write(`error: ${e.message}\n`);
    if (e.exitCode === ExitCode.denied) code = ExitCode.denied;
  }
  return code ?? (errors[0] as PluginError).exitCode;
}
