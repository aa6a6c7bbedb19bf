/**
 * `-o json|yaml` for objects, as kubectl prints them: one object alone, several as a
 * `v1 List` whose items carry their apiVersion and kind; keys sorted and strings quoted by
 * kubectl's own printers (go-json.ts, go-yaml.ts); `metadata.managedFields` left out unless
 * `--show-managed-fields`, as `kubectl get` does since 1.21.
 */
import { goJson } from './go-json.ts';
import { goYaml } from './go-yaml.ts';
import { kyaml } from './kyaml.ts';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; generateName?: string; namespace?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface FormatOptions {
  showManagedFields?: boolean | undefined;
  /** A typed object: JSON keeps the field order (YAML is sorted either way). */
  typed?: boolean | undefined;
}

export function asList(items: KubeObject[]): KubeObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export function formatObject(object: unknown, format: 'json' | 'yaml' | 'kyaml', options: FormatOptions = {}): string {
  const shown = options.showManagedFields ? object : withoutManagedFields(object);
  if (format === 'kyaml') return kyaml(shown);
  return format === 'json' ? `${goJson(shown, { sortKeys: !options.typed })}\n` : goYaml(shown);
}

/** List items come without apiVersion and kind; put them back as kubectl does. */
export function withTypeMeta(item: KubeObject, apiVersion: string, kind: string): KubeObject {
  return { apiVersion, kind, ...item };
}

function withoutManagedFields(object: unknown): unknown {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return object;
  const o = object as KubeObject & { items?: unknown };
  let result: KubeObject = o;
  if (o.metadata && typeof o.metadata === 'object' && 'managedFields' in o.metadata) {
    const { managedFields: _, ...metadata } = o.metadata;
    result = { ...o, metadata };
  }
  if (Array.isArray(o.items)) result = { ...result, items: o.items.map(withoutManagedFields) };
  return result;
}
