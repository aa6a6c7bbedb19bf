/**
 * One run of an exec credential plugin (client-go's plugin/pkg/client/auth/exec): the command
 * is looked up on PATH (a path with a slash was made absolute against its kubeconfig by
 * kubeconfig.ts), gets its args, the kubeconfig's env on top of ours and KUBERNETES_EXEC_INFO
 * (an ExecCredential whose spec says whether it may prompt and, with provideClusterInfo, which
 * cluster), and prints an ExecCredential of the same apiVersion on stdout. Its stderr is ours
 * (prompts and messages reach the user); stdin only when interactive.
 *
 * Every failure is one ConfigError (exit 5) naming the user and what went wrong. The plugin's
 * stdout holds the secret: no message ever quotes it.
 */
import { ConfigError } from '../errors.ts';
import type { ExecProvider } from './rest-config.ts';

export interface ExecCredential {
  token?: string | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  /** status.expirationTimestamp as epoch milliseconds; undefined: valid until a 401. */
  expiresAt?: number | undefined;
}

export interface ExecRunOptions {
  /** Our environment (the plugin's starts from it); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Whether our stdin is a terminal (interactiveMode IfAvailable / Always). */
  stdinIsTerminal?: boolean;
  /** Kill the plugin after this long (0: never). */
  timeoutMs: number;
  /** Where the timeout came from, for the message. */
  timeoutSource?: string;
}

const maxStdout = 16 * 1024 * 1024;

export async function runExecPlugin(provider: ExecProvider, options: ExecRunOptions): Promise<ExecCredential> {
  const fail = (message: string, hint?: string, cause?: unknown) =>
    new ConfigError(`getting credentials for user "${provider.userName}": ${message}`, { ...(hint ? { hint } : {}), ...(cause ? { cause } : {}) });
  const { config } = provider;
  const apiVersion = config.apiVersion!;
  const interactive = isInteractive(provider.interactiveMode, options.stdinIsTerminal ?? process.stdin.isTTY === true, provider.stdinUnavailable);
  if (interactive instanceof Error) throw fail(`exec plugin cannot support interactive mode: ${interactive.message}`);

  const spec: Record<string, unknown> = { interactive };
  if (config.provideClusterInfo) spec.cluster = provider.cluster;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  for (const v of config.env ?? []) env[v.name] = v.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ kind: 'ExecCredential', apiVersion, spec });

  const command = config.command;
  const stdout = await new Promise<Buffer>((resolve, reject) => {
    // Non-interactive plugins get their own process group, so a timeout ends their children too.
    const child = process.getBuiltinModule('node:child_process').spawn(command, config.args ?? [], { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'], detached: !interactive });
    const chunks: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(interactive ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    // Its own process group gets no Ctrl-C from the terminal: if we exit first, it goes with us.
    const onExit = () => kill();
    process.once('exit', onExit);
    if (options.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, options.timeoutMs);
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxStdout) chunks.push(chunk);
      else kill();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      process.removeListener('exit', onExit);
      if (error.code === 'ENOENT') {
        const hint = cleanHint(config.installHint) || `is ${command} installed and on PATH? (see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins)`;
        reject(fail(`exec: executable ${command} not found`, hint, error));
      } else if (error.code === 'EACCES') {
        reject(fail(`exec: executable ${command}: permission denied`, undefined, error));
      } else {
        reject(fail(`exec: ${error.code ?? error.message}`, undefined, error));
      }
    });
    let ended = false;
    child.stdout!.once('end', () => (ended = true));
    // 'exit', then the end of stdout; but a child the plugin left behind may keep the pipe open:
    // not waiting more than a second for it.
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (ended || timedOut) return settle(code, signal);
      const grace = setTimeout(() => settle(code, signal), 1000);
      child.stdout!.once('end', () => {
        clearTimeout(grace);
        settle(code, signal);
      });
    });
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      process.removeListener('exit', onExit);
      child.stdout!.destroy();
      if (timedOut) {
        const seconds = options.timeoutMs / 1000;
        reject(fail(`exec: executable ${command} did not finish within ${seconds}s${options.timeoutSource ? ` (${options.timeoutSource})` : ''}`));
      } else if (size > maxStdout) {
        reject(fail(`exec: executable ${command} printed more than ${maxStdout / 1024 / 1024} MiB`));
      } else if (code !== 0) {
        reject(fail(code === null ? `exec: executable ${command} was killed by ${signal}` : `exec: executable ${command} failed with exit code ${code}`));
      } else {
        resolve(Buffer.concat(chunks));
      }
    };
  });
  return decodeExecCredential(stdout, apiVersion, (message) => fail(message));
}

/** Reads the plugin's stdout: an ExecCredential of `apiVersion` with a token or a cert and key. */
export function decodeExecCredential(stdout: Buffer, apiVersion: string, fail: (message: string) => Error): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout.toString('utf8'));
  } catch {
    throw fail(`decoding stdout: the plugin did not print JSON (${stdout.length} bytes)`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw fail('decoding stdout: the plugin did not print a JSON object');
  const cred = doc as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> | null };
  if (cred.apiVersion !== apiVersion) {
    throw fail(`exec plugin is configured to use API version ${apiVersion}, plugin returned version ${typeof cred.apiVersion === 'string' && cred.apiVersion ? cred.apiVersion : '(none)'}`);
  }
  if (cred.kind !== 'ExecCredential') throw fail(`exec plugin returned kind ${JSON.stringify(String(cred.kind ?? ''))}, not ExecCredential`);
  const status = cred.status;
  if (typeof status !== 'object' || status === null) throw fail("exec plugin didn't return a status field");
  const str = (name: string): string => {
    const v = status[name];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw fail(`exec plugin returned status.${name} that is not a string`);
    return v;
  };
  const token = str('token');
  const certData = str('clientCertificateData');
  const keyData = str('clientKeyData');
  const expiration = str('expirationTimestamp');
  if (!token && !certData && !keyData) throw fail("exec plugin didn't return a token or cert/key pair");
  if (!certData !== !keyData) throw fail('exec plugin returned only certificate or key, not both');
  const result: ExecCredential = {};
  if (token) result.token = token;
  if (certData) {
    const cert = Buffer.from(certData);
    const key = Buffer.from(keyData);
    try {
      const crypto = process.getBuiltinModule('node:crypto');
      new crypto.X509Certificate(cert);
      crypto.createPrivateKey(key);
      process.getBuiltinModule('node:tls').createSecureContext({ cert, key });
    } catch {
      throw fail('failed parsing client key/certificate returned by the exec plugin');
    }
    result.cert = cert;
    result.key = key;
  }
  if (expiration) {
    const at = Date.parse(expiration);
    if (!/^\d{4}-\d\d-\d\dT/.test(expiration) || Number.isNaN(at)) throw fail(`exec plugin returned an invalid status.expirationTimestamp ${JSON.stringify(expiration)}`);
    result.expiresAt = at;
  }
  return result;
}

function isInteractive(mode: ExecProvider['interactiveMode'], stdinIsTerminal: boolean, stdinUnavailable: string | undefined): boolean | Error {
  switch (mode) {
    case 'Never':
      return false;
    case 'IfAvailable':
      return stdinUnavailable === undefined && stdinIsTerminal;
    case 'Always':
      if (!stdinIsTerminal) return new Error('standard input is not a terminal');
      return stdinUnavailable === undefined ? true : new Error(`standard input is unavailable: ${stdinUnavailable}`);
  }
}

/** client-go strips ANSI escapes from installHint (a kubeconfig must not drive the terminal). */
function cleanHint(hint: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (hint ?? '').replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g, '').trim();
}
