/**
 * `--wait`: follow a Deployment until its rollout is done or the timeout passes. Progress goes
 * to stderr: one line rewritten in place on a terminal, a line per change otherwise.
 */
import type { Streams } from '../cli/streams.ts';
import { ApiError } from '../errors.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';
import { rolloutState, type DeploymentLike } from './deployment-status.ts';

export interface WaitOptions {
  transport: Transport;
  path: string;
  timeoutMs: number;
  streams: Streams;
  pollMs?: number;
  signal?: AbortSignal | undefined;
}

export async function waitForRollout(options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  const tty = options.streams.stderrIsTTY;
  for (;;) {
    const res = await options.transport.request({ path: options.path, signal: options.signal });
    if (res.status !== 200) throw errorForStatus(res.status, res.body);
    const state = rolloutState(JSON.parse(res.body.toString('utf8')) as DeploymentLike);
    if (state.message !== last) {
      if (tty) options.streams.stderr.write(`\r\x1b[K${state.message}${state.done ? '\n' : ''}`);
      else options.streams.stderr.write(`${state.message}\n`);
      last = state.message;
    }
    if (state.done) return;
    if (Date.now() >= deadline) {
      if (tty) options.streams.stderr.write('\n');
      throw new ApiError(`timed out after ${options.timeoutMs / 1000}s waiting for the rollout: ${state.message.replace(/^Waiting for /, 'still waiting for ')}`);
    }
    if (options.signal?.aborted) throw new ApiError('interrupted while waiting for the rollout');
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}
