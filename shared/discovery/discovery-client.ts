/**
 * Discovery for one server: the two aggregated documents, from the disk cache while it is
 * fresh, else from the server (revalidated by ETag where we have one), flattened into a REST
 * mapper. A warm cache costs no request; a cold one exactly two (`/api` and `/apis`, at once).
 *
 * Name lookups that miss refresh discovery once and try again (client-go's
 * DeferredDiscoveryRESTMapper), so a CRD created a second ago resolves at once; when every
 * document was already fetched from the server by this client, there is nothing newer to get,
 * and the miss is final.
 */
import { NotFoundError } from '../errors.ts';
import type { Transport } from '../kube/transport.ts';
import type { DocumentName, GroupDiscoveryList } from './aggregated.ts';
import { DOCUMENT_NAMES, fetchDiscoveryDocument, flattenDiscovery } from './aggregated.ts';
import type { ApiResource, GroupVersionKind, GroupVersionResource } from './api-resource.ts';
import { realClock, type Clock } from '../time/clock.ts';
import type { DiscoveryCache } from './disk-cache.ts';
import { createDiskCache, DEFAULT_TTL_MS, defaultCacheRoot, discoveryCacheDir } from './disk-cache.ts';
import type { RestMapper } from './rest-mapper.ts';
import { createRestMapper } from './rest-mapper.ts';

export interface DiscoveryOptions {
  /**
   * kubectl's cache root (`--cache-dir`): `$KUBECACHEDIR` or `~/.kube/cache` when omitted
   * (`defaultCacheRoot`); `null` turns the disk cache off. Our files go to
   * `<root>/kubectl-plugins/discovery/<server>/`.
   */
  cacheDir?: string | null;
  clock?: Clock;
  ttlMs?: number;
  /** Partial discovery (an aggregated API down): told once per load; the result is incomplete. */
  onWarning?: (message: string) => void;
  /** What kubectl prints as `Warning: …` while resolving names (a short name several groups claim). */
  warn?: (message: string) => void;
}

export interface Discovery {
  /** All resources, in priority order; from the cache when fresh, else fetched. */
  resources(): Promise<readonly ApiResource[]>;
  /** Fetches again, ignoring the TTL (still revalidating by ETag). */
  refresh(): Promise<readonly ApiResource[]>;
  /** The mapper over the current resources. */
  mapper(): Promise<RestMapper>;
  /** `RestMapper.resolve` (comma lists, categories), refreshing once on a miss. */
  resolve(input: string): Promise<ApiResource[]>;
  /** `RestMapper.resolveOne`, refreshing once on a miss. */
  resolveOne(name: string): Promise<ApiResource>;
  /** `RestMapper.resourceFor` (manifests), refreshing once on a miss. */
  resourceFor(gvk: GroupVersionKind): Promise<ApiResource>;
  /** `RestMapper.kindFor`, refreshing once on a miss. */
  kindFor(gvr: GroupVersionResource): Promise<ApiResource>;
  /** Discovery requests this client has sent (304s included). */
  readonly requestCount: number;
  /** The per-server cache directory, or undefined with the cache off. */
  readonly cacheDir: string | undefined;
}

interface State {
  mapper: RestMapper;
  /** Every document came from the server during this client's life (200 or 304). */
  fresh: boolean;
}

interface Loaded {
  document: GroupDiscoveryList;
  fromServer: boolean;
  warnings: string[];
}

export function createDiscovery(transport: Transport, options: DiscoveryOptions = {}): Discovery {
  const clock = options.clock ?? realClock;
  const root = options.cacheDir === undefined ? defaultCacheRoot() : options.cacheDir;
  const cache: DiscoveryCache | undefined =
    root === null ? undefined : createDiskCache(discoveryCacheDir(root, transport.serverName), { clock, ttlMs: options.ttlMs ?? DEFAULT_TTL_MS });

  let requestCount = 0;
  const counted: Transport = {
    serverName: transport.serverName,
    request: (req) => {
      requestCount++;
      return transport.request(req);
    },
    stream: (req) => transport.stream(req),
  };

  const loadDocument = async (name: DocumentName, force: boolean): Promise<Loaded> => {
    const cached = cache === undefined ? undefined : await cache.read(name);
    if (cached !== undefined && cached.fresh && !force) {
      return { document: cached.document, fromServer: false, warnings: [] };
    }
    const result = await fetchDiscoveryDocument(counted, name, { etag: cached?.etag });
    if (result.notModified) {
      // Only sent with an ETag, so only with a cached document.
      await cache?.touch(name).catch(() => undefined);
      return { document: cached!.document, fromServer: true, warnings: [] };
    }
    if (cache !== undefined && result.complete && result.document.items.length > 0) {
      // A read-only cache dir must not break the command: the next run just fetches again.
      await cache.write(name, { etag: result.etag, document: result.document }).catch(() => undefined);
    }
    return { document: result.document, fromServer: true, warnings: result.warnings };
  };

  const load = async (force: boolean): Promise<State> => {
    const [core, groups] = await Promise.all(DOCUMENT_NAMES.map((name) => loadDocument(name, force)));
    const flat = flattenDiscovery(core!.document, groups!.document);
    const warnings = [...new Set([...core!.warnings, ...groups!.warnings, ...flat.warnings])];
    for (const w of warnings) options.onWarning?.(w);
    return { mapper: createRestMapper(flat.resources, options.warn), fresh: core!.fromServer && groups!.fromServer };
  };

  let current: Promise<State> | undefined;
  const state = (force: boolean): Promise<State> => {
    if (current === undefined || force) {
      const loading = load(force);
      current = loading;
      // A failed load is not remembered: the next call tries again.
      loading.catch(() => {
        if (current === loading) current = undefined;
      });
    }
    return current;
  };

  /** Runs a lookup; on NotFoundError over possibly old data, refreshes once and runs it again. */
  const withRetry = async <T>(lookup: (mapper: RestMapper) => T): Promise<T> => {
    const before = state(false);
    const s = await before;
    try {
      return lookup(s.mapper);
    } catch (error) {
      if (!(error instanceof NotFoundError) || s.fresh) throw error;
    }
    // If another lookup already started a refresh, share it instead of fetching again.
    const after = current !== undefined && current !== before ? current : state(true);
    return lookup((await after).mapper);
  };

  return {
    async resources() {
      return (await state(false)).mapper.resources;
    },
    async refresh() {
      return (await state(true)).mapper.resources;
    },
    async mapper() {
      return (await state(false)).mapper;
    },
    resolve: (input) => withRetry((m) => m.resolve(input)),
    resolveOne: (name) => withRetry((m) => m.resolveOne(name)),
    resourceFor: (gvk) => withRetry((m) => m.resourceFor(gvk)),
    kindFor: (gvr) => withRetry((m) => m.kindFor(gvr)),
    get requestCount() {
      return requestCount;
    },
    cacheDir: cache?.dir,
  };
}
