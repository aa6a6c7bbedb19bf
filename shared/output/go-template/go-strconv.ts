/**
 * Go's strconv for what templates need: FormatFloat for every format fmt uses ('e' 'E' 'f' 'g'
 * 'G' 'b' 'x' 'X', a precision or the shortest), correctly rounded (ties to even) from the
 * float's exact decimal value; ParseInt/ParseUint with base 0 and ParseFloat, for the number
 * constants of a template (`0x1F`, `1_000`, `0o17`, `1e3`, `0x1p-2`).
 */

interface Decimal {
  /** Digits without leading or trailing zeros; '' for zero. */
  d: string;
  /** Decimal point position: the value is 0.d × 10^dp. */
  dp: number;
}

interface FloatBits {
  neg: boolean;
  /** The significand, implicit bit included. */
  mant: bigint;
  /** The binary exponent: value = mant × 2^(exp−52). */
  exp: number;
  special?: string;
}

function floatBits(v: number): FloatBits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0x7ff) return { neg, mant, exp, special: mant !== 0n ? 'NaN' : neg ? '-Inf' : '+Inf' };
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { neg, mant, exp: exp - 1023 };
}

/** The exact decimal value of mant × 2^(exp−52). */
function exactDecimal(mant: bigint, exp: number): Decimal {
  if (mant === 0n) return { d: '', dp: 0 };
  const e2 = exp - 52;
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  return { d: digits.replace(/0+$/, ''), dp };
}

/** The shortest digits that read back as v (as Go's and JavaScript's shortest formatting agree). */
function shortestDecimal(v: number): Decimal {
  if (v === 0) return { d: '', dp: 0 };
  const [mantissa, exponent] = Math.abs(v).toExponential().split('e') as [string, string];
  return { d: mantissa.replace('.', '').replace(/0+$/, ''), dp: Number(exponent) + 1 };
}

/** decimal.Round: to nd digits, ties to even (the value is exact). */
function round(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  const c = a.d[nd]!;
  const up = c === '5' && nd + 1 === a.d.length ? nd > 0 && Number(a.d[nd - 1]) % 2 !== 0 : c >= '5';
  if (!up) return { d: a.d.slice(0, nd).replace(/0+$/, ''), dp: a.dp };
  for (let i = nd - 1; i >= 0; i--) {
    if (a.d[i]! < '9') return { d: a.d.slice(0, i) + String(Number(a.d[i]) + 1), dp: a.dp };
  }
  return { d: '1', dp: a.dp + 1 };
}

function fmtE(neg: boolean, d: Decimal, prec: number, fmt: string): string {
  let out = neg ? '-' : '';
  out += d.d.length > 0 ? d.d[0] : '0';
  if (prec > 0) {
    out += '.';
    const m = Math.min(d.d.length, prec + 1);
    let i = 1;
    if (i < m) {
      out += d.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += '0';
  }
  out += fmt;
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  out += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return out + (exp < 10 ? `0${exp}` : String(exp));
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m) + '0'.repeat(d.dp - m);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < d.d.length ? d.d[j] : '0';
    }
  }
  return out;
}

function formatDigits(shortest: boolean, neg: boolean, digs: Decimal, prec: number, fmt: string): string {
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, digs, prec, fmt);
    case 'f':
      return fmtF(neg, digs, prec);
    case 'g':
    case 'G': {
      let eprec = prec;
      if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > digs.d.length) prec = digs.d.length;
        return fmtE(neg, digs, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > digs.dp) prec = digs.d.length;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
  }
  return `%${fmt}`;
}

function fmtB(neg: boolean, mant: bigint, exp: number): string {
  const e = exp - 52;
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`;
}

const mask64 = (1n << 64n) - 1n;

function fmtX(prec: number, fmt: string, neg: boolean, mant: bigint, exp: number): string {
  if (mant === 0n) exp = 0;
  mant <<= 8n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `${neg ? '-' : ''}0${fmt}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & mask64;
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask64;
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask64;
    }
  }
  out += fmt === 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return out + (exp < 10 ? `0${exp}` : String(exp));
}

