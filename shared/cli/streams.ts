/**
 * Where a plugin writes: data to stdout, messages to stderr. Colour only on a terminal and
 * never with NO_COLOR. Tests pass in-memory streams (test/helpers/streams.ts).
 */
export interface Streams {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  stdin?: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  color: boolean;
}

export function processStreams(env: NodeJS.ProcessEnv = process.env): Streams {
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdoutIsTTY,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    color: stdoutIsTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb',
  };
}
