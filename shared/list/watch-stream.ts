/**
 * A watch as `kubectl get -w` opens it (no bookmarks; the same Accept as the list), followed
 * until the run is stopped: each event goes to `onEvent`, which returns the resourceVersion it
 * saw; when the server ends the watch (its timeout) or the connection breaks, it is opened again
 * from that version after a pause, as long as it takes the server to come back (only the first
 * connection failing ends the run). An ERROR event (410 Gone included) is an ApiError, exit 1.
 */
import { resourcePath, type ApiResource } from '../discovery/api-resource.ts';
import { ApiError, ConfigError, PluginError } from '../errors.ts';
import { errorForStatus, parseStatus } from '../kube/api-errors.ts';
import type { Streams } from '../cli/streams.ts';
import type { Transport } from '../kube/transport.ts';
import { decodeWatchEvents, type WatchEvent } from '../listwatch/watch-decoder.ts';
import { getPages, listPages, listQueryString, type Page } from '../listwatch/list-pages.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** What `-w` watches and where it prints: the same for tables (watch-table.ts) and objects (watch-objects.ts). */
export interface WatchTarget {
  transport: Transport;
  resource: ApiResource;
  /** One object by name, or the whole (selected) list. */
  name?: string | undefined;
  namespace: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  chunkSize: number;
  watchOnly: boolean;
  /** kubectl's WatchEvents: an EVENT column in tables, `{"type":…,"object":…}` for objects (managedFields kept, as kubectl). */
  outputWatchEvents: boolean;
  streams: Streams;
  signal: AbortSignal;
}

/** The namespace a target lists and watches in (none for a cluster-scoped type). */
export function watchNamespace(target: WatchTarget): string | undefined {
  return target.resource.namespaced ? target.namespace : undefined;
}

/**
 * The state a watch starts from, as kubectl fetches it: the (selected) list's pages and their
 * version ("now"), or the one object by name (watched from "0": the server's first ADDED is it).
 */
export async function currentState<P extends Page>(target: WatchTarget, accept: string): Promise<{ pages: P[]; resourceVersion: string }> {
  const { transport, resource, signal } = target;
  const query = { namespace: watchNamespace(target), labelSelector: target.labelSelector, fieldSelector: target.fieldSelector, chunkSize: target.chunkSize, accept, signal };
  const pages: P[] = [];
  let resourceVersion = '0';
  if (target.name === undefined) {
    for await (const page of listPages<P>(transport, resource, query)) {
      pages.push(page);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    }
  } else {
    let failure: unknown;
    for await (const page of getPages(transport, resource, [target.name], query, (error) => (failure = error))) pages.push(page as P);
    if (failure) throw failure;
  }
  return { pages, resourceVersion };
}

/** followWatch over a target: one object by name is watched through its field selector. */
export function followTarget(target: WatchTarget, accept: string, resourceVersion: string, onEvent: FollowWatchOptions['onEvent']): Promise<void> {
  return followWatch({
    transport: target.transport,
    resource: target.resource,
    namespace: watchNamespace(target),
    labelSelector: target.labelSelector,
    fieldSelector: target.name === undefined ? target.fieldSelector : `metadata.name=${target.name}`,
    accept,
    resourceVersion,
    signal: target.signal,
    onEvent,
  });
}

export interface FollowWatchOptions {
  transport: Transport;
  resource: ApiResource;
  namespace: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  accept: string;
  resourceVersion: string;
  signal: AbortSignal;
  /** Handles one ADDED, MODIFIED or DELETED event; returns the version to resume from. */
  onEvent(event: WatchEvent): string | undefined;
}

/** Resolves when the signal aborts (Ctrl-C): a watch has no other normal end. */
export async function followWatch(options: FollowWatchOptions): Promise<void> {
  const { transport, resource, namespace, signal } = options;
  let resourceVersion = options.resourceVersion;
  let opened = false;
  while (!signal.aborted) {
    const path =
      resourcePath(resource, namespace === undefined ? {} : { namespace }) +
      listQueryString({ chunkSize: 0, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector }, { watch: '1', resourceVersion });
    let res;
    try {
      res = await transport.stream({ path, headers: { Accept: options.accept }, signal });
    } catch (error) {
      if (signal.aborted) return;
      // The server unreachable again after a cut: try again; the first time is a failure.
      if (!opened || !(error instanceof ConfigError)) throw error;
      await sleep(1000, undefined, { signal }).catch(() => undefined);
      continue;
    }
    opened = true;
    if (res.status !== 200) {
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk);
      throw errorForStatus(res.status, Buffer.concat(chunks));
    }
    try {
      for await (const event of decodeWatchEvents(res.body)) {
        if (event.type === 'BOOKMARK') continue;
        if (event.type === 'ERROR') {
          const status = parseStatus(JSON.stringify(event.object));
          throw new ApiError(status?.message ?? 'the watch failed', status?.code);
        }
        resourceVersion = options.onEvent(event) ?? resourceVersion;
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof PluginError && !(error instanceof ConfigError)) throw error;
      // A cut connection: opened again below.
    }
    await sleep(1000, undefined, { signal }).catch(() => undefined);
  }
}
