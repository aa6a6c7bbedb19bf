/**
 * Carries out object operations (operations.ts) in order, as shell-operator's ObjectPatcher does
 * (pkg/kube/object_patch/patch.go), with one difference: the first operation the server refuses
 * stops the rest (a later operation may rely on an earlier one; the hook runs again on retry
 * and writes them all again), where shell-operator tries every one and collects the errors.
 *
 * - Create: POST; an existing object is an error. CreateIfNotExists: an existing object is fine.
 *   CreateOrUpdate: an existing object is replaced (GET, then PUT with its resourceVersion),
 *   retried on conflict with client-go's retry.DefaultBackoff (10 ms ×5, 4 tries).
 * - Apply: server-side apply, field manager `kubectl-watchq`, forcing conflicts (as controllers
 *   should, for the fields they own).
 * - Delete: foreground propagation, then waits (every 1 s, at most 20 s) until the object is
 *   gone; DeleteInBackground and DeleteNonCascading (orphan) do not wait. A missing object is fine.
 * - MergePatch, JSONPatch: PATCH; with ignoreMissingObject a missing object is fine.
 * `subresource` (e.g. `status`) goes on the object's path for every write but Delete.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { parseApiVersion, resourcePath } from '../discovery/api-resource.ts';
import type { Discovery } from '../discovery/discovery-client.ts';
import { ApiError, PluginError } from '../errors.ts';
import { errorForStatus, parseStatus } from '../kube/api-errors.ts';
import type { Transport, TransportRequest } from '../kube/transport.ts';
import type { KubeObject } from '../output/object-output.ts';
import { realClock, sleep, type Clock } from '../time/clock.ts';
import { describeOperation, type ObjectOperation, type ObjectTarget } from './operations.ts';

export const watchqFieldManager = 'kubectl-watchq';

export interface ExecuteOptions {
  transport: Transport;
  discovery: Pick<Discovery, 'resolveOne' | 'resourceFor'>;
  /** For namespaced objects that name none: the context's namespace, as kubectl in the hook would use. */
  defaultNamespace: string;
  signal?: AbortSignal;
  clock?: Clock;
}

/** client-go's retry.DefaultBackoff: 4 tries, 10 ms growing ×5. */
const conflictDelaysMs = [10, 50, 250];
const deletePollMs = 1000;
const deleteWaitMs = 20_000;

export async function executeOperations(ops: readonly ObjectOperation[], options: ExecuteOptions): Promise<void> {
  for (const op of ops) {
    try {
      await executeOne(op, options);
    } catch (error) {
      // The message names the operation and where the hook wrote it; the error (and exit code) stays the server's.
      if (error instanceof PluginError) error.message = `${op.at}: ${describeOperation(op)}: ${error.message}`;
      throw error;
    }
  }
}

