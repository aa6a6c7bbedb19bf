/**
 * `kubectl lsres [TYPE ...]`: list pods, deployments and services (or any types) the way
 * `kubectl get` prints them, every type fetched at once, rows streamed as they arrive.
 */
import type { Argv } from 'yargs';
import type { PluginSpec } from '../../shared/cli/run-plugin.ts';
import { addListFlags, checkChunkSize, type ListArgs } from '../../shared/cli/list-flags.ts';
import { runList } from '../../shared/list/run-list.ts';
import { parseOutputFormat } from '../../shared/output/formats.ts';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';

export const defaultTypes = 'pods,deployments,services';

export const lsres: PluginSpec<ListArgs> = {
  name: 'lsres',
  usage: 'kubectl lsres [TYPE[,TYPE...] ...] [flags]',
  description: 'List pods, deployments and services (or any resource types) like kubectl get.',
  listsAcrossNamespaces: true,
  examples: [
    ['kubectl lsres', 'Pods, deployments and services in the current namespace'],
    ['kubectl lsres cm,secrets -A', 'ConfigMaps and Secrets in every namespace'],
    ['kubectl lsres pods -l app=nginx -o wide', 'More columns, filtered by label'],
    ['kubectl lsres myres -o yaml', 'A custom resource, by its short name'],
  ],
  options: (y: Argv<CommonArgs>) => addListFlags(y),
  async run(ctx) {
    parseOutputFormat(ctx.args.output);
    checkChunkSize(ctx.args['chunk-size']);
    const typed = (ctx.args as unknown as { _: Array<string | number> })._.map(String);
    const discovery = ctx.factory.discovery();
    const resources = [];
    for (const arg of typed.length > 0 ? typed : [defaultTypes]) resources.push(...(await discovery.resolve(arg)));
    return runList(ctx, { resources });
  },
};
