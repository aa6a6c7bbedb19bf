/**
 * Adding and removing one finalizer on an object, as a controller does (controller-runtime's
 * controllerutil.AddFinalizer/RemoveFinalizer followed by an update): a JSON merge patch of
 * `metadata.finalizers` that carries the resourceVersion it was computed from, so a list someone
 * changed meanwhile is never overwritten (the server answers 409 Conflict instead).
 *
 * - add: on the version given (the informer's); a conflict is the caller's to retry, with the
 *   newer version its informer will bring. Returns the object as the server stored it.
 * - remove: reads the live object first and retries a conflict (client-go's retry.DefaultRetry:
 *   5 tries, 10 ms apart); an object already gone, or without the finalizer, is done.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';
import type { KubeObject } from '../output/object-output.ts';
import { realClock, sleep, type Clock } from '../time/clock.ts';
import { mergePatchObject, objectPathOf } from './merge-patch.ts';

export interface FinalizerClient {
  readonly name: string;
  add<T extends KubeObject>(object: T, signal?: AbortSignal): Promise<T>;
  remove(object: KubeObject, signal?: AbortSignal): Promise<void>;
}

export function hasFinalizer(object: KubeObject | undefined, name: string): boolean {
  const finalizers = object?.metadata?.finalizers;
  return Array.isArray(finalizers) && finalizers.includes(name);
}

export function finalizerClient(transport: Transport, resource: ApiResource, name: string, clock: Clock = realClock): FinalizerClient {
  const patch = (object: KubeObject, finalizers: string[], signal: AbortSignal | undefined) =>
    mergePatchObject(transport, resource, object, { metadata: { finalizers: finalizers.length === 0 ? null : finalizers, resourceVersion: object.metadata?.resourceVersion } }, signal);
  const current = (object: KubeObject): string[] => (Array.isArray(object.metadata?.finalizers) ? (object.metadata.finalizers as string[]) : []);
  return {
    name,
    async add(object, signal) {
      if (hasFinalizer(object, name)) return object;
      const res = await patch(object, [...current(object), name], signal);
      if (res.status >= 300) throw errorForStatus(res.status, res.body);
      return JSON.parse(res.body.toString()) as typeof object;
    },
    async remove(object, signal) {
      for (let attempt = 1; ; attempt++) {
        const got = await transport.request({ path: objectPathOf(resource, object), headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
        if (got.status === 404) return;
        if (got.status >= 300) throw errorForStatus(got.status, got.body);
        const live = JSON.parse(got.body.toString()) as KubeObject;
        if (!hasFinalizer(live, name)) return;
        const res = await patch(live, current(live).filter((f) => f !== name), signal);
        if (res.status < 300 || res.status === 404) return;
        if (res.status !== 409 || attempt >= 5) throw errorForStatus(res.status, res.body);
        await sleep(10, clock);
      }
    },
  };
}
