/**
 * `-o json|yaml` for objects, as kubectl prints them: one object alone, several as a
 * `v1 List` whose items carry their apiVersion and kind.
 */
import { stringify as toYaml } from 'yaml';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export function asList(items: KubeObject[]): KubeObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export function formatObject(object: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(object, null, 4)}\n` : toYaml(object, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** List items come without apiVersion and kind; put them back as kubectl does. */
export function withTypeMeta(item: KubeObject, apiVersion: string, kind: string): KubeObject {
  return { apiVersion, kind, ...item };
}
