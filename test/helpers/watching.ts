/**
 * A `get -w` process of ours or kubectl's, run side by side in the watch parity suites: its
 * output so far, and whether its -v=6 log shows the watch request answered (changes after that
 * are seen).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Watching {
  child: ChildProcess;
  out: () => string;
  watching: () => boolean;
  done: Promise<number>;
}

export function startWatching(binary: string, kubeconfig: string, args: string[]): Watching {
  const child = spawn(binary, ['--kubeconfig', kubeconfig, '-v=6', ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return { child, out: () => stdout, watching: () => /[?&]watch=(1|true)\b/.test(stderr), done };
}

/** Polls `check` every 100 ms until it holds; throws naming `what` after `ms`. */
export async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