/** strconv.FormatFloat(v, fmt, prec, 64). */
export function formatFloat(v: number, fmt: string, prec: number): string {
  const { neg, mant, exp, special } = floatBits(v);
  if (special) return special;
  if (fmt === 'b') return fmtB(neg, mant, exp);
  if (fmt === 'x' || fmt === 'X') return fmtX(prec, fmt, neg, mant, exp);
  const shortest = prec < 0;
  if (mant === 0n) return formatDigits(shortest, neg, { d: '', dp: 0 }, prec, fmt);
  if (shortest) {
    const digs = shortestDecimal(v);
    const nd = digs.d.length;
    if (fmt === 'e' || fmt === 'E') prec = Math.max(nd - 1, 0);
    else if (fmt === 'f') prec = Math.max(nd - digs.dp, 0);
    else if (fmt === 'g' || fmt === 'G') prec = nd;
    return formatDigits(true, neg, digs, prec, fmt);
  }
  let digs = exactDecimal(mant, exp);
  switch (fmt) {
    case 'e':
    case 'E':
      digs = round(digs, prec + 1);
      break;
    case 'f':
      digs = round(digs, digs.dp + prec);
      break;
    case 'g':
    case 'G':
      if (prec === 0) prec = 1;
      digs = round(digs, prec);
      break;
  }
  return formatDigits(false, neg, digs, prec, fmt);
}

export class NumError extends Error {}

const maxUint64 = (1n << 64n) - 1n;

/** underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64). */
export function parseUint(s: string): bigint {
  if (s === '') throw new NumError('invalid syntax');
  const s0 = s;
  let base = 10;
  if (s[0] === '0') {
    const p = s[1]?.toLowerCase();
    if (s.length >= 3 && p === 'b') [base, s] = [2, s.slice(2)];
    else if (s.length >= 3 && p === 'o') [base, s] = [8, s.slice(2)];
    else if (s.length >= 3 && p === 'x') [base, s] = [16, s.slice(2)];
    else [base, s] = [8, s.slice(1)];
  }
  let underscores = false;
  let n = 0n;
  for (const c of s) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const lc = c.toLowerCase();
    let d: number;
    if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
    else if (lc >= 'a' && lc <= 'z' && lc.length === 1) d = lc.charCodeAt(0) - 87;
    else throw new NumError('invalid syntax');
    if (d >= base) throw new NumError('invalid syntax');
    n = n * BigInt(base) + BigInt(d);
    if (n > maxUint64) throw new NumError('value out of range');
  }
  if (underscores && !underscoreOK(s0)) throw new NumError('invalid syntax');
  return n;
}

/** strconv.ParseInt(s, 0, 64). */
export function parseInt64(s: string): bigint {
  if (s === '') throw new NumError('invalid syntax');
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') [neg, s] = [true, s.slice(1)];
  const un = parseUint(s);
  const cutoff = 1n << 63n;
  if (!neg && un >= cutoff) throw new NumError('value out of range');
  if (neg && un > cutoff) throw new NumError('value out of range');
  return neg ? -un : un;
}

/** strconv.ParseFloat(s, 64): Go's decimal and hexadecimal float syntax (no inf/nan: a template cannot write them). */
export function parseFloat64(s: string): number {
  const decimal = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9][0-9_]*)?$/;
  const hexadecimal = /^([+-]?)0[xX]((?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+))[pP]([+-]?[0-9][0-9_]*)$/;
  if (s.includes('_') && !underscoreOK(s)) throw new NumError('invalid syntax');
  let value: number;
  if (decimal.test(s) && /[0-9]/.test(s.replace(/[eE].*$/, ''))) {
    value = Number(s.replaceAll('_', ''));
  } else {
    const m = hexadecimal.exec(s);
    if (!m || !/[0-9a-fA-F]/.test(m[2]!)) throw new NumError('invalid syntax');
    const [whole = '', fraction = ''] = m[2]!.replaceAll('_', '').split('.');
    const digits = whole + fraction;
    const exp = Number(m[3]!.replaceAll('_', '')) - 4 * fraction.length;
    const mant = BigInt(`0x${digits || '0'}`);
    value = exp >= 0 ? Number(mant << BigInt(Math.min(exp, 2000))) : bigRatio(mant, -exp);
    if (m[1] === '-') value = -value;
  }
  if (!Number.isFinite(value)) throw new NumError('value out of range');
  return value;
}

/** mant / 2^k: Number(mant) rounds once, the power of two scales exactly (outside subnormals). */
function bigRatio(mant: bigint, k: number): number {
  return Number(mant) * 2 ** -Math.min(k, 1000) * 2 ** -Math.max(0, k - 1000);
}
