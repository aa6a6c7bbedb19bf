/**
 * How an informer reaches the server (client-go's ListerWatcher): a LIST in chunks that yields
 * the items and the resourceVersion to watch from, and a WATCH from a resourceVersion that
 * yields the decoded events. Both go through the shared Transport, so any resource type the
 * discovery mapping resolves works, and unit tests script a fake Transport.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { apiVersionOf, fullName, resourcePath } from '../discovery/api-resource.ts';
import { ApiError } from '../errors.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';
import { listPages, listQueryString } from '../listwatch/list-pages.ts';
import type { InformerObject } from '../listwatch/object-key.ts';
import { withoutManagedFields } from '../listwatch/strip-managed-fields.ts';
import { decodeWatchEvents, type WatchEvent } from '../listwatch/watch-decoder.ts';

export interface ListResult<T extends InformerObject> {
  items: T[];
  /** The list's resourceVersion: the watch starts from here. */
  resourceVersion: string;
}

export interface ListerWatcher<T extends InformerObject> {
  /** For messages: `deployments.apps in namespace "default"`. */
  readonly description: string;
  /** Lists everything (all pages); rejects with a PluginError on a non-200 answer. */
  list(signal: AbortSignal): Promise<ListResult<T>>;
  /**
   * Opens a watch from `resourceVersion` with bookmarks, ending server-side after
   * `timeoutSeconds`. Rejects with a PluginError on a non-200 answer (an ApiError with status
   * 410 when the resourceVersion is too old); the events end when the server closes the stream.
   */
  watch(resourceVersion: string, timeoutSeconds: number, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>>;
  /**
   * A watch that begins with the current state (WatchList, KEP 3157: `sendInitialEvents=true`,
   * `resourceVersionMatch=NotOlderThan`): an ADDED event per object, then a bookmark annotated
   * `k8s.io/initial-events-end: "true"`, then the changes as any watch. `resourceVersion` ""
   * asks for the most recent state, as consistent as a quorum read. Optional: a reflector
   * without it lists.
   */
  watchList?(resourceVersion: string, timeoutSeconds: number, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>>;
}

/** The annotation of the bookmark that ends a watch-list's initial events. */
export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';

export interface ListWatchOptions {
  /** Undefined watches every namespace (ignored for cluster-scoped resources). */
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** Items per LIST request (default 500, kubectl's chunk size). */
  chunkSize?: number;
  /** Keep objects without metadata.managedFields (client-go's TransformStripManagedFields). */
  stripManagedFields?: boolean;
  /** KEP-5866's `shardSelector` on every list and watch (`shardRange(object.metadata.uid, …)`). */
  shardSelector?: string | undefined;
  /**
   * Objects to keep, the others dropped from lists and watch events before anyone sees them
   * (a client-side shard). Only for what never changes while an object lives (its UID, its
   * owner's): an object is never dropped from one event and kept in the next.
   */
  keep?: ((object: InformerObject) => boolean) | undefined;
  /** Only each object's metadata (PartialObjectMetadata), as client-go's metadata informer asks for it. */
  metadataOnly?: boolean;
}

interface ListPage<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

const jsonAccept = 'application/json';
/** client-go's metadata client: the server sends meta.k8s.io/v1 PartialObjectMetadata(List). */
export const metadataAccept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** 410 Gone: the resourceVersion is older than the server keeps (client-go's IsResourceExpired/IsGone). */
export function isExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 410;
}

const streamFailures: Record<string, string> = {
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'i/o timeout',
  EPIPE: 'broken pipe',
};

/** A watch body that breaks mid-stream says so (Node's own error is just "aborted"). */
async function* brokenStreamErrors(body: AsyncIterable<Buffer>, server: string, signal: AbortSignal): AsyncGenerator<Buffer> {
  try {
    yield* body;
  } catch (error) {
    if (signal.aborted) throw error;
    const e = error as NodeJS.ErrnoException;
    const reason = streamFailures[e?.code ?? ''] ?? e?.message ?? String(error);
    throw new Error(`connection to ${server} lost: ${reason}`, { cause: error });
  }
}

export function createListWatch<T extends InformerObject = InformerObject>(
  transport: Transport,
  resource: ApiResource,
  options: ListWatchOptions = {},
): ListerWatcher<T> {
  const namespace = resource.namespaced ? options.namespace : undefined;
  const where = !resource.namespaced ? '' : namespace === undefined ? ' in all namespaces' : ` in namespace "${namespace}"`;
  const apiVersion = apiVersionOf(resource);
  const accept = options.metadataOnly ? metadataAccept : jsonAccept;
  const extra: Record<string, string> = options.shardSelector ? { shardSelector: options.shardSelector } : {};
  const keep = options.keep;
  return {
    description: `${fullName(resource)}${where}`,

    async list(signal) {
      const items: T[] = [];
      let resourceVersion = '';
      const pages = listPages<ListPage<T>>(transport, resource, {
        namespace,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        chunkSize: options.chunkSize ?? 500,
        accept,
        signal,
        extra,
      });
      for await (const page of pages) {
        // Items of a typed list carry no apiVersion/kind; watch events do. Make them alike.
        for (const listed of page.items ?? []) {
          if (keep && !keep(listed)) continue;
          const item = options.stripManagedFields ? withoutManagedFields(listed) : listed;
          items.push(item.kind === undefined ? ({ apiVersion, kind: resource.kind, ...item } as T) : item);
        }
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      }
      return { items, resourceVersion };
    },

    watch(resourceVersion, timeoutSeconds, signal) {
      return openWatch({ watch: '1', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(timeoutSeconds) }, signal);
    },

    watchList(resourceVersion, timeoutSeconds, signal) {
      return openWatch(
        {
          watch: '1',
          sendInitialEvents: 'true',
          resourceVersionMatch: 'NotOlderThan',
          ...(resourceVersion === '' ? {} : { resourceVersion }),
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(timeoutSeconds),
        },
        signal,
      );
    },
  };

  async function openWatch(query: Record<string, string>, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>> {
    const path =
      resourcePath(resource, namespace === undefined ? {} : { namespace }) +
      listQueryString({ chunkSize: 0, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector }, { ...extra, ...query });
    const res = await transport.stream({ path, headers: { Accept: accept }, signal });
    if (res.status !== 200) {
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk);
      throw errorForStatus(res.status, Buffer.concat(chunks));
    }
    const events = decodeWatchEvents<T>(brokenStreamErrors(res.body, transport.serverName, signal), { stripManagedFields: options.stripManagedFields ?? false });
    return keep ? keptEvents(events, keep) : events;
  }
}

/** Watch events of kept objects only (bookmarks and errors pass). */
async function* keptEvents<T extends InformerObject>(events: AsyncIterable<WatchEvent<T>>, keep: (object: InformerObject) => boolean): AsyncGenerator<WatchEvent<T>> {
  for await (const event of events) if (event.type === 'BOOKMARK' || event.type === 'ERROR' || keep(event.object)) yield event;
}
