/**
 * Who is running: replicas of a sharded controller learn each other from Leases, with no
 * coordinator of their own. There are as many member slots as shards (a replica beyond that
 * could own nothing), each a Lease `<prefix>-member-<k>`, so a Role can name every Lease it may
 * update by resourceNames. Every retry period (2 s) each replica lists the Leases, renews the slot
 * it holds or takes a free or expired one, and reports the live members: the holders of slots
 * renewed within their lease duration as observed locally (client-go's rule: clocks need not
 * agree, only the time since a record last changed counts).
 *
 * A round also comes the moment another member's slot expires, so its shards are placed anew at
 * once rather than up to a retry period later.
 *
 * A replica that cannot renew its slot within the renew deadline reports itself out, so it gives
 * its shards up before the others may count it gone. `stop` releases the slot (holder cleared), so
 * the others reassign at once.
 */
import { AccessDeniedError, ConfigError, type PluginError } from '../errors.ts';
import { errorForStatus } from '../kube/api-errors.ts';
import type { Transport } from '../kube/transport.ts';
import { realClock, type Clock } from '../time/clock.ts';
import { defaultElection, microTime } from './leader-elector.ts';
import { createLeaseLock, LeaseConflictError, type LeaderRecord, type LockState } from './lease-lock.ts';

export interface MembershipConfig {
  transport: Transport;
  namespace: string;
  prefix: string;
  slots: number;
  identity: string;
  clock?: Clock;
  /**
   * Called after every round with the live members (this replica among them while it holds a
   * slot), and what was observed of any Lease in the namespace and since when (on `clock`).
   */
  onMembers(members: string[], seen: (name: string) => { state: LockState; at: number } | undefined): void;
  /** A refusal or an unreachable cluster before the first round succeeded: it will not fix itself. */
  onFatal(error: PluginError): void;
  log(line: string): void;
}

interface LeaseItem {
  metadata?: { name?: string; resourceVersion?: string };
  spec?: Partial<LeaderRecord>;
}

export function memberSlotName(prefix: string, slot: number): string {
  return `${prefix}-member-${slot}`;
}

/** Runs until `signal` aborts, then releases the slot held. */
export async function runMembership(c: MembershipConfig, signal: AbortSignal): Promise<void> {
  const clock = c.clock ?? realClock;
  const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = defaultElection;
  /** Every Lease's record as last seen, and since when it has not changed. */
  const observed = new Map<string, { key: string; at: number; state: LockState }>();
  const names = Array.from({ length: c.slots }, (_, k) => memberSlotName(c.prefix, k));
  let held: string | undefined;
  let renewedAt = 0;
  /** When the next other member's slot runs out as observed (a round then sees it gone at once). */
  let nextExpiry = Infinity;
  let succeeded = false;
  const path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(c.namespace)}/leases`;

  const round = async (): Promise<void> => {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(renewDeadlineMs)]);
    const res = await c.transport.request({ path, headers: { Accept: 'application/json' }, signal: bounded });
    if (res.status !== 200) throw errorForStatus(res.status, res.body);
    const leases = new Map(((JSON.parse(res.body.toString('utf8')) as { items?: LeaseItem[] }).items ?? []).map((l) => [l.metadata?.name ?? '', l]));
    const now = clock.now();
    for (const [name, lease] of leases) {
      const spec = lease.spec ?? {};
      const key = `${spec.holderIdentity}/${spec.renewTime}`;
      const state: LockState = {
        resourceVersion: lease.metadata?.resourceVersion ?? '',
        record: { holderIdentity: spec.holderIdentity ?? '', leaseDurationSeconds: spec.leaseDurationSeconds ?? 0, acquireTime: spec.acquireTime ?? '', renewTime: spec.renewTime ?? '', leaseTransitions: spec.leaseTransitions ?? 0 },
      };
      if (observed.get(name)?.key !== key) observed.set(name, { key, at: now, state });
      else observed.get(name)!.state = state;
    }
    const live = (name: string): string | undefined => {
      const spec = leases.get(name)?.spec;
      if (!spec?.holderIdentity) return undefined;
      return now - observed.get(name)!.at < (spec.leaseDurationSeconds ?? 15) * 1000 ? spec.holderIdentity : undefined;
    };
    const holders = new Map(names.map((name) => [name, live(name)]));
    nextExpiry = Math.min(
      Infinity,
      ...names.filter((name) => holders.get(name) !== undefined && holders.get(name) !== c.identity).map((name) => observed.get(name)!.at + (leases.get(name)?.spec?.leaseDurationSeconds ?? 15) * 1000),
    );
    // Renew the slot held; take one if none (or it was taken away).
    if (held !== undefined && leases.get(held)?.spec?.holderIdentity !== c.identity) held = undefined;
    const candidates = held !== undefined ? [held] : names.filter((name) => holders.get(name) === undefined);
    for (const name of candidates) {
      const lease = leases.get(name);
      const date = clock.date();
      const record: LeaderRecord = {
        holderIdentity: c.identity,
        leaseDurationSeconds: leaseDurationMs / 1000,
        acquireTime: held === name ? (lease?.spec?.acquireTime ?? microTime(date)) : microTime(date),
        renewTime: microTime(date),
        leaseTransitions: (lease?.spec?.leaseTransitions ?? 0) + (held === name ? 0 : 1),
      };
      const lock = createLeaseLock(c.transport, c.namespace, name);
      try {
        if (lease === undefined) await lock.create(record, bounded);
        else await lock.update(record, lease.metadata?.resourceVersion ?? '', bounded);
      } catch (error) {
        if (error instanceof LeaseConflictError || (error as { status?: number }).status === 409) continue; // another replica was first
        throw error;
      }
      if (held !== name) c.log(`Member: lease ${c.namespace}/${name} held by ${c.identity}`);
      held = name;
      renewedAt = clock.now();
      holders.set(name, c.identity);
      break;
    }
    succeeded = true;
    const members = [...new Set([...holders.values()].filter((h): h is string => h !== undefined))];
    c.onMembers(members, (name) => observed.get(name));
  };

  while (!signal.aborted) {
    try {
      await round();
    } catch (error) {
      if (signal.aborted) break;
      if (!succeeded && (error instanceof AccessDeniedError || error instanceof ConfigError)) {
        c.onFatal(error);
        return;
      }
      c.log(`membership: ${(error as Error).message}`);
      // Not renewed within the renew deadline: out, before the others may count us gone.
      if (held !== undefined && clock.now() - renewedAt > renewDeadlineMs) {
        held = undefined;
        c.onMembers([], () => undefined);
      }
    }
    await new Promise<void>((resolve) => {
      // Every retry period, or at the moment another member's slot expires, if that comes first.
      const timer = clock.after(Math.min(retryPeriodMs, Math.max(0, nextExpiry - clock.now()) + 10), resolve);
      signal.addEventListener('abort', () => (timer.cancel(), resolve()), { once: true });
    });
  }
  if (held !== undefined) await release(c, held, clock).catch(() => undefined);
}

/** Clears the slot's holder so the others see the replica gone at once (bounded like a renewal). */
async function release(c: MembershipConfig, name: string, clock: Clock): Promise<void> {
  const lock = createLeaseLock(c.transport, c.namespace, name);
  const signal = AbortSignal.timeout(defaultElection.renewDeadlineMs);
  const current = await lock.get(signal);
  if (current?.record.holderIdentity !== c.identity) return;
  await lock.update({ ...current.record, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(clock.date()) }, current.resourceVersion, signal);
}
