/**
 * The controller loop of client-go's workqueue example, the seed's second practice:
 * the informer puts keys on a rate-limiting queue; `workers` workers take a key, read the
 * cached object, run the handler, and then
 * - success → `forget` (the key's backoff starts over);
 * - failure → `addRateLimited` while `numRequeues < maxRetries` (5 ms, 10 ms, 20 ms, … with the
 *   default controller limiter), else `forget` and drop it;
 * - `done` in every case, so a key updated meanwhile runs once more, never twice at once.
 * Many updates to a key while it waits collapse into one run.
 *
 * With a finalizer (`--finalizer`, issue 27 point 6): before a key's first run the finalizer is
 * added (the hook then gets the object as stored); an object being deleted that carries it runs
 * `finalize`, and the finalizer is removed after that run succeeds (its later disappearance runs
 * nothing more); one being deleted without it waits for its `delete` run. After a `delete` run
 * for an object that still carries it (it left the selectors), it is removed from the live
 * object, so watchq never holds back a deletion it will not see. A 403 on these writes stops
 * watchq (the fix commands name the verb); any other failure is the run's, retried.
 *
 * Owned objects (`--owns`, point 7): informers on other types whose changes (add, update,
 * delete) run their controller owner's key again as `resync`, when that owner is one this
 * controller watches (the same UID), so what a hook made and someone changed or deleted is
 * made again.
 *
 * With a record (`--record-handled`, point 8): after a successful run the object is annotated
 * with a digest of what the run saw; a sync, add or update whose object carries the digest of
 * its current view runs nothing (an object unchanged across a restart, or the echo of that
 * very annotation). A 403 writing it stops watchq, as for the finalizer.
 *
 * Stopping (the signal aborts): the informer stops, the queue stops handing out keys, the
 * handlers already running finish (after `drainTimeoutMs` they are told to stop), and `run`
 * resolves with the counts.
 */
import type { Informer } from '../../shared/informer/informer.ts';
import { objectKey, type InformerObject } from '../../shared/listwatch/object-key.ts';
import type { RateLimitingQueue } from '../../shared/workqueue/rate-limiting-queue.ts';
import { realClock, type Clock, type TimerHandle } from '../../shared/time/clock.ts';
import { ForbiddenError, UsageError } from '../../shared/errors.ts';
import { withoutManagedFields } from '../../shared/listwatch/strip-managed-fields.ts';
import { hasFinalizer, type FinalizerClient } from '../../shared/object-patch/finalizers.ts';
import type { HandledRecord } from '../../shared/object-patch/handled-record.ts';
import type { EventRecorder } from '../../shared/kube/event-recorder.ts';
import type { ReconcileMetrics } from '../../shared/metrics/prom-reconcile.ts';
import type { Handler, WorkChange, WorkItem } from './handler.ts';
import { HookFailure } from './hook-result.ts';
import type { Reporter, Summary } from './output.ts';

export interface ControllerOptions {
  informer: Informer<InformerObject>;
  queue: RateLimitingQueue<string>;
  handler: Handler;
  reporter: Reporter;
  kind: string;
  workers: number;
  maxRetries: number;
  /** How long running handlers get to finish after the stop signal (default 30 s). */
  drainTimeoutMs?: number;
  /** A handler broke the hook contract (a UsageError): watchq stops with it. */
  onFatal?: (error: Error) => void;
  /** `--changes`: an update runs only when this view of the object differs from the last successful run's. */
  changes?: (object: InformerObject) => string;
  /** `--owns`: informers on the types the hooks make; a change to one runs its controller owner again. */
  owned?: Array<{ informer: Informer<InformerObject>; ownerOf: (object: InformerObject) => { key: string; uid: string | undefined } | undefined }>;
  /** `--finalizer`: held on every object handled until its `finalize` run succeeds. */
  finalizer?: FinalizerClient | undefined;
  /** controller-runtime's reconcile metrics, for each run. */
  metrics?: ReconcileMetrics | undefined;
  /** `--events`: a Warning Event on the object for each retry (HookFailed) and drop (HookDropped). */
  events?: EventRecorder | undefined;
  /** `--shards`: the shard this controller handles (said with its first sync). */
  shard?: number | undefined;
  /** `--once`: stop once every key known at the first sync (and every change until then) is handled or dropped. */
  once?: boolean;
  /** `--record-handled`: what each successful run saw, kept on the object, so no run repeats it (even after a restart). */
  record?: HandledRecord | undefined;
  clock?: Clock;
}

