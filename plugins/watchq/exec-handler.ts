/**
 * `--exec CMD`: a shell command per key, so a shell script can be a controller. The command
 * runs under `/bin/sh -c` in its own process group with the object's JSON on stdin and
 * WATCHQ_KEY, WATCHQ_EVENT (sync|add|update|resync|delete), WATCHQ_ATTEMPT (1, 2, …), WATCHQ_KIND,
 * WATCHQ_NAMESPACE and WATCHQ_NAME in its environment, and KUBECONFIG naming the hooks'
 * kubeconfig (shared/kube/hook-kubeconfig.ts) through `env`. Exit 0 is success; anything else, or
 * running past the timeout (the group is sent SIGTERM, then SIGKILL 2 s later), is a failure.
 * The SIGKILL goes to the whole group after the grace period even when the shell has exited
 * by then: a child of the command that ignores SIGTERM must not outlive its timeout.
 *
 * The command's stdout and stderr go to watchq's stderr line by line, each line prefixed with its
 * key (`[ns/name] …`), so watchq's stdout stays the event log and concurrent workers' lines can
 * be told apart. A failure says why: the exit status and the command's last stderr line.
 *
 * Write-back (issue 27, point 4): the command may write object operations (shared/object-patch)
 * to the file named by WATCHQ_PATCH, also exported as KUBERNETES_PATCH_PATH so shell-operator
 * hooks write there unchanged. After exit 0 they are carried out in order, and one the server
 * refuses makes the run a failure; after a failure they are discarded, but for status patches
 * marked `ignoreHookError` (shell-operator's rule). A file that is not valid operations stops
 * watchq (exit 2), as a bad WATCHQ_RESULT line does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { splitKey } from '../../shared/listwatch/object-key.ts';
import { maxManifestBytes } from '../../shared/manifests/read-sources.ts';
import { parseObjectOperations, type ObjectOperation } from '../../shared/object-patch/operations.ts';
import type { Handler } from './handler.ts';
import { HookFailure, parseHookResult } from './hook-result.ts';

export interface ExecHandlerOptions {
  command: string;
  /** 0: no limit. */
  timeoutMs: number;
  /** Where the command's output goes. */
  output: (chunk: Buffer) => void;
  env?: NodeJS.ProcessEnv;
  /** Between SIGTERM and SIGKILL (default 2 s). */
  killGraceMs?: number;
  /** A private directory for the WATCHQ_RESULT, WATCHQ_OLD and WATCHQ_PATCH files; without it there are none. */
  resultDir?: string | undefined;
  /** Carries out the operations a run wrote to WATCHQ_PATCH (shared/object-patch/execute.ts); without it there is no WATCHQ_PATCH. */
  writeBack?: ((ops: ObjectOperation[], signal: AbortSignal) => Promise<void>) | undefined;
}

/** Words the shell runs itself: no file to look for. */
const shellWords = new Set([
  '.', ':', '[', 'alias', 'break', 'case', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'for', 'if',
  'printf', 'read', 'return', 'set', 'shift', 'test', 'trap', 'true', 'type', 'ulimit', 'umask', 'unset', 'until', 'wait', 'while', '{', '(', '!',
]);

