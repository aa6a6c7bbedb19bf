/**
 * All or nothing: every object is first sent as a server-side dry run; if any fails nothing is
 * created. Then objects are created in order (Namespaces, CRDs — waiting for Established —
 * then the rest). If a create still fails, what this run created is deleted again.
 * With server-side apply, objects are applied (created or updated) instead.
 */
import { fullName, objectName, resourcePath, type ApiResource } from '../discovery/api-resource.ts';
import type { Discovery } from '../discovery/discovery-client.ts';
import { parseApiVersion } from '../discovery/api-resource.ts';
import { ApiError, ForbiddenError, InterruptedError, NotFoundError, PartialFailure, PluginError, retold, UsageError } from '../errors.ts';
import { errorForStatus, parseStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';
import { realClock, sleep, type Clock } from '../time/clock.ts';
import { quotedWhere, where } from '../manifests/parse-manifests.ts';
import type { KubeObject } from '../output/object-output.ts';
import { clientSideApplyManagers, upgradeManagedFieldsPatch, type ManagedFieldsEntry } from './csa-upgrade.ts';
import { isCrd, isNamespace, type PlannedObject } from './plan.ts';

export const fieldManager = 'kubectl-mkdeploy';

/** kubectl's --validate, as the fieldValidation parameter every create, dry run and apply carries. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface CreateOptions {
  transport: Transport;
  discovery: Discovery;
  dryRun: 'none' | 'server';
  validation: FieldValidation;
  serverSide: boolean;
  forceConflicts: boolean;
  /** Told once per object done: `deployment.apps/nginx created`. */
  onResult?: (object: KubeObject, resource: ApiResource, action: string) => void;
  crdTimeoutMs?: number;
  clock?: Clock;
  signal?: AbortSignal | undefined;
}

export async function createObjects(plan: PlannedObject[], options: CreateOptions): Promise<KubeObject[]> {
  // 1. Dry run of everything that can be checked now.
  const refused = new Map<PlannedObject, PluginError>();
  const dryRunResults = new Map<PlannedObject, KubeObject>();
  // Objects last written by client-side apply, whose managers' fields move to ours first (as kubectl migrates them).
  const migrations = new Map<PlannedObject, string[]>();
  const check = async (p: PlannedObject, sendOptions: CreateOptions): Promise<void> => {
    try {
      dryRunResults.set(p, await send(p, sendOptions, true));
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      const csaManagers = sendOptions === options && isApplyConflict(error) ? await clientSideOwners(p, error, options) : undefined;
      if (csaManagers === undefined) return void refused.set(p, error);
      // The fields will be ours once migrated: the dry run takes them over to show the result.
      migrations.set(p, csaManagers);
      await check(p, { ...options, forceConflicts: true });
    }
  };
  const dryRun = (batch: PlannedObject[]) => Promise.all(batch.map((p) => check(p, options)));
  await dryRun(plan.filter((p) => !p.dependsOnSet));
  // A Namespace of this set that exists already: what goes into it can be checked now too.
  const existing = new Set(plan.filter((p) => isNamespace(p) && isAlreadyExists(refused.get(p))).map((p) => p.object.metadata!.name!));
  await dryRun(plan.filter((p) => p.dependsOnSet && p.resource && p.namespace !== undefined && existing.has(p.namespace)));
  if (refused.size > 0) throw refusal(plan, refused, options.serverSide);
  if (options.dryRun === 'server') {
    // What the server returned, defaults and generated names included; objects that wait for a
    // CRD or Namespace of this run could only be checked on our side.
    const results: KubeObject[] = [];
    for (const p of plan) {
      const result = dryRunResults.get(p) ?? p.object;
      results.push(result);
      if (p.resource) options.onResult?.(result, p.resource, options.serverSide ? 'serverside-applied (server dry run)' : 'created (server dry run)');
    }
    return results;
  }

  // 2. Create in order, undoing this run's creations if one fails.
  const created: Array<{ p: PlannedObject; resource: ApiResource; name: string }> = [];
  const results: KubeObject[] = [];
  try {
    for (const p of plan) {
      if (options.signal?.aborted) throw new InterruptedError(options.signal.reason);
      const resource = p.resource ?? (await options.discovery.resourceFor(gvkOf(p.object)));
      const planned = { ...p, resource };
      const csaManagers = migrations.get(p);
      if (csaManagers) await migrateToServerSideApply(planned, csaManagers, options);
      const result = await send(planned, options, false);
      if (!options.serverSide) created.push({ p: planned, resource, name: result.metadata?.name ?? p.object.metadata!.name! });
      results.push(result);
      options.onResult?.(result, resource, options.serverSide ? 'serverside-applied' : 'created');
      if (isCrd(p)) await waitEstablished(planned, options);
    }
  } catch (error) {
    const interrupted = options.signal?.aborted ? new InterruptedError(options.signal.reason) : undefined;
    if (created.length === 0) throw interrupted ?? error;
    const left = await rollBack(created, options.transport);
    const undone = left.length === 0 ? `the ${created.length} object(s) created before it were deleted again` : `${created.length - left.length} of the ${created.length} object(s) created before it were deleted again; still there: ${left.join(', ')}`;
    if (interrupted) throw new InterruptedError(options.signal!.reason, `interrupted: ${undone}`);
    if (error instanceof PluginError) throw new ApiError(`${error.message} (${undone})`, undefined, { cause: error });
    throw error;
  }
  return results;
}

