/**
 * One resource type the server serves, flattened out of discovery: the unit every plugin
 * resolves names to. Group and version are exact; `resource` is the lower-case plural that
 * appears in URLs.
 */
export interface ApiResource {
  /** API group; `''` for the legacy core group (`/api/v1`). */
  group: string;
  version: string;
  /** Plural, lower case, as in the URL (`deployments`). */
  resource: string;
  /** Singular, lower case (`deployment`); guessed from the kind when the server gives none. */
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresource names (`status`, `scale`); never mapped to, kept for listings. */
  subresources: string[];
  /** Whether this version is the group's preferred one (listed first by the server). */
  preferredVersion: boolean;
  /** Position of the group: 0 is the legacy core group, then the order of `/apis`. */
  groupPriority: number;
  /** Position of the version within its group: 0 is the preferred version. */
  versionPriority: number;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** `plural.group` as kubectl prints it in errors and accepts as TYPE; core types are just `plural`. */
export function fullName(r: Pick<ApiResource, 'group' | 'resource'>): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

/**
 * `plural.version.group`: names exactly one resource, and resolves back to it. For the core
 * group that is `pods.v1.` with kubectl's trailing dot (`pods.v1` would read as group `v1`).
 */
export function fullyQualifiedName(r: Pick<ApiResource, 'group' | 'version' | 'resource'>): string {
  return `${r.resource}.${r.version}.${r.group}`;
}

/** The `-o name` prefix kubectl prints: lower-case kind plus group (`deployment.apps`, `pod`). */
export function namePrefix(r: Pick<ApiResource, 'group' | 'kind'>): string {
  const kind = r.kind.toLowerCase();
  return r.group === '' ? kind : `${kind}.${r.group}`;
}

/** `-o name` output for one object: `deployment.apps/nginx`, `pod/web-0`. */
export function objectName(r: Pick<ApiResource, 'group' | 'kind'>, name: string): string {
  return `${namePrefix(r)}/${name}`;
}

/** `apps/v1`, or `v1` for the core group: the apiVersion of manifests. */
export function apiVersionOf(r: Pick<ApiResource, 'group' | 'version'>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** Splits a manifest's apiVersion: `apps/v1` → {group: 'apps', version: 'v1'}; `v1` → core. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The URL path of a resource's collection (or of one object when `name` is given):
 * `/api/v1/namespaces/default/pods`, `/apis/apps/v1/deployments`. The namespace is ignored for
 * cluster-scoped resources and omitted when not given (all namespaces).
 */
export function resourcePath(
  r: Pick<ApiResource, 'group' | 'version' | 'resource' | 'namespaced'>,
  options: { namespace?: string; name?: string } = {},
): string {
  const root = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && options.namespace ? `/namespaces/${encodeURIComponent(options.namespace)}` : '';
  const name = options.name === undefined ? '' : `/${encodeURIComponent(options.name)}`;
  return `${root}${ns}/${r.resource}${name}`;
}
