/**
 * Which live replica should own which shard, computed alike by every replica from the same
 * member list, with no coordinator: rendezvous (highest-random-weight) hashing with bounded
 * loads. Each shard ranks the members by FNV-1a 64 of `member + "/" + shard`; shards are placed
 * in order, each on its highest-ranked member that still has room: ⌊N/M⌋ shards each, and one
 * more for the first N mod M members to need it, so every member gets ⌊N/M⌋ or ⌈N/M⌉ shards. A member joining or leaving moves only the shards whose
 * ranking it tops (plus the few the load bound shifts), not a reshuffle of all.
 */
import { fnv1a64 } from '../listwatch/shard-range.ts';

/** shard index → member, for `shards` shards over `members` (any order; duplicates ignored). */
export function assignShards(shards: number, members: readonly string[]): string[] {
  const live = [...new Set(members)].sort();
  if (live.length === 0) return [];
  const floor = Math.floor(shards / live.length);
  let extra = shards % live.length;
  const load = new Map(live.map((m) => [m, 0]));
  const owners: string[] = [];
  for (let shard = 0; shard < shards; shard++) {
    const ranked = live.map((m) => ({ m, w: fnv1a64(`${m}/${shard}`) })).sort((a, b) => (a.w === b.w ? (a.m < b.m ? -1 : 1) : a.w > b.w ? -1 : 1));
    const owner = ranked.find(({ m }) => load.get(m)! < floor || (load.get(m)! === floor && extra > 0))!.m;
    if (load.get(owner)! === floor) extra--;
    load.set(owner, load.get(owner)! + 1);
    owners.push(owner);
  }
  return owners;
}
