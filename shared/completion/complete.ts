/**
 * The hidden `__complete` command, speaking cobra's protocol so kubectl's plugin completion
 * (`kubectl_complete-<name>`, kubectl ≥ 1.26) and our own shell scripts can use it: one
 * candidate per line (optionally TAB and a description), then `:<directive>`. It completes
 * flags, flag values (-o formats, -n namespaces, --context from the kubeconfig), TYPE arguments
 * from discovery (the disk cache when warm), and NAME arguments and names after `TYPE/` from
 * the cluster, with a short timeout. It never prints an error among the candidates.
 */
import { fullName } from '../discovery/api-resource.ts';
import { loadKubeconfig } from '../kube/kubeconfig.ts';
import type { Factory } from '../cli/factory.ts';
import { resourcePath } from '../discovery/api-resource.ts';

export const Directive = { error: 1, noSpace: 2, noFileComp: 4, default: 0 } as const;

/** The parts of yargs' own option table (`getOptions()`) that completion reads. */
export interface OptionTable {
  alias?: Record<string, string[]>;
  boolean?: string[];
  key?: Record<string, unknown>;
}

/**
 * What the plugin's positional arguments are: `types` (lsres: any number of listable types),
 * `type-then-names` (dynget), `type` (watchq: one type it can list and watch), `none`.
 */
export type PositionalKind = 'types' | 'type-then-names' | 'type' | 'none';

export interface CompletionInput {
  /** Words before the one being completed (flags included). */
  args: string[];
  toComplete: string;
  options: OptionTable;
  positional: PositionalKind;
  formats: readonly string[];
  /** The positional words before the one completed, as the command's flag grammar read them (flag-grammar.ts); else guessed here. */
  positionals?: string[] | undefined;
  /** The flag (long name) whose value is being completed, as the grammar found it; undefined when none, or unknown. */
  valueOf?: string | undefined;
  factory: () => Factory;
  env?: NodeJS.ProcessEnv;
}

export interface Completion {
  candidates: string[];
  directive: number;
}

const nameTimeoutMs = 1500;

export async function complete(input: CompletionInput): Promise<Completion> {
  const { args, toComplete, options } = input;
  const prev = args[args.length - 1];
  const flagOf = (word: string | undefined) => (word?.startsWith('-') ? canonical(word.replace(/^-+/, '').split('=')[0]!, options) : undefined);
  const prevFlag = prev && !prev.includes('=') ? flagOf(prev) : undefined;
  const attached = toComplete.includes('=') && toComplete.startsWith('-') ? flagOf(toComplete) : undefined;
  // The grammar knows whether the previous word waits for a value (`-n`, not `-ojson`); without it, guess.
  const pending = input.positionals !== undefined || input.valueOf !== undefined ? input.valueOf : prevFlag && takesValue(prevFlag, options) ? prevFlag : undefined;
  const valueFlag = attached ?? pending;
  const prefix = toComplete.includes('=') && toComplete.startsWith('-') ? toComplete.slice(0, toComplete.indexOf('=') + 1) : '';
  const word = toComplete.slice(prefix.length);
  try {
    // `--context a,<TAB>` in the commands that list in several contexts: the next name of the list.
    if (valueFlag === 'context' && word.includes(',') && 'all-contexts' in (options.key ?? {})) {
      const head = word.slice(0, word.lastIndexOf(',') + 1);
      const taken = new Set(head.split(','));
      const names = (await flagValues('context', input)) ?? [];
      return { candidates: names.filter((n) => !taken.has(n)).map((n) => head + n).filter((v) => v.startsWith(word)).map((v) => prefix + v), directive: Directive.noFileComp };
    }
    if (valueFlag) {
      const values = await flagValues(valueFlag, input);
      if (values === undefined) return { candidates: [], directive: Directive.default }; // files
      return { candidates: values.filter((v) => v.startsWith(word)).map((v) => prefix + v), directive: Directive.noFileComp };
    }
    if (toComplete.startsWith('-')) {
      return { candidates: flagNames(options).filter((f) => f.startsWith(toComplete)), directive: Directive.noFileComp };
    }
    // `TYPE/` and on: that type's names, as `TYPE/NAME` (kubectl get's completion does the same).
    const slash = word.indexOf('/');
    if (slash > 0 && (input.positional === 'types' || input.positional === 'type-then-names')) {
      const type = word.slice(0, slash);
      const resource = await input.factory().discovery().resolveOne(type);
      const names = await objectNames(input, resource, resource.namespaced ? input.factory().restConfig().namespace : undefined);
      return { candidates: names.map((n) => `${type}/${n}`).filter((v) => v.startsWith(word)), directive: Directive.noFileComp };
    }
    const positionals = input.positionals ?? positionalWords(args, options);
    const values = await positionalValues(positionals, input);
    return { candidates: values.filter((v) => v.startsWith(word)), directive: Directive.noFileComp };
  } catch {
    return { candidates: [], directive: Directive.noFileComp };
  }
}

