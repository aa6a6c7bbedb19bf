import { UsageError } from '../errors.ts';

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go-style duration ("1m30s", "500ms", "2h") into milliseconds; a bare number is
 * seconds, as kubectl's --request-timeout accepts. "0" means no limit.
 */
export function parseDuration(value: string, flag: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const parts = text.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/g);
  if (!parts || parts.join('') !== text) {
    throw new UsageError(`invalid duration "${value}" for ${flag}`, { hint: 'use a duration such as 30s, 5m or 1h30m' });
  }
  let ms = 0;
  for (const part of parts) {
    const [, n, unit] = part.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/)!;
    ms += Number(n) * units[unit!]!;
  }
  return Math.round(ms);
}
