/**
 * Fetches what `kubectl get` arguments ask for (types to list, objects by name) concurrently
 * and prints it in the order given: one table per run of the same type, aligned over all its
 * chunks (names prefixed with `kind.group/` when several types answered), a blank line between
 * tables unless --no-headers; or one `v1 List` (one object alone when a single one was named)
 * for -o json|yaml|jsonpath; or custom columns; or `kind.group/name` lines for -o name.
 * A type or name that fails does not stop the others.
 */
import { fullyQualifiedName, namePrefix, type ApiResource } from '../discovery/api-resource.ts';
import { ExitCode, NotFoundError, PluginError, UsageError } from '../errors.ts';
import { objectMetaTable } from '../output/object-meta-table.ts';
import { realClock } from '../time/clock.ts';
import type { Transport } from '../kube/transport.ts';
import type { Streams } from '../cli/streams.ts';
import type { OutputSpec } from '../output/output-spec.ts';
import { renderCustomColumns } from '../output/custom-columns.ts';
import { JsonPathExecutionError } from '../output/jsonpath/evaluate.ts';
import { asList, formatObject, withTypeMeta, type KubeObject } from '../output/object-output.ts';
import { bodyRows, headerRow, metadataAccept, metadataListAccept, tableAccept, type RenderOptions, type Table } from '../output/server-table.ts';
import { TabWriter } from '../output/tab-writer.ts';
import { apiVersionOf, parseApiVersion } from '../discovery/api-resource.ts';
import type { GetRequest } from './get-args.ts';
import { sortByField, type SortBy } from './sort-by.ts';
import { getPages, listPages, prefetch, type ListQuery, type Page } from '../listwatch/list-pages.ts';

export interface PrintListsOptions {
  transport: Transport;
  requests: GetRequest[];
  /** Undefined with -A. */
  namespace: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  chunkSize: number;
  output: OutputSpec;
  noHeaders: boolean;
  streams: Streams;
  extraColumns?: RenderOptions['extraColumns'];
  /** -o json|yaml: keep metadata.managedFields (--show-managed-fields). */
  showManagedFields?: boolean | undefined;
  /** One object named alone: printed without a List around it (kubectl's singleItemImplied). */
  singleItem?: boolean | undefined;
  /** Structured outputs and -o name print nothing when any named object failed (`get -f`). */
  nothingOnError?: boolean | undefined;
  /** `--server-print=false`: tables of NAME and AGE made here from the objects (kubectl's client-side printer). */
  serverPrint?: boolean | undefined;
  /** `--subresource`: the named objects' subresource instead of them. */
  subresource?: string | undefined;
  /** --ignore-not-found: a named object that does not exist is no error. */
  ignoreNotFound?: boolean | undefined;
  /** --sort-by: rows of each type's table, or all objects of a structured output. */
  sortBy?: SortBy | undefined;
  /** -L keys, --show-labels, --show-kind (tables only). */
  labelColumns?: string[] | undefined;
  showLabels?: boolean | undefined;
  showKind?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /**
   * One context of several (--context a,b): -o json|yaml print a List (even for one named
   * object) with `metadata.context`, -o name lines start with `context/`.
   */
  context?: string | undefined;
  /** Tables are handed here (header and body of each type's table) instead of written, to be merged across contexts. */
  tableSink?: ((table: SunkTable) => void) | undefined;
}

/** One type's table of one context, its names with and without the `kind.group/` prefix (chosen across contexts). */
export interface SunkTable {
  resource: ApiResource;
  header: string[];
  rows: string[][];
  rowsWithKind: string[][];
  /** Whether this context alone would prefix names (several types answered, or --show-kind). */
  withKind: boolean;
}

export interface PrintListsResult {
  /** Objects printed. */
  found: number;
  /** One per failed type or name, in order. */
  errors: Array<{ resource: ApiResource; error: unknown; name?: string }>;
}

