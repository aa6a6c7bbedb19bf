/**
 * `--shards N`: the key space cut into N ranges of the FNV-1a hash of each object's UID
 * (shared/sharding), each owned by at most one replica at a time through a Lease of its own,
 * `<prefix>-<i>-of-<N>`, with `--leader-elect`'s semantics (runAsLeader: 15 s / 10 s / 2 s, a
 * lost shard stops its handlers at once, a stopped one drains, then releases its Lease).
 *
 * Which replica campaigns for which shard: every replica learns the live members from the member
 * Leases (shared/leader/shard-members.ts) and computes the same owners (shared/sharding/
 * assignment.ts). A shard this replica should own is campaigned for; one it should not is
 * stopped (drained) and released, so the new owner takes it only after the old one has let go.
 * A replica takes shards from its second membership round (2 s) on.
 */
import { createLeaseLock, type LockState } from '../../shared/leader/lease-lock.ts';
import { runMembership } from '../../shared/leader/shard-members.ts';
import type { PluginError } from '../../shared/errors.ts';
import type { Transport } from '../../shared/kube/transport.ts';
import { assignShards } from '../../shared/sharding/assignment.ts';
import { runAsLeader } from './leader.ts';
import type { Summary } from './output.ts';

export interface ShardedRun {
  transport: Transport;
  namespace: string;
  prefix: string;
  shards: number;
  identity: string;
  stop: AbortSignal;
  /** One shard's term: stop when `term` aborts; when `lost` aborts too, running handlers stop at once. */
  run(shard: number, term: AbortSignal, lost: AbortSignal): Promise<Summary>;
  /** The shards this replica now owns (leads), whenever that changes. */
  onOwned?(shards: number[]): void;
  log(line: string): void;
  onFatal(error: PluginError): void;
}

export function shardLeaseName(prefix: string, shard: number, shards: number): string {
  return `${prefix}-${shard}-of-${shards}`;
}

export async function runSharded(o: ShardedRun): Promise<void> {
  const campaigns = new Map<number, { stop: AbortController; done: Promise<void> }>();
  const owned = new Set<number>();
  const report = () => o.onOwned?.([...owned].sort((a, b) => a - b));
  let rounds = 0;
  const place = (members: string[], seen: (name: string) => { state: LockState; at: number } | undefined): void => {
    // The first round may not see replicas that started with this one: take shards from the
    // second on, so replicas started together do not each grab (and list) every shard first.
    if (o.stop.aborted || ++rounds < 2) return;
    const owners = assignShards(o.shards, members);
    for (let shard = 0; shard < o.shards; shard++) {
      const mine = owners[shard] === o.identity;
      const campaign = campaigns.get(shard);
      if (mine && campaign === undefined) {
        const stop = new AbortController();
        const name = shardLeaseName(o.prefix, shard, o.shards);
        const done = runAsLeader({
          lock: createLeaseLock(o.transport, o.namespace, name),
          // Watched since before: a dead owner's Lease is taken once it expired, not a lease duration after this look.
          observed: seen(name),
          identity: o.identity,
          stop: stop.signal,
          run: async (term, lost) => {
            owned.add(shard);
            report();
            try {
              return await o.run(shard, term, lost);
            } finally {
              owned.delete(shard);
              report();
            }
          },
          log: o.log,
          onFatal: o.onFatal,
        }).finally(() => campaigns.delete(shard));
        campaigns.set(shard, { stop, done });
      } else if (!mine && campaign !== undefined && !campaign.stop.signal.aborted) {
        // Someone else's now: drain, release the Lease (the new owner waits for that).
        campaign.stop.abort();
      }
    }
  };
  await runMembership({ transport: o.transport, namespace: o.namespace, prefix: o.prefix, slots: o.shards, identity: o.identity, onMembers: place, onFatal: o.onFatal, log: o.log }, o.stop);
  for (const campaign of campaigns.values()) campaign.stop.abort();
  await Promise.all([...campaigns.values()].map((c) => c.done));
}
