/**
 * krew in tests, on loopback and offline: a file server on 127.0.0.1 for release archives (what
 * a release page would serve), and a krew home of its own (KREW_ROOT, HOME) so nothing touches
 * the user's ~/.krew, ~/.gitconfig or ~/.kube.
 */
import { execFile, spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { KrewTools } from '../../scripts/sea/krew-tools.ts';

export interface FileServer {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** The file names asked for, in order (answered or not). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the flat directory `dir` (GET, no subdirectories) on 127.0.0.1 only. */
export async function serveFiles(dir: string): Promise<FileServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push(name);
    const path = join(dir, name);
    if (req.method !== 'GET' || name === '' || name.includes('/') || name.startsWith('.') || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    stat(path).then(
      (s) => {
        res.writeHead(200, { 'content-length': s.size, 'content-type': 'application/octet-stream' });
        createReadStream(path).pipe(res);
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The PATH entries of this process that hold none of `binaries` (so lookups find only ours). */
export function pathWithout(binaries: readonly string[]): string[] {
  return (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '' && !binaries.some((b) => existsSync(join(dir, b))));
}

export interface KrewHome {
  /** A temporary directory holding everything below. */
  dir: string;
  /** KREW_ROOT */
  root: string;
  /** $KREW_ROOT/bin, first on PATH, as krew's setup asks. */
  bin: string;
  /** Where `kubectl` is the given kubectl and `kubectl-krew` is our krew. */
  tools: string;
  /** A minimal environment: PATH, HOME, KREW_ROOT, no upgrade check; plus `extra`. */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

/**
 * A fresh krew home. PATH is $KREW_ROOT/bin, then the tools, then this process's PATH without
 * any directory that holds one of `plugins`' executables (a user's own copy would answer
 * `kubectl <name>` once krew has uninstalled it).
 */
export async function krewHome(tools: KrewTools, kubectl: string, plugins: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<KrewHome> {
  const dir = await mkdtemp(join(tmpdir(), 'krew-home-'));
  const root = join(dir, 'krew');
  const bin = join(root, 'bin');
  const toolDir = join(dir, 'tools');
  const home = join(dir, 'home');
  await Promise.all([mkdir(bin, { recursive: true }), mkdir(toolDir), mkdir(home)]);
  await symlink(tools.krew, join(toolDir, 'kubectl-krew'));
  await symlink(kubectl, join(toolDir, 'kubectl'));
  const hidden = plugins.flatMap((p) => [`kubectl-${p}`, `kubectl_complete-${p}`]);
  const env: NodeJS.ProcessEnv = {
    PATH: [bin, toolDir, ...pathWithout(hidden)].join(delimiter),
    HOME: home,
    KREW_ROOT: root,
    KREW_NO_UPGRADE_CHECK: '1',
    // git (krew's index add, update) reads no system or user configuration.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    // Anything that tried the network past loopback would meet a closed port: Go (krew, kubectl)
    // and git send everything but localhost through these.
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    http_proxy: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    NO_COLOR: '1',
    ...extra,
  };
  return { dir, root, bin, tools: toolDir, env, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit (check `code`). */
export function runIn(env: NodeJS.ProcessEnv, command: string, args: readonly string[], timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr }));
  });
}

/** Whether `command` runs at all (`command --version` or the like exits 0). */
export async function hasCommand(command: string, args: readonly string[] = ['--version']): Promise<boolean> {
  try {
    await promisify(execFile)(command, args);
    return true;
  } catch {
    return false;
  }
}
