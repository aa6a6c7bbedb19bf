/**
 * `kubectl dynget TYPE [NAME ...]`: read any resource, CRDs included, by the name a user types
 * (resolved through shared discovery, GVK→GVR), or `--raw PATH` like `kubectl get --raw`.
 */
import type { Argv } from 'yargs';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';
import { addListFlags, checkListFlags, type ListArgs } from '../../shared/cli/list-flags.ts';
import type { PluginSpec } from '../../shared/cli/run-plugin.ts';
import { ExitCode, UsageError } from '../../shared/errors.ts';
import { errorForStatus } from '../../shared/kube/api-errors.ts';
import { runListing } from '../../shared/list/run-contexts.ts';
import { requestedContexts } from '../../shared/list/requested-contexts.ts';
import { checkNames, parseGetArgs, resolveGetArgs, singleItemImplied } from '../../shared/list/get-args.ts';
import { listOutputFormats } from '../../shared/output/output-spec.ts';

export interface DyngetArgs extends ListArgs {
  raw?: string;
}

export const dynget: PluginSpec<DyngetArgs> = {
  name: 'dynget',
  usage: 'kubectl dynget TYPE[,TYPE...] [NAME ...] [flags]\n  kubectl dynget TYPE/NAME ... [flags]\n  kubectl dynget --raw PATH',
  positional: 'type-then-names',
  description: 'Read any resource, CRDs included, by the name you type (kind, plural, singular or short name).',
  listsAcrossNamespaces: true,
  // What completion offers after -o: every format these commands print (Go templates are refused).
  outputFormats: ['table', ...listOutputFormats],
  examples: [
    ['kubectl dynget aiops', 'Every AIOps object in the namespace, with its UID'],
    ['kubectl dynget myres my-first-crd -o yaml', 'One custom object by its short name'],
    ['kubectl dynget deployments.v1.apps -A', 'A fully qualified type, all namespaces'],
    ['kubectl dynget --raw /apis/aiops.org/v1alpha1/namespaces/default/myresources', 'The raw response body'],
  ],
  options: (y: Argv<CommonArgs>) => addListFlags(y).option('raw', { type: 'string', description: 'GET this URL path and print the raw response body' }),
  async run(ctx) {
    const { args, streams, factory, signal } = ctx;
    const positional = ctx.positional;
    if (args.raw !== undefined) {
      if (positional.length > 0) throw new UsageError('--raw takes no TYPE or NAME arguments');
      if (requestedContexts(args, ctx.given, factory)) throw new UsageError('--raw takes one context, not several');
      if (!args.raw.startsWith('/')) throw new UsageError(`--raw needs an absolute URL path, got "${args.raw}"`);
      const res = await factory.transport().request({ path: args.raw, signal });
      if (res.status < 200 || res.status >= 300) throw errorForStatus(res.status, res.body);
      streams.stdout.write(res.body.toString('utf8'));
      return ExitCode.ok;
    }
    const parsed = parseGetArgs(positional, 'dynget');
    if (!parsed) throw new UsageError('you must specify the type of resource to get', { hint: "e.g. 'kubectl dynget pods' or 'kubectl dynget aiops my-first-crd'" });
    // Check flags and names before any request.
    const flags = checkListFlags(args);
    checkNames(parsed);
    return runListing(ctx, {
      flags,
      resolve: (discovery) => resolveGetArgs(parsed, discovery),
      singleItem: singleItemImplied(parsed),
      extraColumns: [{ header: 'UID', value: (row) => row.object?.metadata?.uid ?? '<none>' }],
    });
  },
};
