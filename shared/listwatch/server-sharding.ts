/**
 * Whether the API server applies KEP-5866 shard selectors (feature gate ShardedListAndWatch):
 * one list of at most one object with a shard selector; the server that applied it echoes the
 * selector in the list's `metadata.shardInfo`. A server without the gate ignores the parameter
 * and returns an unfiltered list without `shardInfo`: the caller then filters by the same hash
 * itself.
 */
import type { ApiResource } from '../discovery/api-resource.ts';
import { resourcePath } from '../discovery/api-resource.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';

export async function serverAppliesShards(transport: Transport, resource: ApiResource, namespace: string | undefined, selector: string, signal?: AbortSignal): Promise<boolean> {
  const query = new URLSearchParams({ limit: '1', shardSelector: selector });
  const res = await transport.request({
    path: `${resourcePath(resource, namespace === undefined ? {} : { namespace })}?${query.toString()}`,
    headers: { Accept: 'application/json' },
    ...(signal ? { signal } : {}),
  });
  if (res.status !== 200) throw errorForStatus(res.status, res.body);
  const list = JSON.parse(res.body.toString('utf8')) as { metadata?: { shardInfo?: { selector?: string } } };
  return list.metadata?.shardInfo?.selector !== undefined;
}
