/**
 * `kubectl watchq [TYPE]`: an informer feeding a rate-limited work queue and workers, the
 * heart of every Kubernetes controller (the seed's second practice), as a tool: print what
 * changes, simulate failures (`--fail-on`), or run a shell command per key (`--exec`).
 * Runs until SIGINT/SIGTERM, then drains and prints a summary.
 */
import os from 'node:os';
import type { Registry } from 'prom-client';
import type { Argv } from 'yargs';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';
import type { PluginSpec } from '../../shared/cli/run-plugin.ts';
import { coalescingWriter, withStdout } from '../../shared/cli/streams.ts';
import { fullName, type ApiResource } from '../../shared/discovery/api-resource.ts';
import { controllerOwnerKey } from '../../shared/informer/owner-key.ts';
import { serverAppliesShards } from '../../shared/listwatch/server-sharding.ts';
import { shardOf, shardRanges, shardSelector } from '../../shared/listwatch/shard-range.ts';
import { runSharded } from './shards.ts';
import { Gauge } from 'prom-client';
import { AccessDeniedError, ApiError, ConfigError, ExitCode, ForbiddenError, InterruptedError, NotFoundError, PluginError, UsageError } from '../../shared/errors.ts';
import { oneLineMessage } from '../../shared/cli/terminal-text.ts';
import { explainDenials } from '../../shared/rbac/explain-denials.ts';
import { createInformer, type Informer } from '../../shared/informer/informer.ts';
import { createLeaseLock } from '../../shared/leader/lease-lock.ts';
import { createListWatch, type ListWatchOptions } from '../../shared/informer/list-watch.ts';
import type { InformerObject } from '../../shared/listwatch/object-key.ts';
import { promWorkqueueMetricsProvider } from '../../shared/metrics/prom-workqueue.ts';
import { registerInformerMetrics } from '../../shared/metrics/prom-informer.ts';
import { promReconcileMetrics } from '../../shared/metrics/prom-reconcile.ts';
import { createRateLimitingQueue } from '../../shared/workqueue/rate-limiting-queue.ts';
import { controllerRateLimiter } from '../../shared/workqueue/rate-limiters.ts';
import { Controller } from './controller.ts';
import { execHandler, type ExecHandlerOptions } from './exec-handler.ts';
import { executeOperations } from '../../shared/object-patch/execute.ts';
import { finalizerClient } from '../../shared/object-patch/finalizers.ts';
import { handledRecord } from '../../shared/object-patch/handled-record.ts';
import { eventRecorder } from '../../shared/kube/event-recorder.ts';
import { writeHookKubeconfig } from '../../shared/kube/hook-kubeconfig.ts';
import { failOnHandler, noopHandler, type Handler } from './handler.ts';
import { createWatchqRegistry, startMetricsServer, type MetricsServer } from './metrics-server.ts';
import { addWatchqFlags, parseWatchqOptions, watchqFormats, type WatchqArgs, type WatchqOptions } from './options.ts';
import { runAsLeader } from './leader.ts';
import { createReporter, type Summary } from './output.ts';

function total(summaries: Summary[]): Summary {
  return summaries.reduce((a, b) => ({ synced: a.synced + b.synced, deleted: a.deleted + b.deleted, retried: a.retried + b.retried, dropped: a.dropped + b.dropped }), { synced: 0, deleted: 0, retried: 0, dropped: 0 });
}

function buildHandler(options: WatchqOptions, output: (chunk: Buffer) => void, env: NodeJS.ProcessEnv, resultDir: string | undefined, writeBack: ExecHandlerOptions['writeBack']): Handler {
  const exec = options.exec === undefined ? noopHandler : execHandler({ command: options.exec, timeoutMs: options.execTimeoutMs, output, env, resultDir, writeBack });
  return options.failOn ? failOnHandler(options.failOn, exec) : exec;
}

