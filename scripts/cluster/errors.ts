/**
 * Errors the cluster script reports as one line (plus an optional hint and detail, such as the
 * tail of a log). `scripts/cluster.ts` is the only place that turns them into an exit code;
 * anything else is a bug and prints its stack.
 */
export interface ClusterErrorOptions {
  cause?: unknown;
  /** What the user can do about it. */
  hint?: string;
  /** Extra lines shown under the message (log or compiler output tail). */
  detail?: string;
}

export class ClusterError extends Error {
  readonly hint: string | undefined;
  readonly detail: string | undefined;
  constructor(message: string, options: ClusterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.detail = options.detail;
  }
}

/** The last `lines` non-empty lines of a text, for showing what a process said before it failed. */
export function tail(text: string, lines = 20): string {
  const all = text.split('\n').filter((line) => line.trim() !== '');
  return all.slice(-lines).join('\n');
}
