/**
 * KEP-5866's shard ranges (Kubernetes 1.36, feature gate ShardedListAndWatch): an object belongs
 * to the half-open range [start, end) that holds the 64-bit FNV-1a hash of its UID
 * (apimachinery pkg/sharding: HashField, HexLess), and a list or watch given
 * `shardSelector=shardRange(object.metadata.uid, '0x…', '0x…')` returns only such objects.
 *
 * `--shards N` cuts the hash space [0, 2^64) into N ranges, the i-th from ⌊i·2^64/N⌋ to
 * ⌊(i+1)·2^64/N⌋; the last ends at 2^64 itself, written `0x10000000000000000` (the only 17-digit
 * value the server's parser takes), so no hash falls outside every range. Bounds are written as
 * the server's parser wants them: `0x` and 16 lowercase hex digits.
 */
const space = 1n << 64n;
const fnvOffset = 0xcbf29ce484222325n;
const fnvPrime = 0x100000001b3n;
const mask = space - 1n;

/** Go's hash/fnv New64a over the UTF-8 bytes of `value`. */
export function fnv1a64(value: string): bigint {
  let hash = fnvOffset;
  for (const byte of Buffer.from(value, 'utf8')) hash = ((hash ^ BigInt(byte)) * fnvPrime) & mask;
  return hash;
}

export interface ShardRange {
  index: number;
  /** Inclusive. */
  start: bigint;
  /** Exclusive; 2^64 for the last. */
  end: bigint;
}

export function shardRanges(count: number): ShardRange[] {
  const n = BigInt(count);
  return Array.from({ length: count }, (_, i) => ({ index: i, start: (BigInt(i) * space) / n, end: (BigInt(i + 1) * space) / n }));
}

/** The shard an object with this UID belongs to (the range holding its hash). */
export function shardOf(uid: string, count: number): number {
  const hash = fnv1a64(uid);
  // ⌊h·N/2^64⌋ may land one above the range whose floor-rounded start is past h: step back then.
  let i = Number((hash * BigInt(count)) >> 64n);
  while (i > 0 && hash < (BigInt(i) * space) / BigInt(count)) i--;
  while (i < count - 1 && hash >= (BigInt(i + 1) * space) / BigInt(count)) i++;
  return i;
}

/** `0x` and 16 hex digits, or `0x10000000000000000` for 2^64. */
export function hexBound(value: bigint): string {
  return value === space ? '0x10000000000000000' : `0x${value.toString(16).padStart(16, '0')}`;
}

/** The `shardSelector` query value for one range of `object.metadata.uid`. */
export function shardSelector(range: Pick<ShardRange, 'start' | 'end'>): string {
  return `shardRange(object.metadata.uid, '${hexBound(range.start)}', '${hexBound(range.end)}')`;
}
