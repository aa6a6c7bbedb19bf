/**
 * A `coordination.k8s.io/v1` Lease as the lock of a leader election (client-go's LeaseLock):
 * read it, create it, or update it with its resourceVersion so two candidates never both win.
 */
import { ApiError } from '../errors.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';

export interface LeaderRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** RFC 3339 with microseconds, as the API's MicroTime. */
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

export interface LockState {
  record: LeaderRecord;
  resourceVersion: string;
}

/** Another candidate changed the lease first (HTTP 409). */
export class LeaseConflictError extends ApiError {}

/** Each call gives up when `signal` aborts (the elector bounds a renewal by its deadline). */
export interface LeaseLock {
  get(signal?: AbortSignal): Promise<LockState | undefined>;
  create(record: LeaderRecord, signal?: AbortSignal): Promise<void>;
  update(record: LeaderRecord, resourceVersion: string, signal?: AbortSignal): Promise<void>;
  describe(): string;
}

interface Lease {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: Partial<LeaderRecord>;
}

export function createLeaseLock(transport: Transport, namespace: string, name: string): LeaseLock {
  const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const body = (record: LeaderRecord, resourceVersion?: string) =>
    JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) }, spec: record });
  const check = (status: number, raw: Buffer) => {
    if (status === 409) throw new LeaseConflictError(`lease ${namespace}/${name} was changed by another candidate`, 409);
    if (status < 200 || status >= 300) throw errorForStatus(status, raw);
  };
  return {
    async get(signal) {
      const res = await transport.request({ path: `${base}/${encodeURIComponent(name)}`, headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
      if (res.status === 404) return undefined;
      check(res.status, res.body);
      const lease = JSON.parse(res.body.toString('utf8')) as Lease;
      const spec = lease.spec ?? {};
      return {
        resourceVersion: lease.metadata?.resourceVersion ?? '',
        record: {
          holderIdentity: spec.holderIdentity ?? '',
          leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
          acquireTime: spec.acquireTime ?? '',
          renewTime: spec.renewTime ?? '',
          leaseTransitions: spec.leaseTransitions ?? 0,
        },
      };
    },
    async create(record, signal) {
      const res = await transport.request({ method: 'POST', path: base, headers: json, body: body(record), ...(signal ? { signal } : {}) });
      check(res.status, res.body);
    },
    async update(record, resourceVersion, signal) {
      const res = await transport.request({ method: 'PUT', path: `${base}/${encodeURIComponent(name)}`, headers: json, body: body(record, resourceVersion), ...(signal ? { signal } : {}) });
      check(res.status, res.body);
    },
    describe: () => `${namespace}/${name}`,
  };
}
