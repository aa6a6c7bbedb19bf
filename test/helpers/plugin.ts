/**
 * Runs a built plugin (`dist/bin/kubectl-<name>`, made by `npm run build`) as a user would:
 * a separate process, argv, stdin, exit code. Integration tests use this, never the source.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function pluginPath(name: string): string {
  const file = path.join(repoRoot, 'dist', 'bin', `kubectl-${name}`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return file;
}

export interface PluginResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface PluginRunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** The working directory (default: the test's). */
  cwd?: string;
}

export function runPlugin(name: string, args: string[], options: PluginRunOptions = {}): Promise<PluginResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(pluginPath(name), args, { env: options.env ?? { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: performance.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}
