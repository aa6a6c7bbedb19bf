/** Go's sort.Sort, step for step: sorted output, and Go's order of ties beyond insertion sort. */
import test from 'ava';
import fc from 'fast-check';
import { goSort } from '../../../shared/output/go-sort.ts';

function sortPairs(keys: number[]): Array<[number, number]> {
  const items = keys.map((k, i) => [k, i] as [number, number]);
  goSort({ length: items.length, less: (i, j) => items[i]![0] < items[j]![0], swap: (i, j) => ([items[i], items[j]] = [items[j]!, items[i]!]) });
  return items;
}

test('sorts any list of numbers (insertion sort, pdqsort, heapsort fallback alike)', (t) => {
  t.notThrows(() =>
    fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (keys) => {
      const sorted = sortPairs(keys).map(([k]) => k);
      return JSON.stringify(sorted) === JSON.stringify([...keys].sort((a, b) => a - b));
    }),
    { seed: 17, numRuns: 300 },
    ),
  );
});

test('up to 12 elements it is Go\'s insertion sort: ties keep their order', (t) => {
  t.deepEqual(sortPairs([2, 1, 2, 1, 0]).map(([, i]) => i), [4, 1, 3, 0, 2]);
});

test('a less that puts "missing" first even before another missing reverses them, as Go\'s insertion sort does', (t) => {
  const items = ['a', undefined, 'b', undefined];
  goSort({
    length: items.length,
    less: (i, j) => items[i] === undefined || (items[j] !== undefined && items[i]! < items[j]!),
    swap: (i, j) => ([items[i], items[j]] = [items[j], items[i]]),
  });
  t.deepEqual(items, [undefined, undefined, 'a', 'b']);
});