export async function printLists(options: PrintListsOptions): Promise<PrintListsResult> {
  const output = options.output;
  const sortBy = options.sortBy;
  // Every format but the table and -o name reads whole objects (-o name too when it sorts).
  const structured = output.kind === 'json' || output.kind === 'yaml' || output.kind === 'kyaml' || output.kind === 'jsonpath' || output.kind === 'go-template' || output.kind === 'custom-columns';
  const clientTables = options.serverPrint === false && (output.kind === 'table' || output.kind === 'wide');
  // -o name of a subresource names the kind it is (a Scale): whole objects then too.
  const wholeObjects = structured || clientTables || (output.kind === 'name' && (sortBy !== undefined || options.subresource !== undefined));
  // kubectl's builder: a subresource belongs to named objects.
  if (options.subresource && options.requests.some((r) => !r.names)) throw new UsageError('subresource cannot be used when bulk resources are specified');
  // A table reads `row.object` only for the NAMESPACE column (-A), labels, extra columns
  // (dynget's UID) and -o name's fallback; otherwise the rows need their cells alone. Sorting
  // reads the whole object, as kubectl asks for it.
  const rowsNeedObject = (resource: ApiResource) =>
    (options.namespace === undefined && resource.namespaced) || options.extraColumns !== undefined || (options.labelColumns ?? []).length > 0 || Boolean(options.showLabels);
  const query = (request: GetRequest): ListQuery => {
    // -o name lists objects (as metadata only) in storage order, as kubectl's generic printer
    // does; a Table may order its rows otherwise (FlowSchemas by precedence).
    const accept = wholeObjects ? 'application/json' : output.kind === 'name' ? (request.names ? metadataAccept : metadataListAccept) : tableAccept;
    const tableObject = sortBy ? 'Object' : request.names || rowsNeedObject(request.resource) ? undefined : 'None';
    return {
      namespace: request.resource.namespaced ? (request.namespace ?? options.namespace) : undefined,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      chunkSize: options.chunkSize,
      accept,
      includeObject: accept === tableAccept ? tableObject : undefined,
      subresource: options.subresource,
      signal: options.signal,
    };
  };
  // Everything starts now; output below still follows the order typed.
  const result: PrintListsResult = { found: 0, errors: [] };
  const source = (request: GetRequest): AsyncIterable<Page> =>
    request.names
      ? getPages(options.transport, request.resource, request.names, query(request), (error, name) => {
          if (!(options.ignoreNotFound && error instanceof NotFoundError)) result.errors.push({ resource: request.resource, error, name });
        })
      : listPages(options.transport, request.resource, query(request));
  const fetches = options.requests.map((request) => ({ request, pages: prefetch(source(request)) }));

  // kubectl collects every page of every type before it prints (r.Infos()), so a table is
  // aligned over all its chunks, and `kind/` prefixes appear only when types that answered
  // differ.
  const answered: Array<{ request: GetRequest; pages: Page[] }> = [];
  for (const { request, pages } of fetches) {
    const collected: Page[] = [];
    try {
      for await (const page of pages) collected.push(page);
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      result.errors.push({ resource: request.resource, error });
    }
    const shown = clientTables ? collected.map((page) => objectMetaTable(page as never, realClock.wallMs()) as unknown as Page) : collected;
    if (shown.length > 0 || !request.names) answered.push({ request, pages: shown });
  }
  const objectsOf = ({ request, pages }: { request: GetRequest; pages: Page[] }): KubeObject[] =>
    request.names ? (pages as KubeObject[]) : pages.flatMap((page) => (page as { items?: KubeObject[] }).items ?? []);

  if ((structured || output.kind === 'name') && options.nothingOnError && result.errors.length > 0) return result;
  if (structured) {
    const items: KubeObject[] = [];
    for (const entry of answered) {
      for (const item of objectsOf(entry)) items.push(withTypeMeta(item, apiVersionOf(entry.request.resource), entry.request.resource.kind));
    }
    result.found = items.length;
    const single = options.singleItem && items.length === 1 && options.context === undefined;
    // kubectl sorts the List it prints, across types; one object alone is not sorted.
    if (sortBy && !single) sortByField(items, sortBy, (item) => item);
    // kubectl: a single named object that failed prints nothing; --ignore-not-found with nothing
    // found prints nothing at all; otherwise the List, even empty, with the errors after it.
    if (options.singleItem && items.length === 0 && result.errors.length > 0) return result;
    if (options.ignoreNotFound && items.length === 0) return result;
    const list = asList(items);
    if (options.context !== undefined) list.metadata = { context: options.context, ...list.metadata };
    options.streams.stdout.write(printObjects(output, single ? items[0]! : list, items, options));
    return result;
  }

  if (output.kind === 'name') {
    const named = answered.flatMap((entry) => objectsOf(entry).map((object) => ({ object: withTypeMeta(object, apiVersionOf(entry.request.resource), entry.request.resource.kind), resource: entry.request.resource })));
    if (sortBy && !(options.singleItem && named.length === 1)) sortByField(named, sortBy, (n) => n.object);
    result.found = named.length;
    const contextPrefix = options.context === undefined ? '' : `${options.context}/`;
    // A subresource may be another kind (a Deployment's scale is an autoscaling Scale): named by its own.
    const prefix = (object: KubeObject, resource: ApiResource) => (options.subresource && object.kind ? [object.kind.toLowerCase(), parseApiVersion(object.apiVersion ?? '').group].filter(Boolean).join('.') : namePrefix(resource));
    options.streams.stdout.write(named.map(({ object, resource }) => `${contextPrefix}${prefix(object, resource)}/${object.metadata?.name ?? ''}\n`).join(''));
    return result;
  }

  const withKind = Boolean(options.showKind) || new Set(answered.filter((a) => a.pages.length > 0).map(({ request }) => fullyQualifiedName(request.resource))).size > 1;
  // Consecutive answers of one type are one table, as kubectl keeps its printer while the type stays.
  const runs: Array<{ resource: ApiResource; tables: Table[] }> = [];
  for (const { request, pages } of answered) {
    const last = runs.at(-1);
    if (last && fullyQualifiedName(last.resource) === fullyQualifiedName(request.resource)) last.tables.push(...(pages as unknown as Table[]));
    else runs.push({ resource: request.resource, tables: [...(pages as unknown as Table[])] });
  }
  // --sort-by sorts each table's rows (one per run of a type). kubectl does so for one listed
  // type, but tries to sort the Tables themselves when it got several (an error: see README).
  if (sortBy) {
    for (const run of runs) {
      const rows = run.tables.flatMap((table) => table.rows ?? []);
      if (rows.length > 1) sortByField(rows, sortBy, (row) => row.object);
      const first = run.tables.find((t) => (t.rows ?? []).length > 0);
      run.tables = first ? [{ ...first, rows }] : [];
    }
  }
  let written = false;
  for (const { resource, tables } of runs) {
    const rows = tables.flatMap((table) => table.rows ?? []);
    result.found += rows.length;
    if (rows.length === 0) continue;
    const render: RenderOptions = {
      wide: output.kind === 'wide',
      withNamespace: options.namespace === undefined && resource.namespaced,
      namePrefix: withKind ? `${namePrefix(resource)}/` : '',
      labelColumns: options.labelColumns ?? [],
      showLabels: Boolean(options.showLabels),
      ...(options.extraColumns ? { extraColumns: options.extraColumns } : {}),
    };
    const lines = tables.flatMap((table) => bodyRows(table, render));
    if (options.tableSink) {
      const plain = { ...render, namePrefix: '' };
      const kinded = { ...render, namePrefix: `${namePrefix(resource)}/` };
      options.tableSink({ resource, header: headerRow(tables.find((t) => (t.rows ?? []).length > 0)!, render), rows: tables.flatMap((table) => bodyRows(table, plain)), rowsWithKind: tables.flatMap((table) => bodyRows(table, kinded)), withKind });
      continue;
    }
    if (!options.noHeaders) lines.unshift(headerRow(tables.find((t) => (t.rows ?? []).length > 0)!, render));
    // A blank line between types, only when headers are printed (kubectl's separator writer).
    if (written && !options.noHeaders) options.streams.stdout.write('\n');
    options.streams.stdout.write(new TabWriter().format(lines));
    written = true;
  }
  return result;
}

