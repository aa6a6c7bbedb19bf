/**
 * When some of the work failed (one type of several denied, say): print each failure as its
 * own `error:` line and pick one exit code. Any denial gives 3, which the RBAC hints explain;
 * otherwise the first failure's code. The same failure for every type (a rejected token, an
 * untrusted server certificate) is told once, with its hint.
 */
import { ExitCode, PluginError } from '../errors.ts';
import type { Streams } from './streams.ts';

export function reportPartialFailures(errors: unknown[], streams: Streams): ExitCode {
  if (errors.length === 0) return ExitCode.ok;
  let code: ExitCode | undefined;
  const told = new Set<string>();
  for (const error of errors) {
    const e = error as PluginError;
    if (e.exitCode === ExitCode.denied) code = ExitCode.denied;
    const message = e.message.replace(/\s*\n\s*/g, ' ').trim();
    if (told.has(message)) continue;
    told.add(message);
    streams.stderr.write(`error: ${message}\n`);
  }
  const first = errors[0] as PluginError;
  if (told.size === 1 && first.hint) streams.stderr.write(`hint: ${first.hint}\n`);
  return code ?? first.exitCode;
}
