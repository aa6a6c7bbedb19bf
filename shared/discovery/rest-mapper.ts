/**
 * The REST mapper: what a user types as TYPE (`po`, `deploy.apps`, `AIOps`, `all`) → the
 * resource to request. Pure and synchronous over a list of discovered resources; the discovery
 * client (discovery-client.ts) feeds it and retries once after a refresh on a miss.
 *
 * The order is kubectl's (cli-runtime resource/builder.go `mappingFor`, client-go restmapper
 * shortcut.go and discovery.go):
 *   0. a category (`all`) expands to its members (builder `ReplaceAliases`, before mapping);
 *   1. `resource.version.group`;
 *   2. `resource.group`, or a bare name: exact plural or singular first, then a short name;
 *   3. `Kind.version.group`;
 *   4. `Kind.group`, or a bare Kind.
 * Resource names are matched lower case, as kubectl lowercases them; we also match kinds
 * case-insensitively (kubectl only knows `Kind` and `kind`). When several resources match in
 * one step, kubectl's group priority decides (PriorityRESTMapper as NewDiscoveryRESTMapper
 * builds it): the core group first, then the groups in the order of `/apis`; within a group the
 * preferred version first. A short name claimed by several groups goes to the first of them,
 * with kubectl's warning naming each other one (client-go restmapper shortcut.go).
 */
import { NotFoundError, UsageError } from '../errors.ts';
import type { ApiResource, GroupVersionKind, GroupVersionResource } from './api-resource.ts';
import { apiVersionOf, fullName, fullyQualifiedName } from './api-resource.ts';
import { closest } from './did-you-mean.ts';

export { apiVersionOf, fullName, fullyQualifiedName, namePrefix, objectName, parseApiVersion, resourcePath } from './api-resource.ts';

export interface RestMapper {
  /** Every resource, in priority order (core first, preferred versions first). */
  readonly resources: readonly ApiResource[];
  /**
   * A TYPE argument: a comma list (`pods,deploy,svc`) of names or categories. Returns the
   * resources in the order typed, categories expanded, duplicates dropped.
   * @throws NotFoundError (exit 4) for an unknown name; UsageError (exit 2) for an ambiguous
   *   short name or an empty item.
   */
  resolve(input: string): ApiResource[];
  /** One name (no comma list, no categories). Same errors as `resolve`. */
  resolveOne(name: string): ApiResource;
  /** The members of a category (`all`), one per group-resource in its preferred version; undefined when no resource claims it. */
  expandCategory(category: string): ApiResource[] | undefined;
  /**
   * For manifests: apiVersion + kind → resource, with exact group, version and kind.
   * @throws NotFoundError `no matches for kind "X" in version "g/v"`.
   */
  resourceFor(gvk: GroupVersionKind): ApiResource;
  /** The resource with exactly this group, version and plural. @throws NotFoundError */
  kindFor(gvr: GroupVersionResource): ApiResource;
  /** The known names closest to a mistyped one, best first. */
  suggestions(name: string): string[];
}

/** Told about a short name that other, lower-priority resources also claim. */
export type MapperWarning = (message: string) => void;