/**
 * The objects in a structured format: kubectl gives templates the object alone or its List
 * (managedFields included: only -o json|yaml leave them out), custom columns one row each.
 */
function printObjects(output: OutputSpec, shown: KubeObject, items: KubeObject[], options: PrintListsOptions): string {
  switch (output.kind) {
    case 'json':
    case 'yaml':
    case 'kyaml':
      return formatObject(shown, output.kind, { showManagedFields: options.showManagedFields });
    case 'jsonpath':
      try {
        return output.jsonPath.execute(shown);
      } catch (error) {
        if (error instanceof JsonPathExecutionError) throw new PluginError(`error executing jsonpath ${JSON.stringify(output.template)}: ${error.message}`, ExitCode.api, { cause: error });
        throw error;
      }
    case 'go-template': {
      // kubectl runs it once, on the List (or the one object named); a failure prints what the
      // template had printed and kubectl's debugging lines, then fails.
      const { text, error } = output.goTemplate.print(shown);
      if (error !== undefined) {
        options.streams.stdout.write(text);
        throw new PluginError(error, ExitCode.api);
      }
      return text;
    }
    case 'custom-columns': {
      const { text, error } = renderCustomColumns(output.columns, items, options.noHeaders);
      if (error) {
        options.streams.stdout.write(text);
        throw new PluginError(error.message, ExitCode.api, { cause: error });
      }
      return text;
    }
    default:
      throw new Error(`not a structured format: ${output.kind}`);
  }
}

/** kubectl's message when a list comes back empty. */
export function noResourcesMessage(namespace: string | undefined, resources: readonly ApiResource[]): string {
  return namespace !== undefined && resources.every((r) => r.namespaced) ? `No resources found in ${namespace} namespace.` : 'No resources found';
}
