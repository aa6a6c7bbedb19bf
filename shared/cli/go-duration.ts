/**
 * Go's time.ParseDuration (time/format.go), as pflag's Duration flags and client-go's
 * ParseTimeout read a value, with Go's error texts (`time: missing unit in duration "5"`), so
 * a duration flag takes what kubectl's takes and refuses the rest with kubectl's words.
 */
import type { Parsed } from './go-strconv.ts';

/** Nanoseconds per unit (time.unitMap). */
const unitNs: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX = 1n << 63n;

/** time.quote: ASCII as is (`"` and `\` escaped), other bytes as \xNN. */
function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x80 || code < 0x20) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else {
      out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
    }
  }
  return `${out}"`;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** time.ParseDuration: the duration in nanoseconds, or Go's error text. */
export function parseGoDurationNs(orig: string): Parsed<bigint> {
  const fail = (message: string): Parsed<bigint> => ({ error: `time: ${message} ${goTimeQuote(orig)}` });
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { value: 0n };
  if (s === '') return fail('invalid duration');
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return fail('invalid duration');
    // [0-9]*
    let i = 0;
    let v = 0n;
    for (; isDigit(s[i]); i++) {
      if (v > MAX / 10n) return fail('invalid duration');
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > MAX) return fail('invalid duration');
    }
    const pre = i > 0;
    s = s.slice(i);
    // (\.[0-9]*)?
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (MAX - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > MAX) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return fail('invalid duration');
    // The unit: up to the next '.' or digit.
    let k = 0;
    while (k < s.length && !(s[k] === '.' || isDigit(s[k]))) k++;
    if (k === 0) return fail('missing unit in duration');
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = unitNs[u];
    if (unit === undefined) return fail(`unknown unit ${goTimeQuote(u)} in duration`);
    if (v > MAX / unit) return fail('invalid duration');
    v *= unit;
    if (f > 0n) {
      // float64, as Go: nanosecond-accurate for fractions of hours.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > MAX) return fail('invalid duration');
    }
    d += v;
    if (d > MAX) return fail('invalid duration');
  }
  if (neg) return { value: -d };
  if (d > MAX - 1n) return fail('invalid duration');
  return { value: d };
}

/** time.ParseDuration in milliseconds (rounded), for timers. */
export function parseGoDuration(text: string): Parsed<number> {
  const r = parseGoDurationNs(text);
  return r.error !== undefined ? { error: r.error } : { value: Math.round(Number(r.value!) / 1e6) };
}

/** client-go's clientcmd.ParseTimeout (`--request-timeout`): a bare non-negative integer is seconds. */
export function parseGoTimeout(text: string): Parsed<number> {
  if (/^[+-]?\d+$/.test(text)) {
    const seconds = Number(text);
    if (seconds >= 0 && Number.isSafeInteger(seconds)) return { value: seconds * 1000 };
  }
  const d = parseGoDuration(text);
  if (d.error === undefined) return d;
  return { error: 'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)' };
}
