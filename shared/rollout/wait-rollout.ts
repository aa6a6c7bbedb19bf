/**
 * `--wait`: follow a Deployment until its rollout is done, has failed (its Progressing condition
 * says ProgressDeadlineExceeded, as `kubectl rollout status` stops on), or the timeout passes.
 * The Deployment is followed with the shared informer (a list, then a watch narrowed to it by
 * name, reconnecting as the informer does), not by polling. Progress goes to stderr: one line
 * rewritten in place on a terminal, a line per change otherwise.
 */
import type { Streams } from '../cli/streams.ts';
import type { ApiResource } from '../discovery/api-resource.ts';
import { AccessDeniedError, ApiError, ForbiddenError, InterruptedError, PluginError } from '../errors.ts';
import { createInformer } from '../informer/informer.ts';
import { createListWatch } from '../informer/list-watch.ts';
import type { InformerObject } from '../listwatch/object-key.ts';
import type { Transport } from '../kube/transport.ts';
import { realClock, type Clock } from '../time/clock.ts';
import { rolloutState, type DeploymentLike } from './deployment-status.ts';

export interface WaitOptions {
  transport: Transport;
  resource: ApiResource;
  namespace: string;
  name: string;
  timeoutMs: number;
  streams: Streams;
  signal?: AbortSignal | undefined;
  clock?: Clock;
}

export async function waitForRollout(options: WaitOptions): Promise<void> {
  const clock = options.clock ?? realClock;
  const tty = options.streams.stderrIsTTY;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let last = '';
  let failure: PluginError | undefined;
  let finish!: (outcome: 'done' | 'failed' | 'timeout') => void;
  const outcome = new Promise<'done' | 'failed' | 'timeout'>((resolve) => (finish = resolve));
  const show = (message: string, final: boolean) => {
    if (message === last) return;
    last = message;
    options.streams.stderr.write(tty ? `\r\x1b[K${message}${final ? '\n' : ''}` : `${message}\n`);
  };
  const check = (object: InformerObject) => {
    const state = rolloutState(object as DeploymentLike);
    show(state.message, state.done || state.failed);
    if (state.done) finish('done');
    else if (state.failed) finish('failed');
  };
  const informer = createInformer<InformerObject>({
    listWatch: createListWatch(options.transport, options.resource, { namespace: options.namespace, fieldSelector: `metadata.name=${options.name}` }),
    clock,
    onProblem: (problem) => {
      // A refusal will not fix itself, before or after the first sync (a user who may list
      // Deployments but not watch them was refused every few seconds until --timeout): what
      // --wait needs is named, so the reporter prints the fix for exactly that.
      if (problem.error instanceof AccessDeniedError) {
        const denied = ['list', 'watch'].map((verb) => ({ verb, resource: options.resource, namespace: options.namespace }));
        failure = new ForbiddenError(`--wait cannot follow deployment "${options.name}": ${problem.error.message}`, { denied });
        finish('failed');
      } else if (!informer.hasSynced() && problem.error instanceof PluginError) {
        // Before the first sync an unreachable server will not fix itself either.
        failure = problem.error;
        finish('failed');
      }
    },
  });
  informer.addEventHandler({
    onAdd: check,
    onUpdate: (_old, object) => check(object),
    onDelete: () => {
      failure = new ApiError(`deployment "${options.name}" was deleted while waiting for its rollout`);
      finish('failed');
    },
  });
  const timer = clock.after(options.timeoutMs, () => finish('timeout'));
  const running = informer.run(stop.signal);
  try {
    const interrupted = new Promise<'interrupted'>((resolve) => (options.signal?.aborted ? resolve('interrupted') : options.signal?.addEventListener('abort', () => resolve('interrupted'), { once: true })));
    const result = await Promise.race([outcome, interrupted]);
    if (result === 'done') return;
    if (tty && result !== 'failed') options.streams.stderr.write('\n');
    // The Deployment was made and stays, as kubectl leaves what it created when its wait stops.
    if (result === 'interrupted') {
      throw new InterruptedError(options.signal?.reason, `interrupted: deployment.apps/${options.name} was created and is not rolled out yet (kubectl rollout status deployment/${options.name} -n ${options.namespace} follows it)`);
    }
    if (result === 'failed') throw failure ?? new ApiError(`deployment "${options.name}" exceeded its progress deadline`);
    throw new ApiError(`timed out after ${options.timeoutMs / 1000}s waiting for the rollout: ${last.replace(/^Waiting for /, 'still waiting for ') || `deployment "${options.name}" not seen yet`}`);
  } finally {
    timer.cancel();
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
    await running;
  }
}
