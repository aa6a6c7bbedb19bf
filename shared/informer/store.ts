/**
 * The informer's cache: the last known state of every object, by key (client-go's
 * cache.Store over a ThreadSafeStore). The informer alone writes to it; everyone else reads.
 */
import { objectKey, type InformerObject } from '../listwatch/object-key.ts';

/** What handlers and workers may do with the cache: read. */
export interface ReadonlyStore<T extends InformerObject> {
  /** The object filed under `key` (`namespace/name` or `name`), or undefined. */
  getByKey(key: string): T | undefined;
  /** The cached version of `object` (looked up by its key). */
  get(object: InformerObject): T | undefined;
  has(key: string): boolean;
  list(): T[];
  listKeys(): string[];
  readonly size: number;
}

export class Store<T extends InformerObject> implements ReadonlyStore<T> {
  readonly #items = new Map<string, T>();

  getByKey(key: string): T | undefined {
    return this.#items.get(key);
  }

  get(object: InformerObject): T | undefined {
    return this.#items.get(objectKey(object));
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  list(): T[] {
    return [...this.#items.values()];
  }

  listKeys(): string[] {
    return [...this.#items.keys()];
  }

  get size(): number {
    return this.#items.size;
  }

  /** Adds or replaces `object`; returns the version it replaced, if any. */
  put(object: T): T | undefined {
    const key = objectKey(object);
    const old = this.#items.get(key);
    this.#items.set(key, object);
    return old;
  }

  /** Removes the object with `object`'s key; returns what was cached, if anything. */
  delete(object: InformerObject): T | undefined {
    const key = objectKey(object);
    const old = this.#items.get(key);
    if (old !== undefined) this.#items.delete(key);
    return old;
  }

  /** The entries as [key, object] pairs (a live iterator: do not write while iterating). */
  entries(): IterableIterator<[string, T]> {
    return this.#items.entries();
  }
}
