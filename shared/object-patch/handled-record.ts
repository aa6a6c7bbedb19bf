/**
 * A durable record, on each object, of what a controller's last successful run for it saw, so a
 * restarted controller (or a new leader) does not run again for objects that did not change
 * (issue 27, point 8). kopf keeps its last-handled state in an annotation too, but the whole
 * object's essence, which ran into the 256 KiB annotation limit (kopf#1087); here the annotation
 * holds a fixed-size digest: `sha256:` and the first 128 bits of the SHA-256 of the view.
 *
 * The view is what decides that an object changed: the `--changes` template's output, or else
 * the whole object without what every write changes (resourceVersion, managedFields) and without
 * the record itself, so writing the record never makes an object look changed, to this
 * controller or to the next one.
 */
import crypto from 'node:crypto';
import type { ApiResource } from '../discovery/api-resource.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';
import type { KubeObject } from '../output/object-output.ts';
import { mergePatchObject } from './merge-patch.ts';

export interface HandledRecord {
  /** The annotation key. */
  readonly annotation: string;
  /** Whether the object's record says a run saw this very view of it. */
  matches(object: KubeObject): boolean;
  /** Records that a run saw `object` (a no-op when the object already says so). */
  write(object: KubeObject, signal?: AbortSignal): Promise<void>;
}

/** The object as the view sees it: without the record and what every write changes. */
function withoutRecord(object: KubeObject, annotation: string): KubeObject {
  const { resourceVersion: _rv, managedFields: _mf, annotations, ...metadata } = object.metadata ?? {};
  const rest = { ...(annotations as Record<string, string> | undefined) };
  delete rest[annotation];
  return { ...object, metadata: { ...metadata, ...(Object.keys(rest).length > 0 ? { annotations: rest } : {}) } };
}

export function handledRecord(transport: Transport, resource: ApiResource, annotation: string, view: (object: KubeObject) => string = (o) => JSON.stringify(o)): HandledRecord {
  const digest = (object: KubeObject): string => `sha256:${crypto.createHash('sha256').update(view(withoutRecord(object, annotation))).digest('hex').slice(0, 32)}`;
  const recorded = (object: KubeObject): string | undefined => (object.metadata?.annotations as Record<string, string> | undefined)?.[annotation];
  return {
    annotation,
    matches: (object) => {
      const value = recorded(object);
      if (value === undefined) return false;
      try {
        return value === digest(object);
      } catch {
        return false; // a view that fails on this object: a change, as --changes counts it
      }
    },
    async write(object, signal) {
      let value: string;
      try {
        value = digest(object);
      } catch {
        return;
      }
      if (recorded(object) === value) return;
      const res = await mergePatchObject(transport, resource, object, { metadata: { annotations: { [annotation]: value } } }, signal);
      // Gone meanwhile: nothing left to record.
      if (res.status >= 300 && res.status !== 404) throw errorForStatus(res.status, res.body);
    },
  };
}