/** The program a shell command line starts with (after `VAR=value` assignments), unquoted. */
export function commandWord(command: string): string {
  const words = command.trim().match(/(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"])+/g) ?? [];
  const word = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '';
  return word.replace(/'([^']*)'|"((?:[^"\\]|\\.)*)"/g, (_m, single: string | undefined, double: string | undefined) => single ?? double!.replace(/\\(.)/g, '$1'));
}

/** Shell syntax in the first word (`$HOME/x`, `~/x`, `(cd d && ./x)`, globs): only the shell knows what runs. */
const shellSyntax = /[$~`(){};|&<>*?[\]\\]/;

/**
 * Checks that CMD's program exists and is executable (exit 2 otherwise, before anything
 * starts), when that can be known without the shell: a plain first word. A first word with
 * shell syntax (expansions, subshells, globs) is left to `/bin/sh -c`, which reports a missing
 * program itself. Returns the program's path, or the word itself when the shell decides.
 */
export function resolveExecCommand(command: string, env: NodeJS.ProcessEnv = process.env): string {
  if (command.trim() === '') throw new UsageError('--exec needs a command');
  const raw = command.trim().match(/(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"])+/g)?.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '';
  // Inside single quotes nothing expands; elsewhere, shell syntax means the shell decides.
  if (shellSyntax.test(raw.replace(/'[^']*'/g, ''))) return raw;
  const word = commandWord(command);
  if (word === '') throw new UsageError('--exec needs a command');
  if (shellWords.has(word)) return word;
  const executable = (file: string): boolean => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (word.includes('/')) {
    if (!fs.existsSync(word)) throw new UsageError(`--exec: ${word}: no such file`);
    if (!executable(word)) throw new UsageError(`--exec: ${word}: permission denied (not an executable file)`, { hint: `chmod +x ${word}` });
    return path.resolve(word);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, word);
    if (executable(file)) return file;
  }
  throw new UsageError(`--exec: ${word}: command not found`, { hint: 'give a path (./script.sh) or a command on PATH' });
}

export function execHandler(options: ExecHandlerOptions): Handler {
  const graceMs = options.killGraceMs ?? 2000;
  let runs = 0;
  return {
    async handle(item, signal) {
      const id = ++runs;
      const resultFile = options.resultDir === undefined ? undefined : path.join(options.resultDir, `result-${id}`);
      const patchFile = options.resultDir === undefined || options.writeBack === undefined ? undefined : path.join(options.resultDir, `patch-${id}`);
      // An update's previous object, as its last successful run saw it, in a file of its own.
      const oldFile = options.resultDir === undefined || item.old === undefined ? undefined : path.join(options.resultDir, `old-${id}.json`);
      if (oldFile !== undefined) fs.writeFileSync(oldFile, `${JSON.stringify(item.old)}\n`, { mode: 0o600 });
      let failure: Error | undefined;
      try {
        await run(item, signal, { resultFile, oldFile, patchFile });
      } catch (error) {
        failure = error as Error;
      } finally {
        if (oldFile !== undefined) fs.rmSync(oldFile, { force: true });
      }
      const said = resultFile === undefined ? { kind: 'none' as const } : parseHookResult(readHookFile(resultFile, 4096), options.command);
      const patchSource = `--exec "${options.command}" wrote to WATCHQ_PATCH`;
      const ops = patchFile === undefined ? [] : parseObjectOperations(readHookFile(patchFile, maxManifestBytes, patchSource), patchSource);
      // After a failure only status patches marked ignoreHookError are written (shell-operator's rule).
      const written = failure === undefined ? ops : ops.filter((op) => op.ignoreHookError && op.subresource === 'status');
      if (written.length > 0) {
        try {
          await options.writeBack!(written, signal);
        } catch (error) {
          failure ??= new Error(`write-back ${(error as Error).message}`, { cause: error });
        }
      }
      if (failure === undefined) return said.kind === 'requeue-after' ? { requeueAfterMs: said.ms } : {};
      if (said.kind !== 'none') throw new HookFailure(failure.message, said, { cause: failure });
      throw failure;
    },
  };

  function run(item: Parameters<Handler['handle']>[0], signal: AbortSignal, files: { resultFile: string | undefined; oldFile: string | undefined; patchFile: string | undefined }): Promise<void> {
      const { resultFile, oldFile, patchFile } = files;
      const { namespace, name } = splitKey(item.key);
      return new Promise<void>((resolve, reject) => {
        const child = process.getBuiltinModule('node:child_process').spawn('/bin/sh', ['-c', options.command], {
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: true,
          env: {
            ...(options.env ?? process.env),
            WATCHQ_KEY: item.key,
            WATCHQ_EVENT: item.change ?? item.event,
            WATCHQ_ATTEMPT: String(item.attempt),
            WATCHQ_KIND: item.kind,
            WATCHQ_NAMESPACE: namespace ?? '',
            WATCHQ_NAME: name,
            ...(resultFile === undefined ? {} : { WATCHQ_RESULT: resultFile }),
            ...(oldFile === undefined ? {} : { WATCHQ_OLD: oldFile }),
            ...(patchFile === undefined ? {} : { WATCHQ_PATCH: patchFile, KUBERNETES_PATCH_PATH: patchFile }),
          },
        });
        let why: string | undefined;
        const kill = (reason: string): void => {
          if (why !== undefined) return;
          why = reason;
          signalGroup(child.pid, 'SIGTERM');
          // Not cancelled when the shell exits: what it started may still run (and keeps the
          // event loop alive until then, so watchq does not exit before the group is gone).
          const pid = child.pid;
          setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
        };
        const timer = options.timeoutMs > 0 ? setTimeout(() => kill(`timed out after ${formatMs(options.timeoutMs)} (killed)`), options.timeoutMs) : undefined;
        const onAbort = (): void => kill('stopped while watchq shut down (killed)');
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });

        const prefix = `[${item.key}] `;
        const out = keyedLines(prefix, options.output);
        const err = keyedLines(prefix, options.output);
        child.stdout.on('data', out.push);
        child.stderr.on('data', err.push);
        // A command that does not read stdin closes it: that is fine.
        child.stdin.on('error', () => {});
        child.stdin.end(`${JSON.stringify(item.object ?? null)}\n`);

        child.once('error', (error) => {
          cleanup();
          reject(new Error(`exec "${options.command}": ${error.message}`, { cause: error }));
        });
        child.once('close', (code, sig) => {
          cleanup();
          out.end();
          err.end();
          const said = err.last() === undefined ? '' : `: ${err.last()}`;
          if (why !== undefined) reject(new Error(`exec "${options.command}" ${why}`));
          else if (code === 0) resolve();
          else if (code !== null) reject(new Error(`exec "${options.command}" exited with status ${code}${said}`));
          else reject(new Error(`exec "${options.command}" was killed by ${sig}${said}`));
        });
        function cleanup(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        }
      });
  }
}

/**
 * A file the hook wrote (at most `limit` bytes of a regular file: a FIFO put there never blocks
 * us; a WATCHQ_PATCH file beyond it is refused), then the file is gone; none written: empty.
 */
function readHookFile(file: string, limit: number, refuseBeyond?: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return '';
    if (stat.size > limit && refuseBeyond !== undefined) throw new UsageError(`${refuseBeyond}: ${stat.size} bytes, more than the ${limit >> 20} MiB watchq reads`);
    const buffer = Buffer.alloc(Math.min(stat.size, limit));
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

/** Splits a stream into lines, each written with `prefix`; remembers the last non-blank line. */
function keyedLines(prefix: string, write: (chunk: Buffer) => void): { push: (chunk: Buffer) => void; end: () => void; last: () => string | undefined } {
  let partial = '';
  let last: string | undefined;
  const emit = (line: string): void => {
    if (line.trim() !== '') last = line.trim();
    write(Buffer.from(`${prefix}${line}\n`));
  };
  return {
    push: (chunk) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) emit(line);
    },
    end: () => {
      if (partial !== '') emit(partial);
      partial = '';
    },
    last: () => last,
  };
}

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // Already gone.
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
