/**
 * Aggregated discovery (apidiscovery.k8s.io v2, v2beta1): the whole API surface in two
 * requests, `GET /api` and `GET /apis`. Servers older than 1.26 (or with the feature off) answer
 * with the legacy APIVersions / APIGroupList instead; then we ask every group version
 * separately and convert the answers to the aggregated shape, so everything downstream (the
 * disk cache, the flattener) sees one format.
 *
 * Ported from client-go discovery/aggregated_discovery.go and discovery_client.go.
 */
import { AccessDeniedError, ApiError } from '../errors.ts';
import type { Transport, TransportResponse } from '../kube/transport.ts';
import type { ApiResource } from './api-resource.ts';

export const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,' +
  'application/json';

/** The two discovery documents: `api` is the legacy core group, `apis` every named group. */
export type DocumentName = 'api' | 'apis';
export const DOCUMENT_NAMES: readonly DocumentName[] = ['api', 'apis'];

// ---- wire format of apidiscovery.k8s.io/v2 (v2beta1 is the same shape) ----

export interface GroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: string;
  items: GroupDiscovery[];
}

export interface GroupDiscovery {
  /** The group name; absent or `''` for the core group. */
  metadata?: { name?: string };
  /** In preference order: the first is the preferred version. */
  versions?: VersionDiscovery[];
}

export interface VersionDiscovery {
  version: string;
  resources?: ResourceDiscovery[];
  /** `Stale` when an aggregated API server could not be reached. */
  freshness?: 'Current' | 'Stale';
}

export interface ResourceDiscovery {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: 'Namespaced' | 'Cluster';
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ subresource: string; verbs?: string[] }>;
}

// ---- legacy wire format (meta/v1) ----

interface ApiVersions {
  kind: 'APIVersions';
  versions?: string[];
}

interface ApiGroupList {
  kind: 'APIGroupList';
  groups?: Array<{
    name: string;
    versions?: Array<{ groupVersion: string; version: string }>;
    preferredVersion?: { groupVersion: string; version: string };
  }>;
}

interface ApiResourceList {
  kind?: 'APIResourceList';
  groupVersion?: string;
  resources?: Array<{
    name: string;
    singularName?: string;
    namespaced?: boolean;
    kind?: string;
    group?: string;
    version?: string;
    verbs?: string[];
    shortNames?: string[];
    categories?: string[];
  }>;
}

export type FetchResult =
  | { notModified: true }
  | {
      notModified: false;
      document: GroupDiscoveryList;
      /** The server's ETag for an aggregated document; never set for a converted legacy one. */
      etag: string | undefined;
      /** False when the server spoke legacy discovery and we asked per group version. */
      aggregated: boolean;
      /** False when some group version could not be read (then don't cache the result). */
      complete: boolean;
      warnings: string[];
    };

/**
 * Fetches one discovery document (`/api` or `/apis`). With `etag`, asks `If-None-Match` and
 * may return `{notModified: true}`. A legacy answer is converted, costing one more request
 * per group version, made concurrently.
 */
export async function fetchDiscoveryDocument(
  transport: Transport,
  name: DocumentName,
  options: { etag?: string | undefined } = {},
): Promise<FetchResult> {
  const path = `/${name}`;
  const headers: Record<string, string> = { Accept: AGGREGATED_ACCEPT };
  if (options.etag !== undefined) headers['If-None-Match'] = options.etag;
  const res = await transport.request({ method: 'GET', path, headers });
  if (res.status === 304) return { notModified: true };
  checkStatus(res, path);
  const body = parseJson(res, path) as { kind?: string };

  if (body.kind === 'APIGroupDiscoveryList') {
    const document = body as GroupDiscoveryList;
    if (!Array.isArray(document.items)) throw new ApiError(`invalid discovery document from ${path}: no items`);
    return { notModified: false, document, etag: header(res, 'etag'), aggregated: true, complete: true, warnings: [] };
  }
  if (name === 'api' && body.kind === 'APIVersions') {
    return { notModified: false, aggregated: false, etag: undefined, ...(await legacyCore(transport, body as ApiVersions)) };
  }
  if (name === 'apis' && body.kind === 'APIGroupList') {
    return { notModified: false, aggregated: false, etag: undefined, ...(await legacyGroups(transport, body as ApiGroupList)) };
  }
  throw new ApiError(`unexpected discovery document from ${path}: kind ${JSON.stringify(body.kind ?? null)}`);
}

interface Converted {
  document: GroupDiscoveryList;
  complete: boolean;
  warnings: string[];
}

async function legacyCore(transport: Transport, versions: ApiVersions): Promise<Converted> {
  const list = versions.versions && versions.versions.length > 0 ? versions.versions : ['v1'];
  const fetched = await Promise.all(list.map((v) => fetchGroupVersion(transport, `/api/${v}`, v)));
  return assemble([{ name: '', versions: fetched }]);
}

async function legacyGroups(transport: Transport, groupList: ApiGroupList): Promise<Converted> {
  // Every group version is requested at once; Promise.all keeps the order of groups and versions.
  const groups = await Promise.all(
    (groupList.groups ?? []).map(async (g) => {
      const preferred = g.preferredVersion?.version;
      // The preferred version first, as aggregated discovery lists it (the sort is stable).
      const versions = [...(g.versions ?? [])].sort((a, b) => Number(b.version === preferred) - Number(a.version === preferred));
      return {
        name: g.name,
        versions: await Promise.all(versions.map((v) => fetchGroupVersion(transport, `/apis/${v.groupVersion}`, v.version))),
      };
    }),
  );
  return assemble(groups);
}