export class Controller {
  readonly #o: ControllerOptions;
  /** The last version of deleted objects, until their delete has been handled. */
  readonly #tombstones = new Map<string, InformerObject>();
  /** Each key's object as its last successful run saw it: `update` runs hand it to the hook. */
  readonly #handled = new Map<string, InformerObject>();
  /** Keys of the objects the first list brought: their first run is `sync`, later ones' `add`. */
  readonly #initial = new Set<string>();
  /**
   * Keys asked to run again with no change (`--resync`, requeue-after): the only way to a
   * `resync` run. Any other wake-up for the version the last run saw (the echo of our own write,
   * such as the finalizer added before that run) runs nothing.
   */
  readonly #resyncDue = new Set<string>();
  /** `--once`: keys on the queue (waiting or delayed) not yet taken off it. */
  readonly #outstanding = new Set<string>();
  /** `--once`: runs in progress. */
  #active = 0;
  #synced = false;
  /** `--once`: aborted when nothing is left to do. */
  readonly #finished = new AbortController();
  /** Keys dropped (and not handled since), with why: `--once` names them. */
  readonly #failed = new Map<string, string>();
  /** Keys whose `finalize` run succeeded: their disappearance runs nothing more. */
  readonly #finalized = new Set<string>();
  readonly #summary: Summary = { synced: 0, deleted: 0, retried: 0, dropped: 0 };
  /** Aborted when draining takes too long: handlers should give up. */
  readonly #handlerStop = new AbortController();
  #stopping = false;

  constructor(options: ControllerOptions) {
    this.#o = options;
    const { informer } = options;
    informer.addEventHandler({
      onAdd: (object) => {
        if (!informer.hasSynced()) this.#initial.add(objectKey(object));
        this.#enqueue(objectKey(object));
      },
      onUpdate: (old, object) => {
        const key = objectKey(object);
        // The informer's resync hands the same object again.
        if (old === object) this.#resyncDue.add(key);
        this.#enqueue(key);
      },
      onDelete: (object) => {
        const key = objectKey(object);
        this.#tombstones.set(key, object);
        this.#add(key);
      },
    });
    for (const { informer: owned, ownerOf } of options.owned ?? []) {
      owned.addEventHandler({
        // Its first list changes nothing: every owner's first run comes after it.
        onAdd: (object, initial) => initial || this.#wakeOwner(ownerOf(object)),
        onUpdate: (old, object) => {
          if (old === object) return; // its resync is not a change
          this.#wakeOwner(ownerOf(object));
          this.#wakeOwner(ownerOf(old));
        },
        onDelete: (object) => this.#wakeOwner(ownerOf(object)),
      });
    }
  }

