/**
 * All or nothing: every object is first sent as a server-side dry run; if any fails nothing is
 * created. Then objects are created in order (Namespaces, CRDs — waiting for Established —
 * then the rest). If a create still fails, what this run created is deleted again.
 * With server-side apply, objects are applied (created or updated) instead.
 */
import { fullName, resourcePath, type ApiResource } from '../discovery/api-resource.ts';
import type { Discovery } from '../discovery/discovery-client.ts';
import { ApiError, ForbiddenError, PluginError, type DeniedRequest } from '../errors.ts';
import { errorForStatus, parseStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';
import { where } from '../manifests/parse-manifests.ts';
import type { KubeObject } from '../output/object-output.ts';
import { isCrd, type PlannedObject } from './plan.ts';

export const fieldManager = 'kubectl-mkdeploy';

export interface CreateOptions {
  transport: Transport;
  discovery: Discovery;
  dryRun: 'none' | 'server';
  serverSide: boolean;
  forceConflicts: boolean;
  /** Told once per object done: `deployment.apps/nginx created`. */
  onResult?: (object: KubeObject, resource: ApiResource, action: string) => void;
  crdTimeoutMs?: number;
  signal?: AbortSignal | undefined;
}

export async function createObjects(plan: PlannedObject[], options: CreateOptions): Promise<KubeObject[]> {
  // 1. Dry run of everything that can be checked now.
  const failures: string[] = [];
  const errors: PluginError[] = [];
  const denied: DeniedRequest[] = [];
  await Promise.all(
    plan
      .filter((p) => !p.dependsOnSet)
      .map(async (p) => {
        try {
          await send(p, options, true);
        } catch (error) {
          if (!(error instanceof PluginError)) throw error;
          failures.push(`${where(p)}: ${error.message}`);
          errors.push(error);
          if (error instanceof ForbiddenError) denied.push({ verb: options.serverSide ? 'patch' : 'create', resource: p.resource!, namespace: p.namespace });
        }
      }),
  );
  if (failures.length > 0) {
    // A single object (mkdeploy NAME): its own error says it all.
    if (plan.length === 1 && !(errors[0] instanceof ForbiddenError)) throw errors[0];
    const message = failures.length === 1 ? `nothing was created: ${failures[0]}` : `nothing was created; ${failures.length} objects were refused: ${failures.join('; ')}`;
    throw denied.length > 0 ? new ForbiddenError(message, { denied }) : new ApiError(message);
  }
  if (options.dryRun === 'server') {
    const results: KubeObject[] = [];
    for (const p of plan) {
      results.push(p.object);
      if (p.resource) options.onResult?.(p.object, p.resource, options.serverSide ? 'serverside-applied (server dry run)' : 'created (server dry run)');
    }
    return results;
  }

  // 2. Create in order, undoing this run's creations if one fails.
  const created: Array<{ p: PlannedObject; resource: ApiResource }> = [];
  const results: KubeObject[] = [];
  try {
    for (const p of plan) {
      const resource = p.resource ?? (await options.discovery.resourceFor(gvkOf(p.object)));
      const planned = { ...p, resource };
      const result = await send(planned, options, false);
      if (!options.serverSide) created.push({ p: planned, resource });
      results.push(result);
      options.onResult?.(result, resource, options.serverSide ? 'serverside-applied' : 'created');
      if (isCrd(p)) await waitEstablished(planned, options);
    }
  } catch (error) {
    for (const { p, resource } of created.reverse()) {
      await options.transport
        .request({ method: 'DELETE', path: resourcePath(resource, { namespace: p.namespace, name: p.object.metadata!.name! }) })
        .catch(() => undefined);
    }
    if (error instanceof PluginError && created.length > 0) {
      throw new ApiError(`${error.message} (the ${created.length} object(s) created before it were deleted again)`, undefined, { cause: error });
    }
    throw error;
  }
  return results;
}

function gvkOf(object: KubeObject): { group: string; version: string; kind: string } {
  const [group, version] = object.apiVersion!.includes('/') ? object.apiVersion!.split('/') : ['', object.apiVersion!];
  return { group: group!, version: version!, kind: object.kind! };
}

async function send(p: PlannedObject, options: CreateOptions, dryRun: boolean): Promise<KubeObject> {
  const resource = p.resource!;
  const name = p.object.metadata!.name!;
  const body = p.namespace ? { ...p.object, metadata: { ...p.object.metadata, namespace: p.namespace } } : p.object;
  const params = new URLSearchParams({ fieldManager });
  if (dryRun) params.set('dryRun', 'All');
  if (options.serverSide && options.forceConflicts) params.set('force', 'true');
  const res = options.serverSide
    ? await options.transport.request({
        method: 'PATCH',
        path: `${resourcePath(resource, { namespace: p.namespace, name })}?${params}`,
        headers: { 'Content-Type': 'application/apply-patch+yaml', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal: options.signal,
      })
    : await options.transport.request({
        method: 'POST',
        path: `${resourcePath(resource, { namespace: p.namespace })}?${params}`,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal: options.signal,
      });
  if (res.status >= 200 && res.status < 300) return JSON.parse(res.body.toString('utf8')) as KubeObject;
  const status = parseStatus(res.body);
  if (res.status === 409 && status?.reason === 'AlreadyExists') {
    throw new ApiError(`${fullName(resource)} "${name}" already exists`, 409, { hint: 'use --server-side to create or update it' });
  }
  if (res.status === 409 && status?.reason === 'Conflict' && options.serverSide) {
    throw new ApiError(`conflict applying ${fullName(resource)} "${name}": ${status.message}`, 409, { hint: 'use --force-conflicts to take the fields over' });
  }
  throw errorForStatus(res.status, res.body);
}

/** A CRD's instances can be created once it is Established and served. */
async function waitEstablished(p: PlannedObject, options: CreateOptions): Promise<void> {
  const deadline = Date.now() + (options.crdTimeoutMs ?? 30_000);
  const path = resourcePath(p.resource!, { name: p.object.metadata!.name! });
  while (Date.now() < deadline) {
    const res = await options.transport.request({ path, signal: options.signal });
    if (res.status === 200) {
      const crd = JSON.parse(res.body.toString('utf8')) as { status?: { conditions?: Array<{ type: string; status: string }> } };
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
        await options.discovery.refresh();
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new ApiError(`CustomResourceDefinition "${p.object.metadata!.name}" was not Established within ${(options.crdTimeoutMs ?? 30_000) / 1000}s`);
}
