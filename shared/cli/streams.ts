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
  /** The terminal's width when stdout is one (help wraps to it). */
  columns?: number | undefined;
  color: boolean;
}

export function processStreams(env: NodeJS.ProcessEnv = process.env): Streams {
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: process.stdin opens the descriptor (and loads net or tty) when first read.
    get stdin() {
      return process.stdin;
    },
    stdoutIsTTY,
    columns: process.stdout.columns,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    color: stdoutIsTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb',
  };
}

/**
 * A writer that gathers what is written within one turn of the event loop and writes it at
 * once (or as soon as 64 KiB are waiting): for commands printing many short lines (watchq's
 * initial sync prints one per object), where a write per line costs a system call and the
 * stream's bookkeeping each time. What is written still goes out in order, before the process
 * exits of its own accord.
 */
export function coalescingWriter(target: { write(chunk: string): unknown }, limit = 64 * 1024): { write(chunk: string): boolean } {
  let pending: string[] = [];
  let size = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    target.write(text);
  };
  return {
    write(chunk) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= limit) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
  };
}

/** `streams` with another stdout; the other members as they are (stdin stays unopened). */
export function withStdout(streams: Streams, stdout: Streams['stdout']): Streams {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(streams), stdout: { value: stdout, enumerable: true } }) as Streams;
}
