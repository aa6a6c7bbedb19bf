/**
 * `kubectl lsres [TYPE ...]`: list pods, deployments and services (or any types) the way
 * `kubectl get` prints them, every type fetched at once, rows streamed as they arrive.
 */
import type { Argv } from 'yargs';
import type { PluginSpec } from '../../shared/cli/run-plugin.ts';
import { addListFlags, checkListFlags, type ListArgs } from '../../shared/cli/list-flags.ts';
import { runList } from '../../shared/list/run-list.ts';
import { ExitCode } from '../../shared/errors.ts';
import { formatObject } from '../../shared/output/object-output.ts';
import { accessMatrix, renderMatrix } from '../../shared/rbac/access-matrix.ts';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';

export const defaultTypes = 'pods,deployments,services';

export const lsres: PluginSpec<ListArgs & { access?: boolean }> = {
  name: 'lsres',
  usage: 'kubectl lsres [TYPE[,TYPE...] ...] [flags]',
  positional: 'types',
  description: 'List pods, deployments and services (or any resource types) like kubectl get.',
  listsAcrossNamespaces: true,
  examples: [
    ['kubectl lsres', 'Pods, deployments and services in the current namespace'],
    ['kubectl lsres cm,secrets -A', 'ConfigMaps and Secrets in every namespace'],
    ['kubectl lsres pods -l app=nginx -o wide', 'More columns, filtered by label'],
    ['kubectl lsres myres -o yaml', 'A custom resource, by its short name'],
    ['kubectl lsres --access pods,deploy,svc', 'Which verbs you may use on these types'],
  ],
  options: (y: Argv<CommonArgs>) =>
    addListFlags(y).option('access', { type: 'boolean', description: 'Show which verbs you may use on each type instead of listing (all types when none is given)' }),
  async run(ctx) {
    const flags = checkListFlags(ctx.args);
    const typed = (ctx.args as unknown as { _: Array<string | number> })._.map(String);
    const discovery = ctx.factory.discovery();
    const resources = [];
    if (ctx.args.access && typed.length === 0) {
      resources.push(...(await discovery.resources()).filter((r) => r.preferredVersion));
    } else {
      for (const arg of typed.length > 0 ? typed : [defaultTypes]) resources.push(...(await discovery.resolve(arg)));
    }
    if (ctx.args.access) {
      const namespace = ctx.args['all-namespaces'] ? undefined : ctx.factory.restConfig().namespace;
      const rows = await accessMatrix(ctx.factory.transport(), resources, namespace);
      ctx.streams.stdout.write(flags.format === 'json' ? formatObject(rows, 'json') : renderMatrix(rows, ctx.streams));
      return ExitCode.ok;
    }
    return runList(ctx, { flags, resources });
  },
};
