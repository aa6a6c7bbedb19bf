/**
 * An informer (client-go's SharedIndexInformer, without indexes): a Reflector keeps a Store
 * equal to the server's state and tells every registered handler what changed.
 *
 *   const informer = createInformer({ listWatch: createListWatch(transport, resource, { namespace }) });
 *   informer.addEventHandler({
 *     onAdd: (obj) => queue.add(objectKey(obj)),
 *     onUpdate: (_old, obj) => queue.add(objectKey(obj)),
 *     onDelete: (obj) => queue.add(objectKey(obj)),
 *   });
 *   const done = informer.run(signal);       // lists, then watches until stopped
 *   await informer.waitForSync(signal);      // the first list has reached the handlers
 *
 * Handlers run synchronously, in the order of the events; they should only note the change
 * (put a key on a work queue) and return. A handler that throws is reported and skipped.
 * Deletes found by a relist (the watch missed them) come with `finalStateUnknown`: the
 * object is the last version the informer saw (client-go's DeletedFinalStateUnknown).
 *
 * The informer never stops by itself: only `stop()` or the signal given to `run` end it.
 */
import { realClock, type Clock, type TimerHandle } from '../time/clock.ts';
import type { ListerWatcher } from './list-watch.ts';
import { objectKey, resourceVersionOf, type InformerObject } from '../listwatch/object-key.ts';
import { Reflector, type InformerProblem, type ReflectorOptions, type ReflectorStats } from './reflector.ts';
import { Store, type ReadonlyStore } from './store.ts';

export interface EventHandler<T extends InformerObject> {
  /** A new object; `isInInitialList` while delivering the first list (or replaying to a late handler). */
  onAdd?(object: T, isInInitialList: boolean): void;
  /** A changed object; on a resync `oldObject === newObject`. */
  onUpdate?(oldObject: T, newObject: T): void;
  /** A deleted object; `finalStateUnknown` when a relist found it gone (the object is the last version seen). */
  onDelete?(object: T, finalStateUnknown: boolean): void;
}

export interface HandlerRegistration {
  /** Stops delivering to this handler. */
  remove(): void;
}

export interface InformerOptions<T extends InformerObject> extends ReflectorOptions {
  listWatch: ListerWatcher<T>;
  /** Every `resyncMs`, replay the whole cache to the handlers as updates (0 or unset: never). */
  resyncMs?: number;
  /** List failures, watch failures, relists, throwing handlers: what happened and what comes next. */
  onProblem?: (problem: InformerProblem) => void;
}

export interface InformerStats extends ReflectorStats {
  synced: boolean;
  /** Objects in the cache. */
  objects: number;
  /** Resync passes done. */
  resyncs: number;
}

export interface Informer<T extends InformerObject> {
  /** The cache; keys are `namespace/name` (cluster-scoped: `name`). */
  readonly store: ReadonlyStore<T>;
  /** What is being watched, for messages. */
  readonly description: string;
  /** Registers handlers; once synced, they first get an add for every cached object. */
  addEventHandler(handler: EventHandler<T>): HandlerRegistration;
  /** Lists and watches until stopped; resolves then (never rejects). Call once. */
  run(signal?: AbortSignal): Promise<void>;
  stop(): void;
  /** True once the first list has been delivered to the handlers. */
  hasSynced(): boolean;
  /** Resolves true when synced, or false if stopped (or `signal` aborts) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  /** The resourceVersion of the last list, event or bookmark seen. */
  lastSyncResourceVersion(): string;
  stats(): InformerStats;
}

class InformerImpl<T extends InformerObject> implements Informer<T> {
  readonly #store = new Store<T>();
  readonly #handlers = new Set<EventHandler<T>>();
  readonly #reflector: Reflector<T>;
  readonly #clock: Clock;
  readonly #resyncMs: number;
  readonly #onProblem: (problem: InformerProblem) => void;
  readonly #stopper = new AbortController();
  #syncWaiters: Array<(synced: boolean) => void> = [];
  #synced = false;
  #running: Promise<void> | undefined;
  #resyncTimer: TimerHandle | undefined;
  #resyncs = 0;
  readonly description: string;

