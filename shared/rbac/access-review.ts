/**
 * SelfSubjectAccessReview: may the current identity do VERB on RESOURCE (in NAMESPACE)?
 * Several checks go out concurrently; a check that cannot be made is recorded as such
 * (rakkess' RequestErr) instead of failing the whole run.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';

export interface AccessCheck {
  verb: string;
  resource: Pick<ApiResource, 'group' | 'resource' | 'namespaced'>;
  /** Undefined: all namespaces (or a cluster-scoped resource). */
  namespace: string | undefined;
}

export type AccessOutcome = 'allowed' | 'denied' | 'error';

export interface AccessResult extends AccessCheck {
  outcome: AccessOutcome;
  reason?: string | undefined;
}

const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

export async function reviewAccess(transport: Transport, checks: AccessCheck[], concurrency = 32): Promise<AccessResult[]> {
  const results: AccessResult[] = new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      results[i] = await reviewOne(transport, checks[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker));
  return results;
}

async function reviewOne(transport: Transport, check: AccessCheck): Promise<AccessResult> {
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb: check.verb,
        group: check.resource.group,
        resource: check.resource.resource,
        ...(check.resource.namespaced && check.namespace ? { namespace: check.namespace } : {}),
      },
    },
  };
  try {
    const res = await transport.request({ method: 'POST', path, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201 && res.status !== 200) return { ...check, outcome: 'error', reason: errorForStatus(res.status, res.body).message };
    const status = (JSON.parse(res.body.toString('utf8')) as { status?: { allowed?: boolean; denied?: boolean; reason?: string } }).status;
    return { ...check, outcome: status?.allowed ? 'allowed' : 'denied', reason: status?.reason };
  } catch (error) {
    return { ...check, outcome: 'error', reason: (error as Error).message };
  }
}
