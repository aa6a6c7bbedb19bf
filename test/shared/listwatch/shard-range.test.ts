/** KEP-5866's hash and ranges: FNV-1a 64 as Go's hash/fnv computes it; N ranges that cover [0, 2^64) exactly. */
import test from 'ava';
import { fnv1a64, hexBound, shardOf, shardRanges, shardSelector } from '../../../shared/listwatch/shard-range.ts';

test("FNV-1a 64: the published vectors (Go's hash/fnv New64a)", (t) => {
  t.is(fnv1a64('').toString(16), 'cbf29ce484222325');
  t.is(fnv1a64('a').toString(16), 'af63dc4c8601ec8c');
  t.is(fnv1a64('foobar').toString(16), '85944171f73967e8');
  t.is(fnv1a64('é').toString(16), fnv1a64(Buffer.from('é', 'utf8').toString()).toString(16), 'UTF-8 bytes');
});

test('N ranges: contiguous from 0 to 2^64, the last written 0x10000000000000000; as the server parses them', (t) => {
  for (const n of [1, 2, 3, 7, 12, 64]) {
    const ranges = shardRanges(n);
    t.is(ranges[0]!.start, 0n);
    t.is(ranges.at(-1)!.end, 1n << 64n);
    for (let i = 1; i < n; i++) t.is(ranges[i]!.start, ranges[i - 1]!.end);
  }
  t.is(shardSelector(shardRanges(2)[1]!), "shardRange(object.metadata.uid, '0x8000000000000000', '0x10000000000000000')");
  t.is(hexBound(0n), '0x0000000000000000');
  t.regex(shardSelector(shardRanges(3)[0]!), /^shardRange\(object\.metadata\.uid, '0x0{16}', '0x5555555555555555'\)$/);
});

test('shardOf is the range that holds the hash, for every N, at the edges too', (t) => {
  const uids = Array.from({ length: 2000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7919).toString(16).padStart(12, '0')}`);
  for (const n of [1, 3, 12, 13]) {
    const ranges = shardRanges(n);
    for (const uid of uids) {
      const h = fnv1a64(uid);
      const i = shardOf(uid, n);
      t.true(ranges[i]!.start <= h && h < ranges[i]!.end, `${uid} in shard ${i} of ${n}`);
    }
  }
  // Every shard gets some of 2,000 UIDs (the hash spreads them).
  t.is(new Set(uids.map((u) => shardOf(u, 12))).size, 12);
});