  /** An owned object changed: its owner, if watched here, runs again. */
  #wakeOwner(owner: { key: string; uid: string | undefined } | undefined): void {
    if (owner === undefined) return;
    const cached = this.#o.informer.store.getByKey(owner.key);
    if (cached === undefined || (owner.uid !== undefined && cached.metadata?.uid !== owner.uid)) return;
    this.#resyncDue.add(owner.key);
    this.#add(owner.key);
  }

  #enqueue(key: string): void {
    this.#tombstones.delete(key);
    this.#add(key);
  }

  /** Every key goes on the queue through here (`--once` counts what is left). */
  #add(key: string, how: { afterMs?: number; rateLimited?: boolean } = {}): void {
    if (this.#o.once) this.#outstanding.add(key);
    if (how.rateLimited) this.#o.queue.addRateLimited(key);
    else if (how.afterMs !== undefined) this.#o.queue.addAfter(key, how.afterMs);
    else this.#o.queue.add(key);
  }

  /** `--once`: stops when the first sync is done and no key waits or runs. */
  #checkFinished(): void {
    if (this.#o.once && this.#synced && this.#active === 0 && this.#outstanding.size === 0) this.#finished.abort();
  }

  /** The keys dropped and not handled since, with the last error: what `--once` reports. */
  failures(): ReadonlyMap<string, string> {
    return this.#failed;
  }

  summary(): Summary {
    return { ...this.#summary };
  }

  /**
   * Runs the informer, waits for its first sync, then the workers, until `signal` aborts.
   * Resolves with the counts once the workers have stopped. `now`, when it aborts, tells running
   * handlers to stop at once instead of draining (a leader that lost its lease).
   */
  async run(outer: AbortSignal, now?: AbortSignal): Promise<Summary> {
    const { informer, queue, reporter } = this.#o;
    const signal = this.#o.once ? AbortSignal.any([outer, this.#finished.signal]) : outer;
    const hurry = () => this.#handlerStop.abort();
    if (now?.aborted) hurry();
    else now?.addEventListener('abort', hurry, { once: true });
    const owned = (this.#o.owned ?? []).map((o) => o.informer);
    const informersDone = Promise.all([informer, ...owned].map((i) => i.run(signal)));
    const stop = (): void => {
      this.#stopping = true;
      for (const i of [informer, ...owned]) i.stop();
      queue.shutDown();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });

    try {
      // The owned types' caches too: a failure to list them before that is as fatal as the watched type's.
      if ((await Promise.all([informer, ...owned].map((i) => i.waitForSync(signal)))).every(Boolean)) {
        reporter.synced(informer.store.size, this.#o.shard);
        this.#synced = true;
        const workers = Array.from({ length: this.#o.workers }, () => this.#worker());
        this.#checkFinished();
        await this.#drain(Promise.all(workers), signal);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      now?.removeEventListener('abort', hurry);
      stop();
      await informersDone;
    }
    return this.summary();
  }

  /** Waits for the workers; once stopping, for at most the drain timeout (then tells handlers to stop). */
  async #drain(workers: Promise<unknown>, signal: AbortSignal): Promise<void> {
    await Promise.race([workers, new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })))]);
    const clock = this.#o.clock ?? realClock;
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = clock.after(this.#o.drainTimeoutMs ?? 30_000, () => resolve(true))));
    const finished = await Promise.race([workers.then(() => false), timedOut]);
    timer?.cancel();
    if (finished) {
      this.#handlerStop.abort();
      // Give the handlers a moment to wind down after being told to stop.
      let grace: TimerHandle | undefined;
      await Promise.race([workers, new Promise<void>((resolve) => (grace = clock.after(5000, resolve)))]);
      grace?.cancel();
    }
  }

  async #worker(): Promise<void> {
    const { queue } = this.#o;
    for (;;) {
      const next = await queue.get();
      if (next.shutdown) return;
      const key = next.item;
      this.#outstanding.delete(key);
      this.#active++;
      try {
        // Stopping: leave queued keys alone.
        if (!this.#stopping) await this.#process(key);
      } finally {
        this.#active--;
        queue.done(key);
        this.#checkFinished();
      }
    }
  }

  async #process(key: string): Promise<void> {
    const { informer, queue, handler, reporter, kind, maxRetries, finalizer, record } = this.#o;
    const cached = informer.store.getByKey(key);
    const last = this.#handled.get(key);
    let change: WorkChange;
    if (cached === undefined) change = 'delete';
    else if (finalizer && cached.metadata?.deletionTimestamp) change = 'finalize';
    else change = last === undefined ? (this.#initial.has(key) ? 'sync' : 'add') : last.metadata?.resourceVersion === cached.metadata?.resourceVersion ? 'resync' : 'update';
    // Nothing left to do: finalized already (its disappearance), being deleted without our finalizer (its delete run comes when
    // it is gone), or woken for the version the last run saw without being asked to run again.
    const nothingNew = change === 'resync' && !this.#resyncDue.has(key);
    if ((change === 'delete' && this.#finalized.has(key)) || (change === 'finalize' && !hasFinalizer(cached, finalizer!.name)) || nothingNew) {
      queue.forget(key);
      if (change === 'delete') this.#forgetKey(key);
      return;
    }
    // An object to hold with our finalizer before its run (also one whose finalizer someone took away).
    const holdFirst = finalizer !== undefined && cached !== undefined && change !== 'finalize' && !hasFinalizer(cached, finalizer.name);
    // Nothing the user cares about changed since the last success (a hook's own write-back), or since
    // the run the object's record names (before a restart): no run.
    const recorded = record !== undefined && (change === 'sync' || change === 'add' || change === 'update') && record.matches(cached!);
    if (!holdFirst && (recorded || (change === 'update' && this.#unchanged(cached!, last!)))) {
      if (recorded) this.#handled.set(key, cached!);
      queue.forget(key);
      return;
    }
    const item: WorkItem = {
      key,
      event: change === 'delete' ? 'delete' : change === 'finalize' ? 'finalize' : 'sync',
      change,
      ...(change === 'update' ? { old: last } : {}),
      object: cached ?? this.#tombstones.get(key),
      attempt: queue.numRequeues(key) + 1,
      kind,
    };
    const started = realClock.now();
    this.#o.metrics?.started();
    const measured = (result: 'success' | 'error' | 'requeue_after', terminal = false) => this.#o.metrics?.finished(result, (realClock.now() - started) / 1000, terminal);
    let requeueAfterMs: number | undefined;
    // Set while watchq writes its own finalizer or record: a 403 then is fatal.
    let ourWrite = false;
    try {
      if (holdFirst) {
        ourWrite = true;
        item.object = withoutManagedFields(await finalizer!.add(item.object!, this.#handlerStop.signal));
        ourWrite = false;
      }
      requeueAfterMs = (await handler.handle(item, this.#handlerStop.signal))?.requeueAfterMs;
      ourWrite = true;
      if (record && item.event === 'sync') await record.write(item.object!, this.#handlerStop.signal);
      if (finalizer && item.event !== 'sync' && hasFinalizer(item.object, finalizer.name)) await finalizer.remove(item.object!, this.#handlerStop.signal);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const durationMs = realClock.now() - started;
      const retries = queue.numRequeues(key);
      const event = (reason: string): void => void (item.object && this.#o.events?.record(item.object, 'Warning', reason, error.message));
      measured('error', error instanceof HookFailure && error.result.kind === 'permanent');
      // The hook broke its contract, or we may not write our finalizer or record: neither fixes itself.
      if (error instanceof UsageError || (ourWrite && error instanceof ForbiddenError)) {
        this.#o.onFatal?.(error);
        return;
      }
      if (error instanceof HookFailure && error.result.kind === 'requeue-after') {
        // The hook's own delay instead of the backoff; not counted toward --max-retries.
        this.#summary.retried++;
        reporter.retry(item, retries, error, durationMs);
        event('HookFailed');
        this.#resyncDue.add(key);
        this.#add(key, { afterMs: error.result.ms });
      } else if (retries < maxRetries && !(error instanceof HookFailure && error.result.kind === 'permanent')) {
        this.#summary.retried++;
        reporter.retry(item, retries, error, durationMs);
        event('HookFailed');
        this.#add(key, { rateLimited: true });
      } else {
        this.#summary.dropped++;
        reporter.drop(item, error, durationMs);
        event('HookDropped');
        this.#failed.set(key, error.message);
        queue.forget(key);
        this.#forgetTombstone(item);
      }
      return;
    }
    measured(requeueAfterMs === undefined ? 'success' : 'requeue_after');
    queue.forget(key);
    this.#resyncDue.delete(key);
    this.#failed.delete(key);
    if (item.event === 'sync') {
      this.#summary.synced++;
      this.#handled.set(key, item.object!);
      // Asked to come back (a poll, a wait for something outside the cluster); a change sooner runs it sooner.
      // Not with --once: this state is handled.
      if (requeueAfterMs !== undefined && !this.#o.once) {
        this.#resyncDue.add(key);
        this.#add(key, { afterMs: requeueAfterMs });
      }
    } else {
      this.#summary.deleted++;
      this.#forgetTombstone(item);
      if (item.event === 'finalize') this.#finalized.add(key);
      else this.#forgetKey(key);
    }
    reporter.handled(item, realClock.now() - started);
  }

  #forgetKey(key: string): void {
    this.#resyncDue.delete(key);
    this.#handled.delete(key);
    this.#initial.delete(key);
    this.#finalized.delete(key);
  }

  /** Whether `--changes` sees no difference (a template that fails on an object counts as a change). */
  #unchanged(now: InformerObject, before: InformerObject): boolean {
    const view = this.#o.changes;
    if (view === undefined) return false;
    try {
      return view(now) === view(before);
    } catch {
      return false;
    }
  }

  #forgetTombstone(item: WorkItem): void {
    if (item.event === 'delete' && this.#tombstones.get(item.key) === item.object) this.#tombstones.delete(item.key);
  }
}
