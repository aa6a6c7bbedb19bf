/**
 * Waiting for the cluster to be usable, while watching the processes it depends on: if one of
 * them exits, the wait fails at once with the tail of that process's log (and a port-in-use
 * message when that is why), instead of timing out later.
 */
import fs from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, type ApiTarget } from './api.ts';
import { formatDuration } from './build.ts';
import { ClusterError, tail } from './errors.ts';
import { isAlive } from './processes.ts';

export interface Watched {
  name: string;
  pid: number;
  logFile: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Processes that must stay alive while we wait. */
  watch?: Watched[];
  intervalMs?: number;
}

/** Polls `check` until it returns true. A throwing check counts as "not yet". */
export async function waitUntil(what: string, check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    for (const w of options.watch ?? []) {
      if (!isAlive(w.pid)) throw exitedError(w);
    }
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started > options.timeoutMs) {
      const logs = (options.watch ?? []).map((w) => `--- ${w.logFile}\n${tail(readLog(w.logFile), 10)}`).join('\n');
      const last = lastError === undefined ? '' : ` (last error: ${(lastError as Error).message})`;
      throw new ClusterError(`timed out after ${formatDuration(Date.now() - started)} waiting for ${what}${last}`, { detail: logs || undefined });
    }
    await sleep(options.intervalMs ?? 200);
  }
}

/** The error for a component that exited: port-in-use if its log says so, else the log's tail. */
export function exitedError(w: Watched): ClusterError {
  const log = readLog(w.logFile);
  const port = /(?:127\.0\.0\.1|localhost|\[::\]|0\.0\.0\.0)?:(\d+): bind: address already in use/.exec(log)?.[1];
  if (port !== undefined) {
    return new ClusterError(`${w.name} could not start: port ${port} on 127.0.0.1 is in use`, {
      hint: `free the port (\`ss -ltnp 'sport = :${port}'\` shows who holds it), then run \`npm run cluster -- up\` again`,
    });
  }
  return new ClusterError(`${w.name} (pid ${w.pid}) exited during startup; its log: ${w.logFile}`, { detail: tail(log, 25) });
}

export async function apiserverReady(target: ApiTarget): Promise<boolean> {
  const res = await apiRequest(target, 'GET', '/readyz', undefined, 3_000);
  return res.status === 200;
}

export function etcdHealthy(clientPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: clientPort, path: '/health', timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function readLog(file: string): string {
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}
