/** `--raw PATH` (lsres and dynget, as `kubectl get --raw`): GET the path and print the body as it came. */
import type { PluginContext } from '../cli/run-plugin.ts';
import { requestedContexts } from './requested-contexts.ts';
import type { ListArgs } from '../cli/list-flags.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { errorForStatus } from '../kube/api-errors.ts';

export async function printRaw(ctx: PluginContext<ListArgs>, path: string): Promise<ExitCode> {
  const { streams, factory, signal } = ctx;
  if (ctx.positional.length > 0) throw new UsageError('--raw takes no TYPE or NAME arguments');
  if ((ctx.args.filename ?? []).length > 0) throw new UsageError('--raw cannot be used with -f');
  if (requestedContexts(ctx.args, ctx.given, factory)) throw new UsageError('--raw takes one context, not several');
  if (!path.startsWith('/')) throw new UsageError(`--raw needs an absolute URL path, got "${path}"`);
  const res = await factory.transport().request({ path, signal });
  if (res.status < 200 || res.status >= 300) throw errorForStatus(res.status, res.body);
  streams.stdout.write(res.body.toString('utf8'));
  return ExitCode.ok;
}