/**
 * Deletes what this run created, newest first, and says what could not be deleted (`kind/name`).
 * Not tied to the run's signal: an interrupted run still cleans up after itself.
 */
async function rollBack(created: Array<{ p: PlannedObject; resource: ApiResource; name: string }>, transport: Transport): Promise<string[]> {
  const left: string[] = [];
  for (const { p, resource, name } of [...created].reverse()) {
    const ok = await transport
      .request({ method: 'DELETE', path: resourcePath(resource, { namespace: p.namespace, name }) })
      .then((res) => (res.status >= 200 && res.status < 300) || res.status === 404)
      .catch(() => false);
    if (!ok) left.push(`${objectName(resource, name)}${p.namespace ? ` (namespace ${p.namespace})` : ''}`);
  }
  return left;
}

/**
 * The objects the dry run refused, each on its own line naming its file, document and line in
 * kubectl's words (`error when creating "app.yaml" (document 2, line 14): …`), in the order of
 * the sources; then what became of the run, and what would get past the refusals.
 * mkdeploy NAME (one object, no file) says its own error alone.
 */
function refusal(plan: PlannedObject[], refused: Map<PlannedObject, PluginError>, serverSide: boolean): PluginError {
  const verb = serverSide ? 'patch' : 'create';
  const told = plan
    .filter((p) => refused.has(p))
    .sort((a, b) => a.input - b.input)
    .map((p) => {
      const error = refused.get(p)!;
      const message = p.origin === undefined ? `error when ${serverSide ? 'applying' : 'creating'} ${quotedWhere(p)}: ${error.message}` : error.message;
      // A refusal names what to grant: this verb on this resource, here.
      // Their hints are said once, for the whole run, below.
      return error instanceof ForbiddenError ? new ForbiddenError(message, { denied: [{ verb, resource: p.resource!, namespace: p.namespace }] }) : retold(error, message, undefined);
    });
  if (plan.length === 1 && plan[0]!.origin !== undefined) return told[0]!;
  const errors = [...refused.values()];
  const hints = [
    ...(errors.some(isAlreadyExists) && !serverSide ? ['use --server-side to create or update what already exists'] : []),
    ...(errors.some(isApplyConflict) ? ['use --force-conflicts to take the fields over'] : []),
  ];
  const nothing = serverSide ? 'nothing was applied' : 'nothing was created';
  const summary = told.length === 1 ? nothing : `${nothing}: ${told.length} of ${plan.length} objects were refused`;
  return new PartialFailure(told, undefined, { hint: [summary, ...hints].join('; ') });
}

/**
 * When every manager a server-side apply conflicts with is a client-side apply manager of the
 * live object (an Update entry owning the last-applied-configuration annotation, as kubectl
 * finds them), those managers; otherwise undefined (a real conflict, for --force-conflicts).
 */
async function clientSideOwners(p: PlannedObject, conflict: PluginError, options: CreateOptions): Promise<string[] | undefined> {
  const conflicting = [...conflict.message.matchAll(/conflict with "([^"]*)"/g)].map((m) => m[1]!);
  if (conflicting.length === 0) return undefined;
  const live = await getLive(p, options);
  const csa = clientSideApplyManagers(live?.metadata?.managedFields ?? []);
  return conflicting.every((name) => csa.includes(name)) ? csa : undefined;
}

async function getLive(p: PlannedObject, options: CreateOptions): Promise<LiveObject | undefined> {
  const res = await options.transport.request({ path: resourcePath(p.resource!, { namespace: p.namespace, name: p.object.metadata!.name! }), signal: options.signal });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw errorForStatus(res.status, res.body);
  return JSON.parse(res.body.toString('utf8')) as LiveObject;
}

type LiveObject = KubeObject & { metadata?: { managedFields?: ManagedFieldsEntry[]; resourceVersion?: string } };

/**
 * kubectl's migrateToSSAIfNecessary: the client-side managers' fields move into our Apply entry
 * with a JSON patch of metadata.managedFields guarded by the resourceVersion, retried (at most 5
 * times, as kubectl) when the object changed in between.
 */