export const watchq: PluginSpec<WatchqArgs> = {
  name: 'watchq',
  usage: 'kubectl watchq [TYPE] [flags]',
  positional: 'type',
  outputFormats: watchqFormats,
  description:
    'Watch a resource type (default deployments) through an informer and a rate-limited work queue, the way controllers do: ' +
    'print every change, or run a command per changed object, retrying failures with growing delays.',
  listsAcrossNamespaces: true,
  examples: [
    ['kubectl watchq', 'Print "Sync/Add/Update for Deployment …" for every deployment, then for every change'],
    ['kubectl watchq --fail-on test-deployment', 'Fail test-deployment on purpose: 5 retries with growing delays, then dropped'],
    ['kubectl watchq pods -A -o json', 'Every pod in every namespace, one JSON event per line'],
    ["kubectl watchq cm --exec './reconcile.sh' --workers 4", 'Run a script per changed ConfigMap (object JSON on stdin)'],
    ['kubectl watchq --metrics-addr 127.0.0.1:9090', 'Also serve Prometheus metrics at http://127.0.0.1:9090/metrics'],
    ['kubectl watchq --leader-elect', 'Several replicas, one leader (Lease watchq-deployments in the namespace)'],
  ],
  options: (y: Argv<CommonArgs>) => addWatchqFlags(y),
  flagTraits: { resync: { duration: true }, 'exec-timeout': { duration: true } },

  async run(ctx) {
    const { args, streams, factory, signal } = ctx;
    const positional = ctx.positional;
    const options = parseWatchqOptions(args, positional);
    // No flag silently ignored: the --exec limit without --exec would limit nothing.
    if (ctx.given.has('exec-timeout') && options.exec === undefined) throw new UsageError('--exec-timeout needs --exec', { hint: '--exec-timeout limits how long each --exec command may run' });

    const watchable = async (type: string, flag = ''): Promise<ApiResource> => {
      const r = await factory.discovery().resolveOne(type);
      if (!r.verbs.includes('list') || !r.verbs.includes('watch')) throw new UsageError(`${flag}${fullName(r)} cannot be watched (the server allows only: ${r.verbs.join(', ') || 'nothing'})`);
      return r;
    };
    const resource = await watchable(options.type);
    const namespace = options.allNamespaces ? undefined : factory.restConfig().namespace;
    // --owns: the types whose objects the hooks make, watched in the same scope.
    const ownedResources: ApiResource[] = [];
    for (const type of options.owns) {
      const r = await watchable(type, `--owns ${type}: `);
      if (fullName(r) === fullName(resource)) throw new UsageError(`--owns ${type}: that is the type watchq watches`);
      ownedResources.push(r);
    }
    // One line per object during the initial sync: written a loop turn at a time.
    const reporter = createReporter(options.output, withStdout(streams, coalescingWriter(streams.stdout)), resource.kind, undefined, { manyNamespaces: namespace === undefined && resource.namespaced });

    const registry: Registry | undefined = options.metricsAddr ? createWatchqRegistry((): Summary => total(terms.map((c) => c.summary()))) : undefined;
    const metricsProvider = registry ? promWorkqueueMetricsProvider(registry) : undefined;
    // controller-runtime's controller name: the kind in lower case.
    const reconcileMetrics = registry ? promReconcileMetrics(registry, resource.kind.toLowerCase(), options.workers) : undefined;
    const informers: Informer<InformerObject>[] = [];
    if (registry) registerInformerMetrics(registry, () => informers.slice(-1).map((informer) => ({ resource: fullName(resource), stats: () => informer.stats() })));

    // Before the first sync, a denial (401/403), a type the server stopped serving (404) or a
    // cluster that cannot be reached (5) will not fix itself: stop with its exit code. After it,
    // every failure is retried.
    const stopper = new AbortController();
    let fatal: PluginError | undefined;
    const stopWith = (error: PluginError): void => {
      fatal = error;
      stopper.abort();
    };
    let explainedLater = false;
    const terms: Controller[] = [];
    /**
     * One controller: informer, queue, workers, until `stop` aborts. A leader runs one per term; with
     * --shards, one per owned shard, its informers seeing only that shard's objects (owned objects
     * by their owner's UID).
     */
    const runController = (stop: AbortSignal, lost?: AbortSignal, shard?: number): Promise<Summary> => {
      const inShard = (uid: string | undefined) => uid !== undefined && shardOf(uid, options.shards) === shard;
      const watched = (r: ApiResource, selectors: Pick<ListWatchOptions, 'labelSelector' | 'fieldSelector' | 'shardSelector' | 'keep'>): Informer<InformerObject> => {
        const informer: Informer<InformerObject> = createInformer<InformerObject>({
          // The cache keeps objects without managedFields, as client-go's informers mostly do (--exec gets them so).
          listWatch: createListWatch(factory.transport(), r, { namespace, ...selectors, stripManagedFields: true, metadataOnly: options.metadataOnly }),
          resyncMs: r === resource ? options.resyncMs : 0,
          onProblem: (problem) => {
            // A request the server calls bad (400: a field selector it does not support) will not fix itself either.
            const error = problem.error;
            const badRequest = error instanceof ApiError && error.status === 400;
            if (!informer.hasSynced() && (badRequest || error instanceof AccessDeniedError || error instanceof NotFoundError || error instanceof ConfigError)) {
              stopWith(error as PluginError);
              return;
            }
            // A first watch refused (list allowed, watch not): the same refusal as a list's.
            const neverWatched = informer.stats().events + informer.stats().bookmarks === 0 && informer.stats().reconnects <= 1;
            if (problem.phase === 'watch' && problem.error instanceof ForbiddenError && neverWatched) {
              stopWith(problem.error);
              return;
            }
            reporter.problem(problem, informer.description);
            // Refused later (a Role taken away): keep retrying, and say once what would fix it.
            if (problem.error instanceof ForbiddenError && !explainedLater) {
              explainedLater = true;
              void explainDenials(factory, [{ verb: problem.phase === 'watch' ? 'watch' : 'list', resource: r, namespace }], ctx.name, streams);
            }
          },
        });
        return informer;
      };
      const sharding =
        shard === undefined ? {} : serverSide ? { shardSelector: shardSelector(shardRanges(options.shards)[shard]!) } : { keep: (o: InformerObject) => inShard(o.metadata?.uid as string | undefined) };
      const informer = watched(resource, { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, ...sharding });
      const ownerOf = (object: InformerObject) => controllerOwnerKey(object, resource);
      const owned = ownedResources.map((r) => ({ informer: watched(r, shard === undefined ? {} : { keep: (o) => inShard(ownerOf(o)?.uid) }), ownerOf }));
      informers.push(informer);
      const queue = createRateLimitingQueue<string>({ name: fullName(resource), rateLimiter: controllerRateLimiter<string>(options.backoff.baseMs, options.backoff.maxMs), ...(metricsProvider ? { metricsProvider } : {}) });
      const controller = new Controller({
        informer,
        queue,
        handler: buildHandler(options, (chunk) => streams.stderr.write(chunk.toString()), hookEnv, hookConfig?.dir, writeBack),
        ...(options.changes ? { changes: (object: InformerObject) => options.changes!.execute(object) } : {}),
        finalizer: options.finalizer === undefined ? undefined : finalizerClient(factory.transport(), resource, options.finalizer),
        owned,
        once: options.once,
        events,
        metrics: reconcileMetrics,
        shard,
        record: options.recordHandled === undefined ? undefined : handledRecord(factory.transport(), resource, options.recordHandled, options.changes ? (object) => options.changes!.execute(object) : undefined),
        onFatal: (error) => stopWith(error as PluginError),
        reporter,
        kind: resource.kind,
        workers: options.workers,
        maxRetries: options.maxRetries,
        drainTimeoutMs: options.execTimeoutMs > 0 ? options.execTimeoutMs + 5000 : 30_000,
      });
      terms.push(controller);
      return controller.run(stop, lost);
    };

    // --shards: does the API server apply shard selectors (KEP-5866)? Otherwise the same hash filters here.
    let serverSide = false;
    let ownedShards = 0;
    if (options.shards > 1) {
      serverSide = await serverAppliesShards(factory.transport(), resource, namespace, shardSelector(shardRanges(options.shards)[0]!), signal);
      reporter.info(`Sharding: ${options.shards} shards of the FNV-1a hash of metadata.uid, ${serverSide ? 'filtered by the API server (shardInfo echoed)' : 'filtered here: the API server does not apply shard selectors'}`);
      if (registry) {
        new Gauge({ name: 'watchq_shard_filter', help: 'Where shards are filtered: server (KEP-5866 shard selectors) or client', labelNames: ['mode'] as const, registers: [registry] }).set({ mode: serverSide ? 'server' : 'client' }, 1);
        new Gauge({ name: 'watchq_shards_owned', help: 'Shards this replica owns (holds the Lease of)', registers: [registry], collect() { this.set(ownedShards); } });
      }
    }

    // The metrics server before the informer starts: a port in use fails before any request.
    let metrics: MetricsServer | undefined;
    if (registry && options.metricsAddr) {
      metrics = await startMetricsServer(options.metricsAddr, registry);
      reporter.info(`Serving metrics at ${metrics.url}`);
    }

    // The hooks' kubectl reaches the cluster watchq watches, as the same user (hook-kubeconfig.ts).
    const hookConfig = options.exec === undefined ? undefined : await writeHookKubeconfig(factory.restConfig());
    const hookEnv: NodeJS.ProcessEnv = hookConfig ? { ...process.env, KUBECONFIG: hookConfig.path } : process.env;

    // --events: best effort; a refusal is said once (with what to grant) and watchq carries on.
    const events = options.events
      ? eventRecorder(factory.transport(), resource, 'kubectl-watchq', (error) => {
          reporter.info(`cannot record events: ${oneLineMessage(error.message)}`);
          if (error instanceof ForbiddenError) void explainDenials(factory, [{ verb: 'create', resource: { group: '', resource: 'events', namespaced: true }, namespace }, { verb: 'patch', resource: { group: '', resource: 'events', namespaced: true }, namespace }], ctx.name, streams);
        })
      : undefined;

    // What hooks write to WATCHQ_PATCH, carried out as watchq's own user.
    const writeBack: ExecHandlerOptions['writeBack'] = (ops, opSignal) =>
      executeOperations(ops, { transport: factory.transport(), discovery: factory.discovery(), defaultNamespace: factory.restConfig().namespace, signal: opSignal });

    const stop = (): void => stopper.abort();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      if (options.shards > 1) {
        await runSharded({
          transport: factory.transport(),
          namespace: factory.restConfig().namespace,
          prefix: options.leaseName ?? `watchq-${resource.resource}`,
          shards: options.shards,
          identity: `${os.hostname()}_${process.pid}`,
          stop: stopper.signal,
          run: (shard, term, lost) => runController(term, lost, shard),
          onOwned: (shards) => {
            ownedShards = shards.length;
            reporter.info(`Shards owned: ${shards.length === 0 ? 'none' : shards.join(', ')} of ${options.shards}`);
          },
          log: (line) => reporter.info(line),
          onFatal: stopWith,
        });
      } else if (options.leaderElect) {
        const leaseName = options.leaseName ?? `watchq-${resource.resource}`;
        const leaseNamespace = factory.restConfig().namespace;
        await runAsLeader({
          lock: createLeaseLock(factory.transport(), leaseNamespace, leaseName),
          identity: `${os.hostname()}_${process.pid}`,
          stop: stopper.signal,
          run: runController,
          log: (line) => reporter.info(line),
          // A Lease we may not touch, or a cluster we cannot reach, will not fix itself.
          onFatal: stopWith,
        });
      } else {
        await runController(stopper.signal);
      }
      if (fatal instanceof ForbiddenError) {
        // Say exactly what to grant: the watches (and the writes of --finalizer), and the Lease with --leader-elect.
        const leases = { group: 'coordination.k8s.io', resource: 'leases', namespaced: true };
        const denied = [
          ...['list', 'watch', ...(options.finalizer ? ['get', 'patch'] : options.recordHandled ? ['patch'] : [])].map((verb) => ({ verb, resource, namespace })),
          ...ownedResources.flatMap((owned) => ['list', 'watch'].map((verb) => ({ verb, resource: owned, namespace }))),
          ...(options.leaderElect || options.shards > 1 ? ['get', 'create', 'update', ...(options.shards > 1 ? ['list'] : [])].map((verb) => ({ verb, resource: leases, namespace: factory.restConfig().namespace })) : []),
        ];
        throw new ForbiddenError(fatal.message, { denied });
      }
      if (fatal) throw fatal;
      reporter.summary(total(terms.map((c) => c.summary())));
      // --once: the keys that did not succeed, each with its last error.
      const failed = terms.flatMap((c) => [...c.failures()]);
      if (options.once && failed.length > 0) {
        const named = failed.slice(0, 5).map(([key, why]) => `${key} (${oneLineMessage(why)})`).join(', ');
        throw new PluginError(`${failed.length} key(s) failed: ${named}${failed.length > 5 ? `, and ${failed.length - 5} more` : ''}`, ExitCode.api);
      }
      if (options.once && signal.aborted) throw new InterruptedError(signal.reason);
      return ExitCode.ok;
    } finally {
      await events?.flush();
      signal.removeEventListener('abort', stop);
      await metrics?.close();
      await hookConfig?.remove();
    }
  },
};
