/**
 * Object operations a hook asks for in writing (issue 27, contract point 4): shell-operator's
 * object-patch format (pkg/kube/object_patch: OperationSpec and its v0 schema), read here so that
 * a shell-operator hook's `cat > "$KUBERNETES_PATCH_PATH"` works unchanged, plus `Apply`
 * (server-side apply).
 *
 * The file holds JSON or YAML documents (a JSON stream or `---`-separated YAML, split as kubectl
 * splits manifests), each one operation:
 *
 *   operation: Create | CreateOrUpdate | CreateIfNotExists | Apply      object: {…} or a YAML string
 *   operation: Delete | DeleteInBackground | DeleteNonCascading          apiVersion, kind, namespace, name
 *   operation: MergePatch (mergePatch: {…}) | JSONPatch (jsonPatch: […])  apiVersion, kind, namespace, name
 *   optional: subresource (e.g. status), ignoreMissingObject, ignoreHookError
 *
 * As shell-operator's schema says: `kind` and `name` are required where no object is given, no other
 * field is allowed, a merge patch has at least one field, a JSON patch at least one operation (each
 * with `op` and `path`). `JQPatch` is refused: it needs jq, which this tool does not carry.
 * Anything malformed is a UsageError naming its document.
 */
import { UsageError } from '../errors.ts';
import type { KubeObject } from '../output/object-output.ts';
import { ManifestSyntaxError, splitDocuments } from '../manifests/split-documents.ts';
import { decodeYamlDocument, YamlDecodeError } from '../manifests/yaml-1.1.ts';

export const createOperations = ['Create', 'CreateOrUpdate', 'CreateIfNotExists', 'Apply'] as const;
export const deleteOperations = ['Delete', 'DeleteInBackground', 'DeleteNonCascading'] as const;
export const patchOperations = ['MergePatch', 'JSONPatch'] as const;
const known = [...createOperations, ...deleteOperations, ...patchOperations];

/** Which object an operation without `object` means; `apiVersion` may be left out (the kind alone then decides). */
export interface ObjectTarget {
  apiVersion: string | undefined;
  kind: string;
  namespace: string | undefined;
  name: string;
}

interface Common {
  /** `document 2 (line 5)`: for messages. */
  at: string;
  subresource: string | undefined;
  /** shell-operator's: a status patch applied even when the hook failed. */
  ignoreHookError: boolean;
}

export type ObjectOperation =
  | (Common & { operation: (typeof createOperations)[number]; object: KubeObject })
  | (Common & { operation: (typeof deleteOperations)[number]; target: ObjectTarget })
  | (Common & { operation: 'MergePatch'; target: ObjectTarget; patch: Record<string, unknown>; ignoreMissingObject: boolean })
  | (Common & { operation: 'JSONPatch'; target: ObjectTarget; patch: unknown[]; ignoreMissingObject: boolean });

const fields = new Set(['operation', 'namespace', 'subresource', 'apiVersion', 'kind', 'name', 'object', 'jsonPatch', 'jqFilter', 'mergePatch', 'ignoreMissingObject', 'ignoreHookError']);

/**
 * Every operation in `text`, in order. `source` names the file in messages
 * (`--exec "./hook.sh" wrote to WATCHQ_PATCH`).
 */
export function parseObjectOperations(text: string, source: string): ObjectOperation[] {
  let docs;
  try {
    docs = splitDocuments(text);
  } catch (error) {
    if (!(error instanceof ManifestSyntaxError)) throw error;
    throw new UsageError(`${source}, document ${error.document} (line ${error.line}): invalid ${error.format}: ${error.message}`);
  }
  return docs.filter((doc) => doc.value !== null && doc.value !== undefined).map((doc) => parseOne(doc.value, `document ${doc.number} (line ${doc.line})`, source));
}

