/**
 * The failures of one run as lines: each its own `error:` line (or kubectl's `Error from server
 * (Reason):` for a named object the server did not find), the same failure for every type
 * (a rejected token, an untrusted server certificate) told once, with its hint.
 */
import type { PluginError } from '../errors.ts';
import type { Streams } from './streams.ts';
import { oneLineMessage } from './terminal-text.ts';

export function writeFailures(errors: PluginError[], streams: Streams): void {
  const told = new Set<string>();
  for (const e of errors) {
    const message = oneLineMessage(e.message);
    if (told.has(message)) continue;
    told.add(message);
    streams.stderr.write(e.serverReason ? `Error from server (${e.serverReason}): ${message}\n` : `error: ${message}\n`);
  }
  const hint = errors[0]?.hint;
  if (told.size === 1 && hint) streams.stderr.write(`hint: ${oneLineMessage(hint)}\n`);
}