async function executeOne(op: ObjectOperation, o: ExecuteOptions): Promise<void> {
  const clock = o.clock ?? realClock;
  const send = async (req: TransportRequest, okWhen: (status: number) => boolean = (s) => s < 300): Promise<{ status: number; body: Buffer }> => {
    const res = await o.transport.request({ ...req, signal: o.signal, headers: { Accept: 'application/json', ...req.headers } });
    if (!okWhen(res.status)) throw errorForStatus(res.status, res.body);
    return res;
  };
  const json = (body: unknown): Pick<TransportRequest, 'body' | 'headers'> => ({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  const query = `?fieldManager=${watchqFieldManager}`;

  if ('object' in op) {
    const object = op.object;
    const { group, version } = parseApiVersion(object.apiVersion!);
    const resource = await o.discovery.resourceFor({ group, version, kind: object.kind! });
    const namespace = namespaceFor(resource, object.metadata?.namespace, o);
    const body = resource.namespaced ? { ...object, metadata: { ...object.metadata, namespace } } : object;
    const item = objectPath(resource, namespace, object.metadata!.name ?? '', op.subresource);
    if (op.operation === 'Apply') {
      await send({ method: 'PATCH', path: `${item}${query}&force=true`, body: JSON.stringify(body), headers: { 'Content-Type': 'application/apply-patch+yaml' } });
      return;
    }
    const collection = resourcePath(resource, namespace === undefined ? {} : { namespace });
    const created = await send({ method: 'POST', path: `${op.subresource ? item : collection}${query}`, ...json(body) }, (s) => s < 300 || s === 409);
    if (created.status < 300) return;
    if (op.operation === 'Create' || !isAlreadyExists(created.body)) throw errorForStatus(created.status, created.body);
    if (op.operation === 'CreateIfNotExists') return;
    // CreateOrUpdate: replace it, on the version just read.
    for (let attempt = 0; ; attempt++) {
      const live = JSON.parse((await send({ path: item })).body.toString()) as KubeObject;
      const replaced = await send({ method: 'PUT', path: `${item}${query}`, ...json({ ...body, metadata: { ...body.metadata, resourceVersion: live.metadata?.resourceVersion } }) }, (s) => s < 300 || s === 409);
      if (replaced.status < 300) return;
      if (attempt >= conflictDelaysMs.length) throw errorForStatus(replaced.status, replaced.body);
      await sleep(conflictDelaysMs[attempt]!, clock);
    }
  }

  const resource = await resolveTarget(op.target, o);
  const namespace = namespaceFor(resource, op.target.namespace, o);
  const item = objectPath(resource, namespace, op.target.name);
  if (op.operation === 'MergePatch' || op.operation === 'JSONPatch') {
    const type = op.operation === 'MergePatch' ? 'application/merge-patch+json' : 'application/json-patch+json';
    const path = objectPath(resource, namespace, op.target.name, op.subresource);
    await send({ method: 'PATCH', path: `${path}${query}`, body: JSON.stringify(op.patch), headers: { 'Content-Type': type } }, (s) => s < 300 || (s === 404 && op.ignoreMissingObject));
    return;
  }
  const propagationPolicy = op.operation === 'Delete' ? 'Foreground' : op.operation === 'DeleteInBackground' ? 'Background' : 'Orphan';
  const deleted = await send({ method: 'DELETE', path: item, ...json({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy }) }, (s) => s < 300 || s === 404);
  if (deleted.status === 404 || propagationPolicy !== 'Foreground') return;
  for (const deadline = clock.now() + deleteWaitMs; ; ) {
    await sleep(deletePollMs, clock);
    if ((await send({ path: item }, (s) => s < 300 || s === 404)).status === 404) return;
    if (clock.now() >= deadline) throw new ApiError(`still there ${deleteWaitMs / 1000}s after its deletion (foreground: waiting for its dependents)`);
  }
}

function isAlreadyExists(body: Buffer): boolean {
  return parseStatus(body)?.reason === 'AlreadyExists';
}

/** `apiVersion` and `kind` exactly when given; the kind alone otherwise (as `kubectl get KIND`). */
async function resolveTarget(target: ObjectTarget, o: ExecuteOptions): Promise<ApiResource> {
  if (target.apiVersion === undefined) return o.discovery.resolveOne(target.kind);
  const { group, version } = parseApiVersion(target.apiVersion);
  return o.discovery.resourceFor({ group, version, kind: target.kind });
}

/** A cluster-scoped object's namespace is ignored, as the API server ignores it. */
function namespaceFor(resource: ApiResource, given: string | undefined, o: ExecuteOptions): string | undefined {
  return resource.namespaced ? given || o.defaultNamespace : undefined;
}

function objectPath(resource: ApiResource, namespace: string | undefined, name: string, subresource?: string): string {
  return `${resourcePath(resource, { ...(namespace === undefined ? {} : { namespace }), name })}${subresource ? `/${encodeURIComponent(subresource)}` : ''}`;
}
