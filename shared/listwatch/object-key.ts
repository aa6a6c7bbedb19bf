/**
 * The objects an informer caches and the keys it files them under: `namespace/name`, or just
 * `name` for cluster-scoped objects (client-go's MetaNamespaceKeyFunc).
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  [key: string]: unknown;
}

/** Any Kubernetes object as it comes off the wire; only the metadata matters to the informer. */
export interface InformerObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** `namespace/name`, or `name` when the object has no namespace. */
export function objectKey(object: InformerObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** The inverse of objectKey: `ns/name` → {namespace: 'ns', name}; `name` → {name}. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function resourceVersionOf(object: InformerObject | undefined): string {
  return object?.metadata?.resourceVersion ?? '';
}
