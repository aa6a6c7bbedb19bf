/**
 * Kubernetes Events about objects, as client-go's record.EventRecorder writes them (core/v1
 * Events, so `kubectl describe` and `kubectl events` show them), best effort: a failure to record
 * is reported once and never fails the caller.
 *
 * Like client-go's EventCorrelator, the same reason for the same object within 10 minutes is
 * one Event whose count and lastTimestamp grow (a PATCH), not a new Event each time; the Event
 * is named `<object>.<hex nanoseconds>` in the object's namespace (`default` for a
 * cluster-scoped object), as client-go names it.
 */
import os from 'node:os';
import type { ApiResource } from '../discovery/api-resource.ts';
import { apiVersionOf } from '../discovery/api-resource.ts';
import type { KubeObject } from '../output/object-output.ts';
import { realClock, type Clock } from '../time/clock.ts';
import { errorForStatus } from './api-errors.ts';
import type { Transport } from './transport.ts';

export interface EventRecorder {
  /** Records (or counts again) an Event; resolves when written or given up, never rejects. */
  record(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
  /** Waits for the Events being written (before exiting). */
  flush(): Promise<void>;
}

/** client-go's maxLruCacheEntries window: similar events within it are aggregated. */
const aggregateWindowMs = 10 * 60 * 1000;
/** client-go's LRU of recent events. */
const maxRecent = 4096;
/** The API server's limit on an Event's message (validation: 1 KiB in events.k8s.io; we keep core's too). */
const maxMessage = 1024;

export function eventRecorder(transport: Transport, resource: ApiResource, component: string, onError: (error: Error) => void, clock: Clock = realClock): EventRecorder {
  const recent = new Map<string, { namespace: string; name: string; count: number; at: number }>();
  const instance = `${component}-${os.hostname()}`;
  let reported = false;
  const pending = new Set<Promise<void>>();
  // One object's Events one after another: a count is never patched before its Event exists.
  let chain: Promise<void> = Promise.resolve();
  const fail = (error: Error): void => {
    if (reported) return;
    reported = true;
    onError(error);
  };
  return {
    record(object, type, reason, message) {
      const done = (chain = chain.then(() => write(object, type, reason, message)));
      pending.add(done);
      void done.finally(() => pending.delete(done));
      return done;
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };

  async function write(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const meta = object.metadata ?? {};
    const namespace = resource.namespaced && meta.namespace ? meta.namespace : 'default';
    const id = `${namespace}/${meta.name}/${meta.uid ?? ''}/${reason}`;
    const now = clock.now();
    const wall = clock.date();
    const iso = wall.toISOString().replace(/\.\d+Z$/, 'Z');
    const text = message.length > maxMessage ? `${message.slice(0, maxMessage - 3)}...` : message;
    const collection = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    const headers = { Accept: 'application/json' };
    try {
      const seen = recent.get(id);
      if (seen && now - seen.at < aggregateWindowMs) {
        seen.count++;
        seen.at = now;
        recent.delete(id);
        recent.set(id, seen); // the most recent last
        const res = await transport.request({
          method: 'PATCH',
          path: `${collection}/${encodeURIComponent(seen.name)}`,
          body: JSON.stringify({ count: seen.count, lastTimestamp: iso, message: text }),
          headers: { ...headers, 'Content-Type': 'application/merge-patch+json' },
        });
        if (res.status < 300) return;
        if (res.status !== 404) throw errorForStatus(res.status, res.body);
        recent.delete(id); // deleted meanwhile (events expire): a new one
      }
      const name = `${meta.name}.${(BigInt(wall.getTime()) * 1_000_000n).toString(16)}`;
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: { apiVersion: apiVersionOf(resource), kind: resource.kind, name: meta.name, ...(resource.namespaced ? { namespace: meta.namespace } : {}), uid: meta.uid, resourceVersion: meta.resourceVersion },
        reason,
        message: text,
        type,
        count: 1,
        firstTimestamp: iso,
        lastTimestamp: iso,
        source: { component },
        reportingComponent: component,
        reportingInstance: instance,
      };
      const res = await transport.request({ method: 'POST', path: collection, body: JSON.stringify(event), headers: { ...headers, 'Content-Type': 'application/json' } });
      if (res.status >= 300) throw errorForStatus(res.status, res.body);
      recent.set(id, { namespace, name, count: 1, at: now });
      if (recent.size > maxRecent) recent.delete(recent.keys().next().value!);
    } catch (error) {
      fail(error as Error);
    }
  }
}
