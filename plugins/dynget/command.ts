/**
 * `kubectl dynget TYPE [NAME ...]`: read any resource, CRDs included, by the name a user types
 * (resolved through shared discovery, GVK→GVR), or `--raw PATH` like `kubectl get --raw`.
 */
import type { Argv } from 'yargs';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';
import { addListFlags, checkListFlags, type ListArgs } from '../../shared/cli/list-flags.ts';
import type { PluginSpec } from '../../shared/cli/run-plugin.ts';
import { UsageError } from '../../shared/errors.ts';
import { checkFileArgs } from '../../shared/list/get-from-files.ts';
import { printRaw } from '../../shared/list/raw.ts';
import { runListing, runListingFromFiles } from '../../shared/list/run-contexts.ts';
import { checkNames, parseGetArgs, resolveGetArgs, singleItemImplied } from '../../shared/list/get-args.ts';
import { listOutputFormats } from '../../shared/output/output-spec.ts';

export type DyngetArgs = ListArgs;

export const dynget: PluginSpec<DyngetArgs> = {
  name: 'dynget',
  usage: 'kubectl dynget TYPE[,TYPE...] [NAME ...] [flags]\n  kubectl dynget TYPE/NAME ... [flags]\n  kubectl dynget --raw PATH',
  positional: 'type-then-names',
  description: 'Read any resource, CRDs included, by the name you type (kind, plural, singular or short name).',
  listsAcrossNamespaces: true,
  // What completion offers after -o: every format these commands print.
  outputFormats: ['table', ...listOutputFormats],
  examples: [
    ['kubectl dynget aiops', 'Every AIOps object in the namespace, with its UID'],
    ['kubectl dynget myres my-first-crd -o yaml', 'One custom object by its short name'],
    ['kubectl dynget deployments.v1.apps -A', 'A fully qualified type, all namespaces'],
    ['kubectl dynget --raw /apis/aiops.org/v1alpha1/namespaces/default/myresources', 'The raw response body'],
  ],
  options: (y: Argv<CommonArgs>) => addListFlags(y),
  async run(ctx) {
    const { args } = ctx;
    const positional = ctx.positional;
    const uid = [{ header: 'UID', value: (row: { object?: { metadata?: { uid?: string } } }) => row.object?.metadata?.uid ?? '<none>' }];
    if (args.raw !== undefined) return printRaw(ctx, args.raw);
    if (checkFileArgs(args, positional)) return runListingFromFiles(ctx, { extraColumns: uid });
    const parsed = parseGetArgs(positional, 'dynget');
    if (!parsed) throw new UsageError('you must specify the type of resource to get', { hint: "e.g. 'kubectl dynget pods' or 'kubectl dynget aiops my-first-crd'" });
    // Check flags and names before any request.
    const flags = checkListFlags(args);
    checkNames(parsed);
    return runListing(ctx, {
      flags,
      resolve: (discovery) => resolveGetArgs(parsed, discovery),
      singleItem: singleItemImplied(parsed),
      extraColumns: uid,
    });
  },
};
