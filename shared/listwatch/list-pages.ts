/**
 * A LIST in chunks (limit/continue), page by page as the server sends them, so a caller can
 * print the first rows while later pages are still on their way.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { resourcePath } from '../discovery/api-resource.ts';
import { PluginError } from '../errors.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';

export interface ListQuery {
  /** Undefined lists across all namespaces. */
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** Items per request; 0 asks for everything at once. */
  chunkSize: number;
  accept: string;
  /**
   * For a Table: what each row carries besides its cells (the server's default is Metadata, the
   * whole PartialObjectMetadata with managedFields: for pods 15× the cells). `None` when nothing
   * reads `row.object`.
   */
  includeObject?: 'None' | 'Metadata' | 'Object' | undefined;
  /** More query parameters (KEP-5866's shardSelector). */
  extra?: Record<string, string> | undefined;
  /** Named objects only: GET this subresource of each (`status`, `scale`). */
  subresource?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface Page {
  metadata?: { resourceVersion?: string; continue?: string };
}

export function listQueryString(query: Omit<ListQuery, 'accept' | 'namespace' | 'signal'>, more: Record<string, string> = {}): string {
  const extra = { ...query.extra, ...more };
  const params = new URLSearchParams();
  if (query.chunkSize > 0) params.set('limit', String(query.chunkSize));
  if (query.includeObject) params.set('includeObject', query.includeObject);
  if (query.labelSelector) params.set('labelSelector', query.labelSelector);
  if (query.fieldSelector) params.set('fieldSelector', query.fieldSelector);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function* listPages<P extends Page>(transport: Transport, resource: ApiResource, query: ListQuery): AsyncGenerator<P> {
  const path = resourcePath(resource, query.namespace === undefined ? {} : { namespace: query.namespace });
  let token: string | undefined;
  do {
    const res = await transport.request({
      path: path + listQueryString(query, token ? { continue: token } : {}),
      headers: { Accept: query.accept },
      ...(query.signal ? { signal: query.signal } : {}),
    });
    if (res.status !== 200) throw errorForStatus(res.status, res.body);
    const page = JSON.parse(res.body.toString('utf8')) as P;
    token = page.metadata?.continue || undefined;
    yield page;
  } while (token);
}

/**
 * GETs named objects concurrently and yields them in the order asked, each as a one-row Table
 * (or the object itself for JSON). A name that fails is reported and the rest go on.
 */
export async function* getPages(transport: Transport, resource: ApiResource, names: string[], query: ListQuery, onError: (error: unknown, name: string) => void): AsyncGenerator<Page> {
  const namespace = query.namespace;
  const fetches = names.map(async (name) => {
    const res = await transport.request({
      path: resourcePath(resource, namespace === undefined ? { name } : { namespace, name }) + (query.subresource ? `/${encodeURIComponent(query.subresource)}` : ''),
      headers: { Accept: query.accept },
      ...(query.signal ? { signal: query.signal } : {}),
    });
    if (res.status !== 200) throw errorForStatus(res.status, res.body);
    return JSON.parse(res.body.toString('utf8')) as Page;
  });
  // Settle each at once so a failure waiting its turn is never an unhandled rejection.
  const settled = fetches.map((p) => p.then((page) => ({ page }), (error: unknown) => ({ error })));
  for (const [i, next] of settled.entries()) {
    const outcome = await next;
    if ('page' in outcome) yield outcome.page;
    else if (outcome.error instanceof PluginError) onError(outcome.error, names[i]!);
    else throw outcome.error;
  }
}

/**
 * Starts pulling an async sequence at once and buffers what arrives, so several lists can run
 * concurrently while their output is still written in order.
 */
export function prefetch<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  const buffer: Array<{ value?: T; error?: unknown; done?: boolean }> = [];
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      for await (const value of source) {
        buffer.push({ value });
        wake?.();
      }
      buffer.push({ done: true });
    } catch (error) {
      buffer.push({ error });
    }
    wake?.();
  })();
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        const next = buffer.shift()!;
        if (next.done) return;
        if ('error' in next) throw next.error;
        yield next.value as T;
      }
    },
  };
}
