/**
 * Client-side apply → server-side apply, as kubectl migrates an object (client-go's
 * util/csaupgrade, used by `kubectl apply --server-side`): the fields a client-side apply
 * manager owns (an Update entry that owns the last-applied-configuration annotation) are moved
 * into our Apply entry, so a server-side apply of the same manifest does not conflict with
 * `kubectl-client-side-apply`, and fields the manifest no longer has are removed as kubectl
 * removes them.
 *
 * A managed-fields set (FieldsV1) is a tree: each key a path element (`f:data`, `k:{…}`, `v:…`,
 * `i:0`), an empty object or a `.` key marking the path itself as a member.
 */

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update' | string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldsV1;
  subresource?: string;
}

export type FieldsV1 = { [element: string]: FieldsV1 };

/** metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"], the path kubectl looks for. */
export const lastAppliedPath = ['f:metadata', 'f:annotations', 'f:kubectl.kubernetes.io/last-applied-configuration'];

/** Whether `path` is a member of the set. */
export function hasPath(set: FieldsV1 | undefined, path: readonly string[]): boolean {
  let node = set;
  for (const element of path) {
    node = node?.[element];
    if (node === undefined) return false;
  }
  return Object.keys(node!).length === 0 || '.' in node!;
}

/** The union of two sets (fieldpath.Set.Union). */
export function unionFields(a: FieldsV1 | undefined, b: FieldsV1 | undefined): FieldsV1 {
  if (a === undefined) return b ?? {};
  if (b === undefined) return a;
  const member = (s: FieldsV1) => Object.keys(s).length === 0 || '.' in s;
  const children = (s: FieldsV1) => Object.keys(s).filter((k) => k !== '.');
  const keys = [...new Set([...children(a), ...children(b)])].sort();
  const out: FieldsV1 = {};
  if (keys.length > 0 && (member(a) || member(b))) out['.'] = {};
  for (const k of keys) out[k] = unionFields(a[k], b[k]);
  return out;
}

/** csaupgrade.FindFieldsOwners: the entries of `operation` whose set holds `path`. */
export function findFieldsOwners(entries: readonly ManagedFieldsEntry[], operation: string, path: readonly string[]): ManagedFieldsEntry[] {
  return entries.filter((e) => e.operation === operation && hasPath(e.fieldsV1, path));
}

/** The client-side apply managers kubectl would migrate: Update entries owning the last-applied annotation. */
export function clientSideApplyManagers(entries: readonly ManagedFieldsEntry[]): string[] {
  return [...new Set(findFieldsOwners(entries, 'Update', lastAppliedPath).map((e) => e.manager ?? ''))];
}

/** csaupgrade's upgradedManagedFields, for one client-side manager (entries are not changed in place). */
function upgradeOne(entries: ManagedFieldsEntry[], csaManager: string, ssaManager: string, subresource = ''): ManagedFieldsEntry[] {
  const sub = (e: ManagedFieldsEntry) => (e.subresource ?? '') === subresource;
  const isCsa = (e: ManagedFieldsEntry) => e.manager === csaManager && e.operation === 'Update' && sub(e);
  const out = entries.map((e) => ({ ...e }));
  let target = out.findIndex((e) => e.manager === ssaManager && e.operation === 'Apply' && sub(e));
  if (target < 0) {
    target = out.findIndex(isCsa);
    if (target < 0) return out;
    out[target] = { ...out[target]!, operation: 'Apply', manager: ssaManager };
  }
  // The fields of the client-side entry of the same API version join the Apply entry's.
  const csa = out.find((e) => isCsa(e) && e.apiVersion === out[target]!.apiVersion);
  out[target] = { ...out[target]!, fieldsType: 'FieldsV1', fieldsV1: unionFields(out[target]!.fieldsV1, csa?.fieldsV1) };
  return out.filter((e) => !isCsa(e));
}

/** csaupgrade.UpgradeManagedFields: the entries after moving each of `csaManagers`' fields to `ssaManager`. */
export function upgradeManagedFields(entries: readonly ManagedFieldsEntry[], csaManagers: readonly string[], ssaManager: string, subresource = ''): ManagedFieldsEntry[] {
  let after = [...entries];
  for (const name of csaManagers) after = upgradeOne(after, name, ssaManager, subresource);
  return after;
}

/**
 * csaupgrade.UpgradeManagedFieldsPatch: the JSON patch that moves `csaManagers`' fields to
 * `ssaManager` (guarded by the object's resourceVersion), or undefined when there is nothing to move.
 */
export function upgradeManagedFieldsPatch(object: { metadata?: { managedFields?: ManagedFieldsEntry[]; resourceVersion?: string } }, csaManagers: readonly string[], ssaManager: string): string | undefined {
  const before = object.metadata?.managedFields;
  if (before === undefined) return undefined;
  const after = upgradeManagedFields(before, csaManagers, ssaManager);
  if (JSON.stringify(after) === JSON.stringify(before)) return undefined;
  return JSON.stringify([
    { op: 'replace', path: '/metadata/managedFields', value: after },
    { op: 'replace', path: '/metadata/resourceVersion', value: object.metadata?.resourceVersion ?? '' },
  ]);
}
