/** Rendezvous hashing with bounded loads: every replica computes the same owners; ⌊N/M⌋ or ⌈N/M⌉ each; few moves on a join or leave. */
import test from 'ava';
import { assignShards } from '../../../shared/sharding/assignment.ts';

const count = (owners: string[]) => owners.reduce((m, o) => m.set(o, (m.get(o) ?? 0) + 1), new Map<string, number>());

test('the same owners whatever the order of the members; each gets ⌊N/M⌋ or ⌈N/M⌉', (t) => {
  for (const [n, members] of [[12, ['a', 'b', 'c']], [12, ['r1', 'r2', 'r3', 'r4', 'r5']], [7, ['x', 'y']], [3, ['p', 'q', 'r', 's']]] as const) {
    const owners = assignShards(n, members);
    t.deepEqual(assignShards(n, [...members].reverse()), owners);
    const loads = [...count(owners).values()];
    const floor = Math.floor(n / members.length);
    t.true(loads.every((l) => l === floor || l === floor + 1), `${n} over ${members.length}: ${loads}`);
    t.is(loads.reduce((a, b) => a + b, 0), n);
  }
  t.deepEqual(assignShards(4, []), []);
});

test('a fourth member joining 3 × 12 takes 3 shards and moves few others; a member leaving moves only its own and a few', (t) => {
  const three = assignShards(12, ['pod-a', 'pod-b', 'pod-c']);
  const four = assignShards(12, ['pod-a', 'pod-b', 'pod-c', 'pod-d']);
  t.is(four.filter((o) => o === 'pod-d').length, 3);
  const moved = four.filter((o, i) => o !== three[i]).length;
  t.true(moved <= 6, `moved ${moved}`);
  const two = assignShards(12, ['pod-a', 'pod-b']);
  const movedAway = two.filter((o, i) => o !== three[i] && three[i] !== 'pod-c').length;
  t.true(movedAway <= 4, `shards moved between the survivors: ${movedAway}`);
});