export function formatCompletion(c: Completion): string {
  return `${c.candidates.join('\n')}${c.candidates.length ? '\n' : ''}:${c.directive}\n`;
}

function canonical(name: string, options: CompletionInput['options']): string {
  for (const [key, aliases] of Object.entries(options.alias ?? {})) {
    if (key === name || aliases.includes(name)) return key.length > 1 ? key : (aliases.find((a) => a.length > 1) ?? key);
  }
  return name;
}

function takesValue(flag: string, options: CompletionInput['options']): boolean {
  return !(options.boolean ?? []).includes(flag);
}

function flagNames(options: CompletionInput['options']): string[] {
  const hidden = new Set(['help', 'version', '$0']);
  const names = new Set<string>();
  for (const key of Object.keys(options.key ?? {})) {
    if (hidden.has(key) || key.length === 1) continue;
    names.add(`--${key}`);
  }
  return [...names].sort();
}

function positionalWords(args: string[], options: CompletionInput['options']): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      const flag = canonical(a.replace(/^-+/, '').split('=')[0]!, options);
      if (!a.includes('=') && takesValue(flag, options)) i++;
      continue;
    }
    words.push(a);
  }
  return words;
}

async function flagValues(flag: string, input: CompletionInput): Promise<string[] | undefined> {
  switch (flag) {
    case 'output':
      return [...input.formats];
    case 'dry-run':
      return ['none', 'client', 'server'];
    case 'context':
    case 'cluster':
    case 'user': {
      const config = loadKubeconfig({ explicitPath: flagValue(input.args, 'kubeconfig'), env: input.env ?? process.env });
      const map = flag === 'context' ? config?.contexts : flag === 'cluster' ? config?.clusters : config?.users;
      return [...(map?.keys() ?? [])].sort();
    }
    case 'namespace':
      return objectNames(input, { group: '', version: 'v1', resource: 'namespaces', namespaced: false }, undefined);
    case 'kubeconfig':
    case 'filename':
      return undefined;
    default:
      return [];
  }
}

function flagValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

async function positionalValues(positionals: string[], input: CompletionInput): Promise<string[]> {
  if (input.positional === 'none') return [];
  const discovery = input.factory().discovery();
  if (positionals.length === 0 || input.positional === 'types') {
    if (input.positional === 'type' && positionals.length > 0) return [];
    const names = new Set<string>();
    // Only what the command takes: listable types, and for watchq ones it can watch too.
    const verbs = input.positional === 'type' ? ['list', 'watch'] : ['list'];
    for (const r of await discovery.resources()) {
      if (!r.preferredVersion || (r.verbs.length > 0 && !verbs.every((v) => r.verbs.includes(v)))) continue;
      names.add(r.group === '' ? r.resource : fullName(r));
      for (const s of r.shortNames) names.add(s);
    }
    return [...names].sort();
  }
  if (input.positional !== 'type-then-names') return [];
  const resource = await discovery.resolveOne(positionals[0]!);
  const namespace = resource.namespaced ? input.factory().restConfig().namespace : undefined;
  return objectNames(input, resource, namespace);
}

async function objectNames(input: CompletionInput, resource: { group: string; version: string; resource: string; namespaced: boolean }, namespace: string | undefined): Promise<string[]> {
  const signal = AbortSignal.timeout(nameTimeoutMs);
  const res = await input
    .factory()
    .transport()
    .request({ path: `${resourcePath(resource, namespace ? { namespace } : {})}?limit=500`, headers: { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json' }, signal });
  if (res.status !== 200) return [];
  const list = JSON.parse(res.body.toString('utf8')) as { items?: Array<{ metadata?: { name?: string } }> };
  return (list.items ?? []).map((i) => i.metadata?.name ?? '').filter(Boolean).sort();
}
