/**
 * Orders objects for creation and maps each to its resource: Namespaces first, then CRDs, then
 * everything else; instances of a CRD defined in the same set are mapped after it exists.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { parseApiVersion } from '../discovery/api-resource.ts';
import type { Discovery } from '../discovery/discovery-client.ts';
import { NotFoundError, PartialFailure, retold, UsageError } from '../errors.ts';
import { where, type SourcedObject } from '../manifests/parse-manifests.ts';

export interface PlannedObject extends SourcedObject {
  /** Undefined while its CRD is still to be created in this run. */
  resource: ApiResource | undefined;
  /** The namespace it goes to (undefined for cluster-scoped). */
  namespace: string | undefined;
  /** True when it needs a Namespace or CRD created earlier in this run. */
  dependsOnSet: boolean;
  /** Its place among the sources (files, then documents, in the order given): failures are told in this order. */
  input: number;
}

export function isCrd(o: SourcedObject): boolean {
  return o.object.kind === 'CustomResourceDefinition' && parseApiVersion(o.object.apiVersion ?? '').group === 'apiextensions.k8s.io';
}

export function isNamespace(o: SourcedObject): boolean {
  return o.object.kind === 'Namespace' && o.object.apiVersion === 'v1';
}

interface CrdSpec {
  group?: string;
  names?: { kind?: string; plural?: string };
  scope?: string;
}

export function rank(o: SourcedObject): number {
  return isNamespace(o) ? 0 : isCrd(o) ? 1 : 2;
}

export interface PlanNamespace {
  /** The namespace of the context, or of -n. */
  name: string;
  /** -n was given: an object naming another namespace is refused, as kubectl refuses it. */
  explicit: boolean;
}

export async function planObjects(objects: SourcedObject[], discovery: Discovery, ns: PlanNamespace): Promise<PlannedObject[]> {
  const ordered = objects.map((o, input) => ({ ...o, input })).sort((a, b) => rank(a) - rank(b) || a.input - b.input);
  const newNamespaces = new Set(ordered.filter(isNamespace).map((o) => o.object.metadata!.name!));
  const newKinds = new Map<string, CrdSpec>();
  for (const o of ordered.filter(isCrd)) {
    const spec = (o.object as { spec?: CrdSpec }).spec;
    if (spec?.group && spec.names?.kind) newKinds.set(`${spec.group}/${spec.names.kind}`, spec);
  }
  const planned: PlannedObject[] = [];
  const failures: NotFoundError[] = [];
  for (const o of ordered) {
    const { group, version } = parseApiVersion(o.object.apiVersion!);
    const crd = newKinds.get(`${group}/${o.object.kind}`);
    let resource: ApiResource | undefined;
    try {
      // An instance of a CRD in this set waits for it, whatever a (possibly stale) cache says.
      resource = crd ? undefined : await discovery.resourceFor({ group, version, kind: o.object.kind! });
    } catch (error) {
      if (!(error instanceof NotFoundError) || !crd) {
        // Only an unknown kind is this object's fault; a server that cannot be reached or
        // refuses us fails the whole run with its own exit code.
        if (error instanceof NotFoundError) {
          failures.push(retold(error, `${where(o)}: ${error.message}`));
          continue;
        }
        throw error;
      }
    }
    const namespaced = resource ? resource.namespaced : crd?.scope !== 'Cluster';
    const own = o.object.metadata?.namespace;
    if (namespaced && own && ns.explicit && own !== ns.name) {
      throw new UsageError(`${where(o)}: the namespace from the provided object "${own}" does not match the namespace "${ns.name}". You must pass '--namespace=${own}' to perform this operation.`);
    }
    const namespace = namespaced ? own || ns.name : undefined;
    planned.push({ ...o, resource, namespace, dependsOnSet: !resource || (namespace !== undefined && newNamespaces.has(namespace)) });
  }
  // Each on its own line, in the order of the sources.
  if (failures.length === 1) throw failures[0]!;
  if (failures.length > 1) throw new PartialFailure(failures, undefined, { hint: `nothing was created: ${failures.length} objects have unknown kinds` });
  return planned;
}
