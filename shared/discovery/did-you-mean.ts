/**
 * "Did you mean …?" for mistyped names: edit distance with adjacent transpositions (optimal
 * string alignment), so `deplyoment` is one edit from `deployment`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: two back is needed for transpositions.
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The candidates nearest to `input` (case-insensitive), at most `limit`. Only
 * near misses count: at most a third of the input's length in edits (at least 1, at most 3),
 * and never a candidate that shares nothing with the input.
 */
export function closest(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  const maxDistance = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  const scored = new Map<string, number>();
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (scored.has(c) || c === needle) continue;
    const d = editDistance(needle, c);
    if (d <= maxDistance && d < Math.max(needle.length, c.length)) scored.set(c, d);
  }
  // Only the nearest: `deploymnet` suggests `deployment`, not also `deployments`. Map order is
  // insertion order, so ties keep the caller's (priority) order.
  const best = Math.min(...scored.values());
  return [...scored.entries()]
    .filter(([, d]) => d === best)
    .slice(0, limit)
    .map(([name]) => name);
}
