/**
 * Which contexts a listing runs in: undefined for one (today's behaviour, the factory's own),
 * or the names of `--context a,b,c` (in the order typed) or `--all-contexts` (the kubeconfig's
 * order). Flags that would point every context at the same cluster, user or server are refused.
 */
import type { CommonArgs } from '../cli/common-flags.ts';
import type { Factory } from '../cli/factory.ts';
import type { ListArgs } from '../cli/list-flags.ts';
import { ConfigError, UsageError } from '../errors.ts';

/** Flags that replace a part of every context alike: meaningless across several. */
const sameForAll = ['cluster', 'user', 'server', 'token'] as const;

export function requestedContexts(args: ListArgs & CommonArgs, given: ReadonlySet<string>, factory: Factory): string[] | undefined {
  const all = Boolean(args['all-contexts']);
  const list = args.context !== undefined && args.context.includes(',');
  if (!all && !list) return undefined;
  if (all && given.has('context')) throw new UsageError('--all-contexts and --context cannot be used together', { hint: 'give the contexts with --context a,b or all of them with --all-contexts' });
  const known = factory.contextNames();
  // A context whose name has a comma in it is still one context.
  if (!all && known.includes(args.context!)) return undefined;
  const how = all ? '--all-contexts' : 'several contexts';
  for (const flag of sameForAll) {
    if (given.has(flag)) throw new UsageError(`--${flag} cannot be used with ${how}: it would apply to every context alike`, { hint: 'set it in each context of the kubeconfig, or list one context' });
  }
  if (all) {
    if (known.length === 0) throw new ConfigError('--all-contexts: the kubeconfig has no contexts', { hint: 'check --kubeconfig or KUBECONFIG' });
    return known;
  }
  const names = args.context!.split(',');
  if (names.some((n) => n === '')) throw new UsageError(`invalid --context "${args.context}": an empty name in the list`, { hint: 'e.g. --context kind-a,kind-b' });
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UsageError(`invalid --context "${args.context}": context "${twice}" is given twice`);
  return names;
}
