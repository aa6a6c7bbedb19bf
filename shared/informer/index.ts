/**
 * Informers: list-watch.ts (LIST in chunks + WATCH with bookmarks over the Transport) →
 * reflector.ts (the loop: relist on 410, reconnect with backoff.ts, watchdog) → informer.ts
 * (store.ts cache + event handlers + resync). Keys come from object-key.ts.
 */
export { Backoff, defaultBackoff, type BackoffOptions } from './backoff.ts';
export { createInformer, type EventHandler, type HandlerRegistration, type Informer, type InformerOptions, type InformerStats } from './informer.ts';
export { createListWatch, isExpired, type ListerWatcher, type ListResult, type ListWatchOptions } from './list-watch.ts';
export { objectKey, resourceVersionOf, splitKey, type InformerObject, type ObjectMeta } from './object-key.ts';
export { Reflector, WatchStalledError, type InformerProblem, type ProblemAction, type ProblemPhase, type ReflectorOptions, type ReflectorSink, type ReflectorStats } from './reflector.ts';
export { Store, type ReadonlyStore } from './store.ts';
export { decodeWatchEvents, parseWatchLine, WatchDecodeError, type WatchEvent, type WatchEventType } from './watch-decoder.ts';
