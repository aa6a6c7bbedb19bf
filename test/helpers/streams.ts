import type { Streams } from '../../shared/cli/streams.ts';

/** In-memory streams for running a plugin inside a test. */
export function memoryStreams(options: { tty?: boolean } = {}): Streams & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.tty ?? false,
    color: options.tty ?? false,
    out: () => out,
    err: () => err,
  };
}
