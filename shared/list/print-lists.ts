/**
 * Lists several resource types concurrently and prints them in the order given, like
 * `kubectl get a,b,c`: one table block per type (names prefixed with `kind.group/` when
 * there are several), rows streamed as chunks arrive; or one `v1 List` for -o json|yaml;
 * or `kind.group/name` lines for -o name. A type that fails does not stop the others.
 */
import { namePrefix, type ApiResource } from '../discovery/api-resource.ts';
import { PluginError } from '../errors.ts';
import type { Transport } from '../kube/transport.ts';
import type { Streams } from '../cli/streams.ts';
import type { OutputFormat } from '../output/formats.ts';
import { asList, formatObject, withTypeMeta, type KubeObject } from '../output/object-output.ts';
import { bodyRows, headerRow, tableAccept, type RenderOptions, type Table } from '../output/server-table.ts';
import { TabWriter } from '../output/tab-writer.ts';
import { apiVersionOf } from '../discovery/api-resource.ts';
import { getPages, listPages, prefetch, type ListQuery, type Page } from './list-pages.ts';

export interface PrintListsOptions {
  transport: Transport;
  resources: ApiResource[];
  /** Undefined with -A. */
  namespace: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  chunkSize: number;
  format: OutputFormat;
  noHeaders: boolean;
  streams: Streams;
  extraColumns?: RenderOptions['extraColumns'];
  /** Get these objects of the (single) resource by name instead of listing. */
  names?: string[] | undefined;
  signal?: AbortSignal | undefined;
}

export interface PrintListsResult {
  /** Objects printed. */
  found: number;
  /** One per failed type, in order. */
  errors: Array<{ resource: ApiResource; error: unknown }>;
}

export async function printLists(options: PrintListsOptions): Promise<PrintListsResult> {
  const structured = options.format === 'json' || options.format === 'yaml';
  // A table reads `row.object` only for the NAMESPACE column (-A), extra columns (dynget's UID)
  // and -o name's fallback; otherwise the rows need their cells alone.
  const rowsNeedObject = (resource: ApiResource) =>
    (options.namespace === undefined && resource.namespaced) || options.extraColumns !== undefined || options.format === 'name';
  const query = (resource: ApiResource): ListQuery => ({
    namespace: resource.namespaced ? options.namespace : undefined,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    chunkSize: options.chunkSize,
    accept: structured ? 'application/json' : tableAccept,
    includeObject: structured || options.names || rowsNeedObject(resource) ? undefined : 'None',
    signal: options.signal,
  });
  // Every type starts now; output below still follows the order typed.
  const result: PrintListsResult = { found: 0, errors: [] };
  const source = (resource: ApiResource): AsyncIterable<Page> =>
    options.names
      ? getPages(options.transport, resource, options.names, query(resource), (error) => result.errors.push({ resource, error }))
      : listPages(options.transport, resource, query(resource));
  const streams = options.resources.map((resource) => ({ resource, pages: prefetch(source(resource)) }));
  const items: KubeObject[] = [];
  let blocksPrinted = 0;

  for (const { resource, pages } of streams) {
    const writer = new TabWriter();
    let printedHeader = false;
    const render: RenderOptions = {
      wide: options.format === 'wide',
      withNamespace: options.namespace === undefined && resource.namespaced,
      namePrefix: options.resources.length > 1 ? `${namePrefix(resource)}/` : '',
      ...(options.extraColumns ? { extraColumns: options.extraColumns } : {}),
    };
    try {
      for await (const page of pages) {
        if (structured) {
          const list = page as unknown as KubeObject & { items?: KubeObject[] };
          const objects = options.names ? [list] : (list.items ?? []);
          for (const item of objects) items.push(withTypeMeta(item, apiVersionOf(resource), resource.kind));
          result.found += objects.length;
          continue;
        }
        const table = page as unknown as Table;
        const rows = table.rows ?? [];
        if (rows.length === 0) continue;
        result.found += rows.length;
        if (options.format === 'name') {
          options.streams.stdout.write(rows.map((r) => `${namePrefix(resource)}/${r.object?.metadata?.name ?? r.cells[0]}\n`).join(''));
          continue;
        }
        let batch = bodyRows(table, render);
        if (!printedHeader) {
          if (blocksPrinted > 0) options.streams.stdout.write('\n');
          if (!options.noHeaders) batch = [headerRow(table, render), ...batch];
          printedHeader = true;
          blocksPrinted++;
        }
        options.streams.stdout.write(writer.format(batch));
      }
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      result.errors.push({ resource, error });
    }
  }
  if (structured && (result.found > 0 || result.errors.length === 0)) {
    // One object asked for by name prints alone, as `kubectl get TYPE NAME -o yaml`.
    const single = options.names?.length === 1 && items.length === 1;
    options.streams.stdout.write(formatObject(single ? items[0] : asList(items), options.format as 'json' | 'yaml'));
  }
  return result;
}

/** kubectl's message when a list comes back empty. */
export function noResourcesMessage(namespace: string | undefined): string {
  return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`;
}
