/**
 * A running `dist/bin/kubectl-watchq` for integration tests: collects its output as it comes,
 * waits for lines, and stops it with a signal the way a user would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { pluginPath } from '../../helpers/plugin.ts';

export interface WatchqEvent {
  time: string;
  event: 'sync' | 'delete' | 'finalize' | 'retry' | 'drop' | 'error' | 'synced';
  key?: string;
  kind?: string;
  attempt?: number;
  retry?: number;
  error?: string;
  durationMs?: number;
  count?: number;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class WatchqProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly #exited: Promise<Finished>;

  constructor(args: string[], env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }) {
    this.child = spawn(pluginPath('watchq'), args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdin.end();
    this.#exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /** stdout as JSON events (for -o json). */
  events(): WatchqEvent[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as WatchqEvent);
  }

  /** Polls until `check` gives a value; fails with the output so far after `timeoutMs`. */
  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`watchq exited while waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await sleep(50);
    }
  }

  /** Waits for the informer's first sync (the json `synced` event or the text `Synced N objects` line). */
  waitForSync(timeoutMs = 60_000): Promise<true> {
    return this.waitFor('the first sync', () => /"event":"synced"|Synced \d+ objects/.test(this.stdout + this.stderr) || undefined, timeoutMs);
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000): Promise<Finished> {
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  exited(): Promise<Finished> {
    return this.#exited;
  }
}
