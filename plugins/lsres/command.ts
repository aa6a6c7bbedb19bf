/**
 * `kubectl lsres [TYPE ...]`: list pods, deployments and services (or any types) the way
 * `kubectl get` prints them, every type fetched at once, rows streamed as they arrive.
 */
import type { Argv } from 'yargs';
import type { PluginSpec } from '../../shared/cli/run-plugin.ts';
import { addListFlags, checkListFlags, type ListArgs } from '../../shared/cli/list-flags.ts';
import { checkFileArgs } from '../../shared/list/get-from-files.ts';
import { printRaw } from '../../shared/list/raw.ts';
import { runListing, runListingFromFiles } from '../../shared/list/run-contexts.ts';
import { requestedContexts } from '../../shared/list/requested-contexts.ts';
import { UsageError } from '../../shared/errors.ts';
import { checkNames, parseGetArgs, resolveGetArgs, singleItemImplied } from '../../shared/list/get-args.ts';
import { ExitCode } from '../../shared/errors.ts';
import { formatObject } from '../../shared/output/object-output.ts';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';
import { refuseAllBut, refuseWith } from '../../shared/cli/flag-conflicts.ts';
import { listOutputFormats } from '../../shared/output/output-spec.ts';

export const defaultTypes = 'pods,deployments,services';

export const lsres: PluginSpec<ListArgs & { access?: boolean }> = {
  name: 'lsres',
  usage: 'kubectl lsres [TYPE[,TYPE...] [NAME ...] | TYPE/NAME ...] [flags]',
  positional: 'types',
  description: 'List pods, deployments and services (or any resource types) like kubectl get.',
  listsAcrossNamespaces: true,
  // What completion offers after -o: every format these commands print.
  outputFormats: ['table', ...listOutputFormats],
  examples: [
    ['kubectl lsres', 'Pods, deployments and services in the current namespace'],
    ['kubectl lsres cm,secrets -A', 'ConfigMaps and Secrets in every namespace'],
    ['kubectl lsres pods -l app=nginx -o wide', 'More columns, filtered by label'],
    ['kubectl lsres deploy/web svc/web', 'Objects by TYPE/NAME, each of its own type'],
    ["kubectl lsres pods -o jsonpath='{.items[*].metadata.name}'", 'A JSONPath template, as kubectl get -o jsonpath'],
    ['kubectl lsres myres -o yaml', 'A custom resource, by its short name'],
    ['kubectl lsres --context kind-a,kind-b', 'The same, in two contexts at once (a CONTEXT column first)'],
    ['kubectl lsres --access pods,deploy,svc', 'Which verbs you may use on these types'],
  ],
  options: (y: Argv<CommonArgs>) =>
    addListFlags(y).option('access', { type: 'boolean', description: 'Show which verbs you may use on each type instead of listing (all types when none is given)' }),
  async run(ctx) {
    const flags = checkListFlags(ctx.args);
    if (ctx.args.access) refuseWith('--access', [[`-o ${ctx.args.output}`, !['json', 'wide', undefined].includes(ctx.args.output)]], '--access prints which verbs you may use (a table, or -o json)');
    if (ctx.args.access) refuseAllBut('--access', ctx.given, ['access', 'output', 'all-namespaces'], '--access prints which verbs you may use (a table, or -o json)');
    const typed = ctx.positional;
    if (ctx.args.raw !== undefined) return printRaw(ctx, ctx.args.raw);
    if (!ctx.args.access && checkFileArgs(ctx.args, typed)) return runListingFromFiles(ctx, {});
    if (!ctx.args.access) {
      const parsed = parseGetArgs(typed.length > 0 ? typed : [defaultTypes], 'lsres')!;
      checkNames(parsed);
      return runListing(ctx, { flags, resolve: (discovery) => resolveGetArgs(parsed, discovery), singleItem: singleItemImplied(parsed) });
    }
    if (requestedContexts(ctx.args, ctx.given, ctx.factory)) throw new UsageError('--access takes one context, not several');
    const discovery = ctx.factory.discovery();
    const resources = [];
    if (typed.length === 0) {
      resources.push(...(await discovery.resources()).filter((r) => r.preferredVersion));
    } else {
      for (const arg of typed) resources.push(...(await discovery.resolve(arg)));
    }
    const namespace = ctx.args['all-namespaces'] ? undefined : ctx.factory.restConfig().namespace;
    // Loaded for --access alone: cli-table3 and its width tables cost every other call start-up.
    const { accessMatrix, renderMatrix } = await import('../../shared/rbac/access-matrix.ts');
    const rows = await accessMatrix(ctx.factory.transport(), resources, namespace);
    ctx.streams.stdout.write(flags.format === 'json' ? formatObject(rows, 'json') : renderMatrix(rows, ctx.streams));
    return ExitCode.ok;
  },
};
