/**
 * `kubectl get`'s arguments (cli-runtime's Builder.ResourceTypeOrNameArgs): `TYPE[,TYPE…]` lists,
 * `TYPE NAME…` gets by name, `TYPE/NAME…` gets each object of its own type; `a,b NAME` is read as
 * `a/NAME b/NAME`; `TYPE NAME` and `TYPE/NAME` cannot be mixed. Parsed before any request;
 * types are then resolved through discovery, in the order typed.
 */
import { fullyQualifiedName, type ApiResource } from '../discovery/api-resource.ts';
import { UsageError } from '../errors.ts';
import { checkPathSegmentName } from '../validation/names.ts';

/** One thing to fetch: a type to list, or some of its objects by name. */
export interface GetRequest {
  resource: ApiResource;
  /** Undefined lists the type. */
  names?: string[] | undefined;
  /** The namespace of named objects when it is their own (`-f`: an object's metadata.namespace), not the run's. */
  namespace?: string | undefined;
}

/** What the arguments ask for, before discovery: type strings and names. */
export type GetArgs = { kind: 'types'; types: string } | { kind: 'names'; tuples: Array<{ type: string; names: string[] }> };

/** kubectl's SplitResourceArgument: a comma list without repeats. */
function splitTypes(arg: string): string[] {
  return [...new Set(arg.split(','))];
}

export function parseGetArgs(args: readonly string[], plugin: string): GetArgs | undefined {
  if (args.length === 0) return undefined;
  let normalized = [...args];
  if (args.length >= 2 && splitTypes(args[0]!).length > 1) {
    normalized = splitTypes(args[0]!).flatMap((type) => args.slice(1).map((name) => `${type}/${name}`));
  }
  const slashes = normalized.filter((a) => a.includes('/')).length;
  if (slashes > 0 && slashes !== normalized.length) {
    throw new UsageError(
      `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl ${plugin} resource/<resource_name>' instead of 'kubectl ${plugin} resource resource/<resource_name>')`,
    );
  }
  if (slashes > 0) {
    const tuples: Array<{ type: string; names: string[] }> = [];
    for (const arg of normalized) {
      const parts = arg.split('/');
      if (parts.length !== 2) throw new UsageError('arguments in resource/name form may not have more than one slash');
      const [type, name] = parts as [string, string];
      if (type === '' || name === '' || splitTypes(type).length !== 1) throw new UsageError('arguments in resource/name form must have a single resource and name');
      // Consecutive names of one type are one request (kubectl prints them as one table too).
      const last = tuples.at(-1);
      if (last && last.type === type) last.names.push(name);
      else tuples.push({ type, names: [name] });
    }
    return { kind: 'names', tuples };
  }
  if (normalized.length === 1) return { kind: 'types', types: normalized[0]! };
  return { kind: 'names', tuples: [{ type: normalized[0]!, names: normalized.slice(1) }] };
}

/** Names become URL path segments: `..`, `/` and the like are refused before any request. */
export function checkNames(parsed: GetArgs): void {
  if (parsed.kind !== 'names') return;
  for (const name of parsed.tuples.flatMap((t) => t.names)) {
    const problem = checkPathSegmentName(name);
    if (problem) throw new UsageError(`invalid resource name ${JSON.stringify(name)}: ${problem}`);
  }
}

export interface TypeResolver {
  resolve(input: string): Promise<ApiResource[]>;
}

/** Resolves the types of parsed arguments, in order; a TYPE with names must be one type. */
export async function resolveGetArgs(parsed: GetArgs, discovery: TypeResolver): Promise<GetRequest[]> {
  if (parsed.kind === 'types') return (await discovery.resolve(parsed.types)).map((resource) => ({ resource }));
  const requests: GetRequest[] = [];
  for (const { type, names } of parsed.tuples) {
    const resources = await discovery.resolve(type);
    if (resources.length !== 1) throw new UsageError(`a NAME can only be given with a single resource type, not "${type}"`);
    const resource = resources[0]!;
    const last = requests.at(-1);
    if (last?.names && fullyQualifiedName(last.resource) === fullyQualifiedName(resource)) last.names.push(...names);
    else requests.push({ resource, names: [...names] });
  }
  return requests;
}

/** kubectl's singleItemImplied: one object asked for by name prints alone, not in a List. */
export function singleItemImplied(parsed: GetArgs | undefined): boolean {
  return parsed?.kind === 'names' && parsed.tuples.length === 1 && parsed.tuples[0]!.names.length === 1;
}
