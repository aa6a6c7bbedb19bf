/**
 * One object's URL path, and a JSON merge patch of it under watchq's field manager: what the
 * finalizer and the handled record write (the caller reads the status).
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { resourcePath } from '../discovery/api-resource.ts';
import type { Transport, TransportResponse } from '../kube/transport.ts';
import type { KubeObject } from '../output/object-output.ts';
import { watchqFieldManager } from './execute.ts';

export function objectPathOf(resource: ApiResource, object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  return resourcePath(resource, { ...(namespace ? { namespace } : {}), name: object.metadata?.name ?? '' });
}

export function mergePatchObject(transport: Transport, resource: ApiResource, object: KubeObject, patch: unknown, signal?: AbortSignal): Promise<TransportResponse> {
  return transport.request({
    method: 'PATCH',
    path: `${objectPathOf(resource, object)}?fieldManager=${watchqFieldManager}`,
    body: JSON.stringify(patch),
    headers: { 'Content-Type': 'application/merge-patch+json', Accept: 'application/json' },
    ...(signal ? { signal } : {}),
  });
}