function parseOne(value: unknown, at: string, source: string): ObjectOperation {
  const fail = (message: string, hint?: string): never => {
    throw new UsageError(`${source}, ${at}: ${message}`, hint === undefined ? {} : { hint });
  };
  if (!isRecord(value)) return fail('expected an operation (a map with "operation")');
  const unknownField = Object.keys(value).find((key) => !fields.has(key));
  if (unknownField !== undefined) return fail(`unknown field "${unknownField}"`);
  const operation = value.operation;
  if (operation === undefined) return fail('"operation" is missing', `one of ${known.join(', ')}`);
  if (operation === 'JQPatch') return fail('JQPatch needs jq, which watchq does not carry', 'write the change as a MergePatch (mergePatch) or a JSONPatch (jsonPatch)');
  if (typeof operation !== 'string' || !(known as readonly string[]).includes(operation)) return fail(`unknown operation ${JSON.stringify(operation)}`, `one of ${known.join(', ')}`);

  const text = (field: string, required: boolean): string | undefined => {
    const v = value[field];
    if (v === undefined || v === null || v === '') return required ? fail(`${operation} needs "${field}"`) : undefined;
    return typeof v === 'string' ? v : fail(`"${field}" must be a string`);
  };
  const flag = (field: string): boolean => {
    const v = value[field];
    if (v === undefined || v === null) return false;
    return typeof v === 'boolean' ? v : fail(`"${field}" must be true or false`);
  };
  const common: Common = { at, subresource: text('subresource', false)?.replace(/^\//, ''), ignoreHookError: flag('ignoreHookError') };
  // An object, or its YAML or JSON as a string (shell-operator takes both).
  const structured = (field: string): unknown => {
    const v = value[field];
    if (typeof v !== 'string') return v;
    try {
      return decodeYamlDocument(v).value;
    } catch (error) {
      if (error instanceof YamlDecodeError) return fail(`"${field}" is not valid YAML or JSON: ${error.message}`);
      throw error;
    }
  };
  const target = (): ObjectTarget => ({ apiVersion: text('apiVersion', false), kind: text('kind', true)!, namespace: text('namespace', false), name: text('name', true)! });

  if ((createOperations as readonly string[]).includes(operation)) {
    const object = structured('object');
    if (object === undefined || object === null) return fail(`${operation} needs "object"`);
    if (!isRecord(object) || Object.keys(object).length === 0) return fail('"object" must be an object');
    if (typeof object.apiVersion !== 'string' || object.apiVersion === '') return fail('the object has no apiVersion');
    if (typeof object.kind !== 'string' || object.kind === '') return fail('the object has no kind');
    const metadata = object.metadata;
    const named = isRecord(metadata) && typeof metadata.name === 'string' && metadata.name !== '';
    // A generated name suits only a plain create: the others must find the object again.
    const generated = isRecord(metadata) && typeof metadata.generateName === 'string' && metadata.generateName !== '' && (operation === 'Create' || operation === 'CreateIfNotExists');
    if (!named && !generated) return fail(`the ${object.kind as string} has no metadata.name`);
    // shell-operator's top-level namespace, for an object that names none.
    const namespace = text('namespace', false);
    const withNamespace = namespace !== undefined && isRecord(metadata) && !metadata.namespace ? { ...object, metadata: { ...metadata, namespace } } : object;
    return { ...common, operation: operation as (typeof createOperations)[number], object: withNamespace as KubeObject };
  }
  if ((deleteOperations as readonly string[]).includes(operation)) return { ...common, operation: operation as (typeof deleteOperations)[number], target: target() };
  const ignoreMissingObject = flag('ignoreMissingObject');
  if (operation === 'MergePatch') {
    const patch = structured('mergePatch');
    if (patch === undefined || patch === null) return fail('MergePatch needs "mergePatch"');
    if (!isRecord(patch) || Object.keys(patch).length === 0) return fail('"mergePatch" must be a map with at least one field');
    return { ...common, operation, target: target(), patch: patch as Record<string, unknown>, ignoreMissingObject };
  }
  const patch = structured('jsonPatch');
  if (patch === undefined || patch === null) return fail('JSONPatch needs "jsonPatch"');
  if (!Array.isArray(patch) || patch.length === 0) return fail('"jsonPatch" must be a list of at least one operation');
  patch.forEach((step, i) => {
    if (!isRecord(step) || typeof step.op !== 'string' || step.op === '' || typeof step.path !== 'string') return fail(`jsonPatch[${i}] needs "op" and "path"`);
  });
  return { ...common, operation: 'JSONPatch', target: target(), patch, ignoreMissingObject };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Create v1/Secret default/copy`: an operation as messages name it. */
export function describeOperation(op: ObjectOperation): string {
  if ('object' in op) {
    const { apiVersion, kind, metadata } = op.object;
    return `${op.operation} ${apiVersion}/${kind} ${metadata?.namespace ? `${metadata.namespace}/` : ''}${metadata?.name ?? `${metadata?.generateName ?? ''}*`}`;
  }
  const t = op.target;
  return `${op.operation} ${t.apiVersion ? `${t.apiVersion}/` : ''}${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
}
