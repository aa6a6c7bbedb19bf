/**
 * The body of a listing command (lsres, dynget): requests → printLists → the "No resources
 * found" message and the exit code.
 */
import type { CheckedListFlags, ListArgs } from '../cli/list-flags.ts';
import type { PluginContext } from '../cli/run-plugin.ts';
import { ExitCode, ForbiddenError, NotFoundError, PartialFailure, UsageError, type PluginError } from '../errors.ts';
import type { RenderOptions } from '../output/server-table.ts';
import type { GetRequest } from './get-args.ts';
import { noResourcesMessage, printLists, type PrintListsOptions } from './print-lists.ts';
import { watchTable } from './watch-table.ts';
import { watchObjects } from './watch-objects.ts';
import type { WatchTarget } from './watch-stream.ts';

export interface RunListOptions {
  /** From checkListFlags, called before discovery so bad flags cost no request. */
  flags: CheckedListFlags;
  requests: GetRequest[];
  /** One object named alone (kubectl's singleItemImplied). */
  singleItem?: boolean;
  extraColumns?: RenderOptions['extraColumns'];
  /** Structured outputs print nothing when a named object failed (`get -f`). */
  nothingOnError?: boolean;
}

export async function runList(ctx: PluginContext<ListArgs>, options: RunListOptions): Promise<ExitCode> {
  const { args, streams, factory, signal } = ctx;
  const { format } = options.flags;
  const allNamespaces = checkNamesAcrossNamespaces(args, options.requests);
  const namespace = allNamespaces ? undefined : factory.restConfig().namespace;
  const ignoreNotFound = Boolean(args['ignore-not-found']);
  if (args.watch || args['watch-only']) return watch(ctx, options, namespace);
  const result = await printLists(listPrintOptions(ctx, options, { transport: factory.transport(), requests: options.requests, namespace, streams, signal }));
  // Like kubectl: only its human-readable printers say so; -o json|yaml|name print nothing more.
  if (result.found === 0 && result.errors.length === 0 && !ignoreNotFound && (format === 'table' || format === 'wide')) {
    streams.stderr.write(`${noResourcesMessage(namespace, options.requests.map((r) => r.resource))}\n`);
  }
  if (result.errors.length === 0) return ExitCode.ok;
  // What was refused, as the checks the reporter explains with the commands that grant them;
  // a named object that is not there, as kubectl says it.
  throw new PartialFailure(
    result.errors.map(({ resource, error, name }) => {
      const verb = name === undefined ? 'list' : 'get';
      if (error instanceof ForbiddenError) return new ForbiddenError(error.message, { denied: [{ verb, resource, namespace }], ...(error.hint ? { hint: error.hint } : {}) });
      if (error instanceof NotFoundError && name !== undefined) return new NotFoundError(error.message, { serverReason: 'NotFound', cause: error });
      return error as PluginError;
    }),
  );
}

/** -A with a named namespaced object is kubectl's refusal; answers whether -A is given. */
export function checkNamesAcrossNamespaces(args: ListArgs, requests: readonly GetRequest[]): boolean {
  const allNamespaces = Boolean(args['all-namespaces']);
  if (allNamespaces && requests.some((r) => r.names && r.resource.namespaced)) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
  return allNamespaces;
}

/** printLists' options from the command's flags, for one cluster (runList, and each context of runListing). */
export function listPrintOptions(
  ctx: PluginContext<ListArgs>,
  options: Pick<RunListOptions, 'flags' | 'singleItem' | 'extraColumns' | 'nothingOnError'>,
  at: Pick<PrintListsOptions, 'transport' | 'requests' | 'namespace' | 'streams' | 'signal'>,
): PrintListsOptions {
  const { args } = ctx;
  return {
    ...at,
    labelSelector: args.selector,
    fieldSelector: args['field-selector'],
    chunkSize: options.flags.chunkSize,
    output: options.flags.output,
    noHeaders: Boolean(args['no-headers']),
    showManagedFields: Boolean(args['show-managed-fields']),
    singleItem: options.singleItem,
    nothingOnError: options.nothingOnError,
    serverPrint: args['server-print'] !== false,
    subresource: args.subresource || undefined,
    ignoreNotFound: Boolean(args['ignore-not-found']),
    sortBy: options.flags.sortBy,
    labelColumns: options.flags.labelColumns,
    showLabels: Boolean(args['show-labels']),
    showKind: Boolean(args['show-kind']),
    ...(options.extraColumns ? { extraColumns: options.extraColumns } : {}),
  };
}

/** -w/--watch-only: kubectl's rules for what can be watched, then the table and its changes. */
async function watch(ctx: PluginContext<ListArgs>, options: RunListOptions, namespace: string | undefined): Promise<ExitCode> {
  const { args, streams, factory, signal } = ctx;
  if (options.requests.length !== 1) throw new UsageError('you may only specify a single resource type');
  const [request] = options.requests as [GetRequest];
  const names = request.names ?? [];
  if (names.length > 1) throw new UsageError('you may only watch a single resource or type of resource at a time');
  // kubectl's words (it still sorts the first list; we do not: see README).
  if (options.flags.sortBy) streams.stderr.write(args.watch ? 'warning: --watch requested, --sort-by will be ignored for watch events received\n' : 'warning: --watch-only requested, --sort-by will be ignored\n');
  const target: WatchTarget = {
    transport: factory.transport(),
    resource: request.resource,
    name: names[0],
    namespace,
    labelSelector: args.selector,
    fieldSelector: args['field-selector'],
    chunkSize: options.flags.chunkSize,
    watchOnly: Boolean(args['watch-only']),
    outputWatchEvents: Boolean(args['output-watch-events']),
    streams,
    signal,
  };
  try {
    const output = options.flags.output;
    const format = output.kind;
    if (format !== 'table' && format !== 'wide') {
      return await watchObjects({
        ...target,
        ...(output.kind === 'jsonpath' ? { jsonPath: output.jsonPath, template: output.template } : {}),
        ...(output.kind === 'go-template' ? { goTemplate: output.goTemplate } : {}),
        ...(output.kind === 'custom-columns' ? { columns: output.columns, noHeaders: Boolean(args['no-headers']) } : {}),
        format,
        showManagedFields: Boolean(args['show-managed-fields']),
      });
    }
    return await watchTable({
      ...target,
      render: {
        wide: options.flags.format === 'wide',
        labelColumns: options.flags.labelColumns,
        showLabels: Boolean(args['show-labels']),
        ...(options.extraColumns ? { extraColumns: options.extraColumns } : {}),
      },
      noHeaders: Boolean(args['no-headers']),
    });
  } catch (error) {
    if (error instanceof NotFoundError && names.length > 0) {
      if (args['ignore-not-found']) return ExitCode.ok;
      throw new NotFoundError(error.message, { serverReason: 'NotFound', cause: error });
    }
    throw error;
  }
}
