/**
 * Typed errors carry the exit code of the common contract; only a plugin's entry point
 * turns them into a process exit (see shared/cli/run-plugin.ts).
 */
export const ExitCode = {
  ok: 0,
  api: 1,
  usage: 2,
  denied: 3,
  notFound: 4,
  config: 5,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM, as a shell reports 128 + the signal's number. */
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface PluginErrorOptions {
  cause?: unknown;
  /** A second line telling the user what to do. */
  hint?: string;
  /** Reported as kubectl reports the server's refusals: `Error from server (NotFound): …`. */
  serverReason?: string;
}

export class PluginError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly serverReason: string | undefined;
  constructor(message: string, exitCode: ExitCode, options: PluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.serverReason = options.serverReason;
  }
}

/** Exit 1: the API server answered with an error. */
export class ApiError extends PluginError {
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: PluginErrorOptions) {
    super(message, ExitCode.api, options);
    this.status = status;
  }
}

/** Exit 2: a bad flag, argument or value; nothing was sent. */
export class UsageError extends PluginError {
  constructor(message: string, options?: PluginErrorOptions) {
    super(message, ExitCode.usage, options);
  }
}

/** Exit 3: the server answered 401 or 403. */
export class AccessDeniedError extends PluginError {
  constructor(message: string, options?: PluginErrorOptions) {
    super(message, ExitCode.denied, options);
  }
}

/** A request the server refused: what shared/rbac needs to explain it. */
export interface DeniedRequest {
  verb: string;
  resource: { group: string; resource: string; namespaced: boolean };
  namespace: string | undefined;
}

/** Exit 3, for a 403: the identity is known but lacks a permission (RBAC can explain it). */
export class ForbiddenError extends AccessDeniedError {
  readonly denied: DeniedRequest[];
  constructor(message: string, options: PluginErrorOptions & { denied?: DeniedRequest[] } = {}) {
    super(message, options);
    this.denied = options.denied ?? [];
  }
}

/** Exit 4: an unknown resource type or object. */
export class NotFoundError extends PluginError {
  constructor(message: string, options?: PluginErrorOptions) {
    super(message, ExitCode.notFound, options);
  }
}

/** Exit 5: the config cannot be loaded or the cluster cannot be reached. */
export class ConfigError extends PluginError {
  constructor(message: string, options?: PluginErrorOptions) {
    super(message, ExitCode.config, options);
  }
}

/** Exit 130 or 143: stopped by a signal; the message (if any) says what was left behind. */
export class InterruptedError extends PluginError {
  constructor(signal: unknown, message = '', options?: PluginErrorOptions) {
    super(message, signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted, options);
  }
}

/**
 * Several failures of one run that still printed what it could (one type of several refused):
 * the reporter prints each once and explains the refusals. Any denial makes the exit 3,
 * otherwise the first failure's code.
 */
export class PartialFailure extends PluginError {
  readonly errors: PluginError[];
  /** `hint` is said once after every failure's line (what became of the run as a whole). */
  constructor(errors: PluginError[], exitCode?: ExitCode, options: Pick<PluginErrorOptions, 'hint'> = {}) {
    const code = exitCode ?? (errors.some((e) => e.exitCode === ExitCode.denied) ? ExitCode.denied : (errors[0]?.exitCode ?? ExitCode.api));
    super(errors.map((e) => e.message).join('; '), code, options);
    this.errors = errors;
  }
}

/** The same failure (its class, exit code, status) told with another message (where it happened, say), and its hint or another. */
export function retold<E extends PluginError>(error: E, message: string, hint: string | undefined = error.hint): E {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as E;
  Object.assign(copy, error, { hint });
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true });
  return copy;
}

/**
 * The exit code of several failures of one run, most severe first: interrupted (143, 130), the
 * config or connection (5: nothing came back), denied (3), not found (4), an API error (1),
 * usage (2, which a run that sent requests does not reach).
 */
export function mostSevere(codes: readonly ExitCode[]): ExitCode {
  const order: ExitCode[] = [ExitCode.terminated, ExitCode.interrupted, ExitCode.config, ExitCode.denied, ExitCode.notFound, ExitCode.api, ExitCode.usage];
  return order.find((code) => codes.includes(code)) ?? ExitCode.ok;
}