export function createRestMapper(discovered: readonly ApiResource[], warn: MapperWarning = () => undefined): RestMapper {
  // Stable sort: equal priorities keep the discovery document's order.
  const resources = [...discovered].sort(
    (a, b) => a.groupPriority - b.groupPriority || a.versionPriority - b.versionPriority,
  );

  const expandCategory = (category: string): ApiResource[] | undefined => {
    const wanted = category.trim().toLowerCase();
    const members = unique(
      resources.filter((r) => r.categories.some((c) => c.toLowerCase() === wanted)),
      (r) => fullName(r),
    );
    return members.length > 0 ? members : undefined;
  };

  const resolveOne = (name: string): ApiResource => {
    const arg = name.trim();
    if (arg === '') throw new UsageError('a resource type must not be empty');
    const parts = arg.toLowerCase().split('.');
    const [first, second] = [parts[0]!, parts[1]];
    const rest = parts.slice(1).join('.');
    const afterVersion = parts.slice(2).join('.');

    // 1. resource.version.group (ParseResourceArg's fully specified GVR)
    if (parts.length >= 3) {
      const hit = byResourceName(resources, first, { version: second, group: afterVersion }, warn);
      if (hit) return hit;
    }
    // 2. resource.group, or a bare plural, singular or short name
    const group = parts.length >= 2 ? rest : undefined;
    const byName = byResourceName(resources, first, { group }, warn);
    if (byName) return byName;
    // 3. Kind.version.group (ParseKindArg's fully specified GVK)
    if (parts.length >= 3) {
      const hit = byKind(resources, first, { version: second, group: afterVersion });
      if (hit) return hit;
    }
    // 4. Kind.group, or a bare Kind
    const kindHit = byKind(resources, first, { group });
    if (kindHit) return kindHit;

    throw notFound(arg, suggestions(arg));
  };

  const suggestions = (name: string): string[] => {
    const qualified = name.includes('.');
    const candidates: string[] = [];
    for (const r of resources) {
      candidates.push(r.resource, r.singular, ...r.shortNames, r.kind.toLowerCase(), ...r.categories);
      if (qualified && r.group !== '') {
        candidates.push(fullName(r), `${r.singular}.${r.group}`, fullyQualifiedName(r));
      }
    }
    return closest(name, candidates);
  };

  return {
    resources,
    resolveOne,
    expandCategory,
    suggestions,

    resolve(input) {
      const items = input.split(',').map((s) => s.trim());
      if (items.some((s) => s === '')) {
        throw new UsageError(`invalid resource type list ${JSON.stringify(input)}: empty item`);
      }
      const out: ApiResource[] = [];
      for (const item of items) {
        out.push(...(expandCategory(item) ?? [resolveOne(item)]));
      }
      return unique(out, (r) => fullyQualifiedName(r));
    },

    resourceFor(gvk) {
      const hit = resources.find((r) => r.group === gvk.group && r.version === gvk.version && r.kind === gvk.kind);
      if (hit) return hit;
      throw new NotFoundError(`no matches for kind "${gvk.kind}" in version "${apiVersionOf(gvk)}"`, {
        hint: 'ensure CRDs are installed first',
      });
    },

    kindFor(gvr) {
      const hit = resources.find((r) => r.group === gvr.group && r.version === gvr.version && r.resource === gvr.resource);
      if (hit) return hit;
      throw notFound(fullyQualifiedName(gvr), []);
    },
  };
}

interface Scope {
  group?: string | undefined;
  version?: string | undefined;
}

function inScope(r: ApiResource, scope: Scope): boolean {
  return (scope.group === undefined || r.group === scope.group) && (scope.version === undefined || r.version === scope.version);
}

/** Exact plural or singular first; else the highest-priority resource with that short name. */
function byResourceName(resources: readonly ApiResource[], name: string, scope: Scope, warn: MapperWarning): ApiResource | undefined {
  const candidates = resources.filter((r) => inScope(r, scope));
  const exact = candidates.find((r) => r.resource === name || r.singular === name);
  if (exact) return exact;

  const short = candidates.filter((r) => r.shortNames.some((s) => s.toLowerCase() === name));
  if (short.length === 0) return undefined;
  for (const other of unique(short, (r) => fullName(r)).slice(1)) {
    warn(`short name "${name}" could also match lower priority resource ${fullName(other)}`);
  }
  return short[0];
}

function byKind(resources: readonly ApiResource[], kind: string, scope: Scope): ApiResource | undefined {
  return resources.find((r) => inScope(r, scope) && r.kind.toLowerCase() === kind);
}

function notFound(arg: string, near: string[]): NotFoundError {
  const hint = near.length === 0 ? undefined : `did you mean ${orList(near.map((n) => JSON.stringify(n)))}?`;
  return new NotFoundError(`the server doesn't have a resource type "${arg}"`, hint === undefined ? {} : { hint });
}

function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
