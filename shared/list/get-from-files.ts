/**
 * `kubectl get -f FILE|DIR|URL [-R]`: the objects a manifest names, fetched by name from the
 * server (cli-runtime's Builder.FilenameParam for get): each object's type from its apiVersion
 * and kind, its namespace its own or the run's (`-n`, the context's), consecutive objects of one
 * type and namespace one request, so they print as one table, in the order of the files.
 */
import { fullyQualifiedName, parseApiVersion } from '../discovery/api-resource.ts';
import type { Discovery } from '../discovery/discovery-client.ts';
import { UsageError } from '../errors.ts';
import type { SourcedObject } from '../manifests/parse-manifests.ts';
import { checkPathSegmentName } from '../validation/names.ts';
import type { GetRequest } from './get-args.ts';

/** The list flags that name objects by manifest. */
export interface FileArgs {
  filename?: string[];
  recursive?: boolean;
  kustomize?: string;
}

/** Refusals before anything is read: -k, TYPE arguments beside -f, -R without -f, -A with -f. */
export function checkFileArgs(args: FileArgs & { 'all-namespaces'?: boolean }, positional: readonly string[]): boolean {
  if (args.kustomize !== undefined) {
    throw new UsageError('-k (kustomize) is not supported: these plugins do not build kustomizations', { hint: `render it first: kubectl kustomize ${args.kustomize || 'DIR'} | kubectl lsres -f -` });
  }
  const files = (args.filename ?? []).length > 0;
  if (args.recursive && !files) throw new UsageError('-R needs -f: it reads the directories given with -f recursively');
  if (!files) return false;
  if (positional.length > 0) throw new UsageError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
  if (args['all-namespaces']) throw new UsageError('-A cannot be used with -f: each object is fetched in its own namespace');
  return true;
}

/** With -n, an object naming another namespace is refused before any request, in kubectl's words. */
export function checkObjectNamespaces(objects: readonly SourcedObject[], namespace: string): void {
  const other = objects.find((o) => o.object.metadata?.namespace && o.object.metadata.namespace !== namespace)?.object.metadata?.namespace;
  if (other !== undefined) {
    throw new UsageError(`the namespace from the provided object "${other}" does not match the namespace "${namespace}". You must pass '--namespace=${other}' to perform this operation.`);
  }
}

export async function requestsForObjects(objects: readonly SourcedObject[], discovery: Pick<Discovery, 'resourceFor'>): Promise<GetRequest[]> {
  const requests: GetRequest[] = [];
  for (const o of objects) {
    const name = o.object.metadata?.name ?? '';
    const problem = checkPathSegmentName(name);
    if (problem) throw new UsageError(`invalid resource name ${JSON.stringify(name)}: ${problem}`);
    const resource = await discovery.resourceFor({ ...parseApiVersion(o.object.apiVersion ?? ''), kind: o.object.kind ?? '' });
    const namespace = resource.namespaced ? o.object.metadata?.namespace || undefined : undefined;
    const last = requests.at(-1);
    if (last?.names && fullyQualifiedName(last.resource) === fullyQualifiedName(resource) && last.namespace === namespace) last.names.push(name);
    else requests.push({ resource, names: [name], ...(namespace !== undefined ? { namespace } : {}) });
  }
  return requests;
}
