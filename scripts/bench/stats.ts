/**
 * The few statistics the bench reports: median, min and max of a sample, and ratios.
 */

export interface Summary {
  /** Number of values. */
  n: number;
  median: number;
  min: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { n: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** a ÷ b, or null when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}