async function migrateToServerSideApply(p: PlannedObject, csaManagers: string[], options: CreateOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const live = await getLive(p, options);
    const patch = live && upgradeManagedFieldsPatch(live, csaManagers, fieldManager);
    if (patch === undefined) return;
    const res = await options.transport.request({
      method: 'PATCH',
      path: resourcePath(p.resource!, { namespace: p.namespace, name: p.object.metadata!.name! }),
      headers: { 'Content-Type': 'application/json-patch+json', Accept: 'application/json' },
      body: patch,
    });
    if (res.status >= 200 && res.status < 300) return;
    if (res.status !== 409 || attempt >= 5) throw errorForStatus(res.status, res.body);
  }
}

function isApplyConflict(error: PluginError | undefined): boolean {
  return error instanceof ApiError && error.status === 409 && error.message.startsWith('conflict applying ');
}

function isAlreadyExists(error: PluginError | undefined): boolean {
  return error instanceof ApiError && error.status === 409 && /already exists/.test(error.message);
}

function gvkOf(object: KubeObject): { group: string; version: string; kind: string } {
  return { ...parseApiVersion(object.apiVersion!), kind: object.kind! };
}

/**
 * Sends one object. A 404 for the resource's own path (not for a named object: "404 page not
 * found", a Status without details.name) means the cached discovery is stale (a CRD deleted
 * since): discovery is fetched again and the object sent once more, or reported as an unknown kind.
 */
async function send(p: PlannedObject, options: CreateOptions, dryRun: boolean, retried = false): Promise<KubeObject> {
  try {
    return await sendOnce(p, options, dryRun);
  } catch (error) {
    if (!(error instanceof StalePathError) || retried) throw error instanceof StalePathError ? error.notFound : error;
    await options.discovery.refresh();
    const resource = await options.discovery.resourceFor(gvkOf(p.object));
    return send({ ...p, resource }, options, dryRun, true);
  }
}

class StalePathError extends Error {
  readonly notFound: PluginError;
  constructor(notFound: PluginError) {
    super(notFound.message);
    this.notFound = notFound;
  }
}

/** A real create is not cut short by the run's signal: the run stops after it, knowing what it made. */
async function sendOnce(p: PlannedObject, options: CreateOptions, dryRun: boolean): Promise<KubeObject> {
  const resource = p.resource!;
  const name = p.object.metadata?.name ?? '';
  if (options.serverSide && name === '') throw new UsageError(`${where(p)}: server-side apply needs metadata.name (generateName is only for a create)`);
  const body = p.namespace ? { ...p.object, metadata: { ...p.object.metadata, namespace: p.namespace } } : p.object;
  const params = new URLSearchParams({ fieldManager, fieldValidation: options.validation });
  if (dryRun) params.set('dryRun', 'All');
  if (options.serverSide && options.forceConflicts) params.set('force', 'true');
  const res = options.serverSide
    ? await options.transport.request({
        method: 'PATCH',
        path: `${resourcePath(resource, { namespace: p.namespace, name })}?${params}`,
        headers: { 'Content-Type': 'application/apply-patch+yaml', Accept: 'application/json' },
        body: JSON.stringify(body),
        ...(dryRun ? { signal: options.signal } : {}),
      })
    : await options.transport.request({
        method: 'POST',
        path: `${resourcePath(resource, { namespace: p.namespace })}?${params}`,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        ...(dryRun ? { signal: options.signal } : {}),
      });
  if (res.status >= 200 && res.status < 300) return JSON.parse(res.body.toString('utf8')) as KubeObject;
  const status = parseStatus(res.body);
  if (res.status === 404 && !status?.details?.name) {
    throw new StalePathError(new NotFoundError(`no matches for kind "${p.object.kind}" in version "${p.object.apiVersion}"`, { hint: 'ensure CRDs are installed first' }));
  }
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
  const clock = options.clock ?? realClock;
  const deadline = clock.now() + (options.crdTimeoutMs ?? 30_000);
  const path = resourcePath(p.resource!, { name: p.object.metadata!.name! });
  while (clock.now() < deadline) {
    const res = await options.transport.request({ path, signal: options.signal });
    if (res.status === 200) {
      const crd = JSON.parse(res.body.toString('utf8')) as { status?: { conditions?: Array<{ type: string; status: string }> } };
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
        await options.discovery.refresh();
        return;
      }
    }
    if (options.signal?.aborted) throw new InterruptedError(options.signal.reason);
    await sleep(200, options.clock);
  }
  throw new ApiError(`CustomResourceDefinition "${p.object.metadata!.name}" was not Established within ${(options.crdTimeoutMs ?? 30_000) / 1000}s`);
}