  constructor(options: InformerOptions<T>) {
    this.#clock = options.clock ?? realClock;
    this.#resyncMs = options.resyncMs ?? 0;
    this.#onProblem = options.onProblem ?? (() => {});
    this.description = options.listWatch.description;
    this.#reflector = new Reflector<T>(
      options.listWatch,
      { replace: (items, initial) => this.#replace(items, initial), apply: (type, object) => this.#apply(type, object) },
      options,
    );
  }

  get store(): ReadonlyStore<T> {
    return this.#store;
  }

  addEventHandler(handler: EventHandler<T>): HandlerRegistration {
    this.#handlers.add(handler);
    if (this.#synced) {
      for (const object of this.#store.list()) this.#call(() => handler.onAdd?.(object, true));
    }
    return { remove: () => this.#handlers.delete(handler) };
  }

  run(signal?: AbortSignal): Promise<void> {
    if (this.#running) return this.#running;
    if (signal) {
      if (signal.aborted) this.stop();
      else signal.addEventListener('abort', () => this.stop(), { once: true });
    }
    this.#running = this.#reflector.run(this.#stopper.signal).finally(() => {
      this.#resyncTimer?.cancel();
      this.#releaseSyncWaiters(false);
    });
    return this.#running;
  }

  stop(): void {
    this.#stopper.abort();
    this.#resyncTimer?.cancel();
    this.#releaseSyncWaiters(this.#synced);
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (this.#stopper.signal.aborted || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#syncWaiters.push((synced) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      });
    });
  }

  lastSyncResourceVersion(): string {
    return this.#reflector.stats().resourceVersion;
  }

  stats(): InformerStats {
    return { ...this.#reflector.stats(), synced: this.#synced, objects: this.#store.size, resyncs: this.#resyncs };
  }

  /** A full list: adds for new keys, updates where the resourceVersion changed, deletes for keys gone. */
  #replace(items: T[], initial: boolean): void {
    const seen = new Set<string>();
    for (const object of items) {
      seen.add(objectKey(object));
      const old = this.#store.put(object);
      if (old === undefined) this.#emit((h) => h.onAdd?.(object, initial));
      else if (resourceVersionOf(old) !== resourceVersionOf(object)) this.#emit((h) => h.onUpdate?.(old, object));
    }
    if (this.#store.size > seen.size) {
      const gone: T[] = [];
      for (const [key, object] of this.#store.entries()) if (!seen.has(key)) gone.push(object);
      for (const object of gone) {
        this.#store.delete(object);
        this.#emit((h) => h.onDelete?.(object, true));
      }
    }
    if (!this.#synced) {
      this.#synced = true;
      this.#releaseSyncWaiters(true);
      this.#scheduleResync();
    }
  }

  #apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): void {
    if (type === 'DELETED') {
      this.#store.delete(object);
      this.#emit((h) => h.onDelete?.(object, false));
      return;
    }
    const old = this.#store.put(object);
    if (old === undefined) this.#emit((h) => h.onAdd?.(object, false));
    else this.#emit((h) => h.onUpdate?.(old, object));
  }

  #scheduleResync(): void {
    if (this.#resyncMs <= 0 || this.#stopper.signal.aborted) return;
    this.#resyncTimer = this.#clock.after(this.#resyncMs, () => {
      this.#resyncs++;
      for (const object of this.#store.list()) this.#emit((h) => h.onUpdate?.(object, object));
      this.#scheduleResync();
    });
  }

  #emit(call: (handler: EventHandler<T>) => void): void {
    for (const handler of this.#handlers) this.#call(() => call(handler));
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#onProblem({ phase: 'handler', error: error instanceof Error ? error : new Error(String(error)), action: 'continue', delayMs: 0 });
    }
  }

  #releaseSyncWaiters(synced: boolean): void {
    const waiters = this.#syncWaiters;
    this.#syncWaiters = [];
    for (const resolve of waiters) resolve(synced);
  }
}

export function createInformer<T extends InformerObject = InformerObject>(options: InformerOptions<T>): Informer<T> {
  return new InformerImpl<T>(options);
}