interface FetchedVersion {
  version: VersionDiscovery;
  error?: string;
}

async function fetchGroupVersion(transport: Transport, path: string, version: string): Promise<FetchedVersion> {
  // One broken aggregated API (metrics-server down) must not hide the others.
  const failed = (reason: string): FetchedVersion => ({
    version: { version, resources: [] },
    error: `${path.replace(/^\/apis?\//, '')}: ${reason}`,
  });
  let list: ApiResourceList;
  try {
    const res = await transport.request({ method: 'GET', path, headers: { Accept: 'application/json' } });
    if (res.status < 200 || res.status >= 300) return failed(statusReason(res));
    list = JSON.parse(res.body.toString('utf8')) as ApiResourceList;
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
  return { version: { version, resources: convertResourceList(list), freshness: 'Current' } };
}

function assemble(groups: Array<{ name: string; versions: FetchedVersion[] }>): Converted {
  const warnings = groups.flatMap((g) => g.versions.flatMap((v) => (v.error === undefined ? [] : [v.error])));
  return {
    document: {
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      // A version that failed is left out (as client-go does), with its warning; the result
      // is marked incomplete so it is not cached.
      items: groups.map((g) => ({
        metadata: { name: g.name },
        versions: g.versions.flatMap((v) => (v.error === undefined ? [v.version] : [])),
      })),
    },
    complete: warnings.length === 0,
    warnings: warnings.map((w) => `unable to retrieve the complete list of server APIs: ${w}`),
  };
}

/** Legacy APIResourceList → aggregated resources: `parent/sub` entries become subresources. */
export function convertResourceList(list: ApiResourceList): ResourceDiscovery[] {
  const out: ResourceDiscovery[] = [];
  const byName = new Map<string, ResourceDiscovery>();
  const entries = list.resources ?? [];
  for (const r of entries) {
    if (r.name.includes('/')) continue;
    const converted: ResourceDiscovery = {
      resource: r.name,
      responseKind: { group: r.group ?? '', version: r.version ?? '', kind: r.kind ?? '' },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName ?? '',
      verbs: r.verbs ?? [],
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    };
    out.push(converted);
    byName.set(r.name, converted);
  }
  for (const r of entries) {
    const slash = r.name.indexOf('/');
    if (slash < 0) continue;
    const parent = byName.get(r.name.slice(0, slash));
    if (parent === undefined) continue;
    (parent.subresources ??= []).push({ subresource: r.name.slice(slash + 1), verbs: r.verbs ?? [] });
  }
  return out;
}

export interface Flattened {
  resources: ApiResource[];
  warnings: string[];
}

/**
 * Flattens the core document and the groups document into one list of resources in priority
 * order: the core group first, then the groups as `/apis` lists them; within a group the
 * preferred (first) version first. Subresources are folded into their parent.
 */
export function flattenDiscovery(core: GroupDiscoveryList, groups: GroupDiscoveryList): Flattened {
  const resources: ApiResource[] = [];
  const warnings: string[] = [];
  const items = [...core.items, ...groups.items];
  items.forEach((item, groupPriority) => {
    const group = item.metadata?.name ?? '';
    (item.versions ?? []).forEach((v, versionPriority) => {
      if (v.freshness === 'Stale') {
        warnings.push(`unable to retrieve the complete list of server APIs: ${group === '' ? v.version : `${group}/${v.version}`}: stale`);
      }
      for (const r of v.resources ?? []) {
        if (r.resource.includes('/')) continue;
        const kind = r.responseKind?.kind ?? '';
        resources.push({
          group,
          version: v.version,
          resource: r.resource,
          // Legacy servers may not list singular forms: guess like UnsafeGuessKindToResource.
          singular: r.singularResource || kind.toLowerCase(),
          kind,
          namespaced: r.scope === 'Namespaced',
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          verbs: r.verbs ?? [],
          subresources: (r.subresources ?? []).map((s) => s.subresource),
          preferredVersion: versionPriority === 0,
          groupPriority,
          versionPriority,
        });
      }
    });
  });
  return { resources, warnings };
}

function header(res: TransportResponse, name: string): string | undefined {
  for (const [key, value] of Object.entries(res.headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function checkStatus(res: TransportResponse, path: string): void {
  if (res.status >= 200 && res.status < 300) return;
  const message = `failed to get ${path}: ${statusReason(res)}`;
  if (res.status === 401 || res.status === 403) throw new AccessDeniedError(message);
  throw new ApiError(message, res.status);
}

/** The `message` of a meta/v1 Status body, else the HTTP status. */
function statusReason(res: TransportResponse): string {
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { kind?: string; message?: string };
    if (parsed.kind === 'Status' && parsed.message) return parsed.message;
  } catch {
    // not a Status
  }
  return `the server returned HTTP ${res.status}`;
}

function parseJson(res: TransportResponse, path: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (cause) {
    throw new ApiError(`invalid discovery document from ${path}: not JSON`, res.status, { cause });
  }
}
