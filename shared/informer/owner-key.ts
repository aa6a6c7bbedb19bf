/**
 * The key of an object's controller (its ownerReference with `controller: true`), when that
 * controller is of the given resource: what controller-runtime's `Owns()` enqueues
 * (handler.EnqueueRequestForOwner with OnlyControllerOwner). The owner of a namespaced object
 * lives in its namespace; a cluster-scoped owner is keyed by name alone.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { parseApiVersion } from '../discovery/api-resource.ts';
import type { InformerObject } from '../listwatch/object-key.ts';

interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export function controllerOwnerKey(object: InformerObject, owner: Pick<ApiResource, 'group' | 'kind' | 'namespaced'>): { key: string; uid: string | undefined } | undefined {
  const refs = (object.metadata as { ownerReferences?: OwnerReference[] } | undefined)?.ownerReferences;
  const ref = Array.isArray(refs) ? refs.find((r) => r.controller === true) : undefined;
  if (ref === undefined || ref.kind !== owner.kind || typeof ref.name !== 'string' || typeof ref.apiVersion !== 'string') return undefined;
  if (parseApiVersion(ref.apiVersion).group !== owner.group) return undefined;
  const namespace = object.metadata?.namespace;
  if (owner.namespaced && !namespace) return undefined;
  return { key: owner.namespaced ? `${namespace}/${ref.name}` : ref.name, uid: ref.uid };
}
