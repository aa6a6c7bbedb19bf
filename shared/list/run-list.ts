/**
 * The body of a listing command (lsres, dynget): flags → printLists → the "No resources found"
 * message and the exit code.
 */
import type { CheckedListFlags, ListArgs } from '../cli/list-flags.ts';
import { reportPartialFailures } from '../cli/partial-failure.ts';
import type { PluginContext } from '../cli/run-plugin.ts';
import type { ApiResource } from '../discovery/api-resource.ts';
import { ExitCode, ForbiddenError } from '../errors.ts';
import { explainDenials } from '../rbac/explain-denials.ts';
import type { RenderOptions } from '../output/server-table.ts';
import { noResourcesMessage, printLists } from './print-lists.ts';

export interface RunListOptions {
  /** From checkListFlags, called before discovery so bad flags cost no request. */
  flags: CheckedListFlags;
  resources: ApiResource[];
  names?: string[] | undefined;
  extraColumns?: RenderOptions['extraColumns'];
}

export async function runList(ctx: PluginContext<ListArgs>, options: RunListOptions): Promise<ExitCode> {
  const { args, streams, factory, signal } = ctx;
  const { format, chunkSize } = options.flags;
  const allNamespaces = Boolean(args['all-namespaces']) && !options.names;
  const namespace = allNamespaces ? undefined : factory.restConfig().namespace;
  const result = await printLists({
    transport: factory.transport(),
    resources: options.resources,
    namespace,
    names: options.names,
    labelSelector: args.selector,
    fieldSelector: args['field-selector'],
    chunkSize,
    format,
    noHeaders: Boolean(args['no-headers']),
    streams,
    ...(options.extraColumns ? { extraColumns: options.extraColumns } : {}),
    signal,
  });
  if (result.found === 0 && result.errors.length === 0 && format !== 'json' && format !== 'yaml') {
    streams.stderr.write(`${noResourcesMessage(namespace)}\n`);
  }
  const code = reportPartialFailures(result.errors.map((e) => e.error), streams);
  const refused = result.errors.filter((e) => e.error instanceof ForbiddenError);
  if (refused.length > 0) {
    const verb = options.names ? 'get' : 'list';
    await explainDenials(factory, refused.map((e) => ({ verb, resource: e.resource, namespace })), `${ctx.name}-reader`, streams);
  }
  return code;
}
