/**
 * Go strings in JavaScript: a Go string is bytes, ours a UTF-16 string holding them as text, each
 * byte that is not part of valid UTF-8 as a lone surrogate U+DC80–U+DCFF (Python's
 * "surrogateescape"), so that `len`, `index`, `slice`, `%x` and `%q` see Go's bytes and a string
 * cut inside a character still prints what it holds. Plus what strconv and unicode do with them:
 * Go's UTF-8 decoding rules, IsPrint, Quote (`%q`), QuoteRune, CanBackquote and Unquote.
 */

export const runeError = 0xfffd;
export const maxRune = 0x10ffff;

/** The UTF-8 bytes of a Go string (escaped bytes back to themselves). */
export function goBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) out.push(c - 0xdc00);
    else if (c >= 0xd800 && c <= 0xdfff) out.push(0xef, 0xbf, 0xbd);
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Go's utf8.DecodeRune: the rune at `i` and its width; an invalid byte is (RuneError, 1). */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i]!;
  if (b0 < 0x80) return [b0, 1];
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < b.length && b[j]! >= lo && b[j]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? [((b0 & 0x1f) << 6) | (b[i + 1]! & 0x3f), 2] : [runeError, 1];
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (cont(i + 1, lo, hi) && cont(i + 2)) return [((b0 & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f), 3];
    return [runeError, 1];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3)) return [((b0 & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f), 4];
  }
  return [runeError, 1];
}

/** Bytes back to a Go string: valid UTF-8 as text, every other byte escaped. */
export function fromGoBytes(b: ArrayLike<number>): string {
  const bytes = b instanceof Uint8Array ? b : Uint8Array.from(b);
  let out = '';
  let ascii = 0;
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      ascii++;
      i++;
      continue;
    }
    if (ascii > 0) {
      out += String.fromCharCode(...bytes.subarray(i - ascii, i));
      ascii = 0;
    }
    const [r, w] = decodeRune(bytes, i);
    out += r === runeError && w === 1 ? String.fromCharCode(0xdc00 + b0) : String.fromCodePoint(r);
    i += w;
  }
  if (ascii > 0) out += String.fromCharCode(...bytes.subarray(bytes.length - ascii));
  return out;
}

/** The runes of a Go string, as Go's `for range` sees them: an escaped byte is one RuneError, flagged. */
export function* goRunes(s: string): Generator<{ rune: number; byte?: number; text: string }> {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xdc80 && c <= 0xdcff) yield { rune: runeError, byte: c - 0xdc00, text: ch };
    else if (c >= 0xd800 && c <= 0xdfff) yield { rune: runeError, text: '\ufffd' };
    else yield { rune: c, text: ch };
  }
}

/** utf8.RuneCountInString. */
export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** len(s): its bytes. */
export function byteLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : goBytes(s).length;
}

/** Go's unicode.IsPrint / strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x20 || r > maxRune || (r >= 0xd800 && r <= 0xdfff)) return false;
  if (r < 0x7f) return true;
  if (r <= 0xff) return r >= 0xa1 && r !== 0xad;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(r));
}

const lowerhex = '0123456789abcdef';

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/** strconv's appendEscapedRune. */
function escapeRune(r: number, quote: string, asciiOnly: boolean): string {
  if (r === quote.charCodeAt(0) || r === 0x5c) return `\\${String.fromCharCode(r)}`;
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${lowerhex[r >> 4]}${lowerhex[r & 0xf]}`;
  if (r > maxRune || (r >= 0xd800 && r <= 0xdfff)) r = runeError;
  return r < 0x10000 ? `\\u${hex(r, 4)}` : `\\U${hex(r, 8)}`;
}

/** strconv.Quote (or QuoteToASCII): invalid bytes as `\xNN`. */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const { rune, byte } of goRunes(s)) {
    if (byte !== undefined) out += `\\x${hex(byte, 2)}`;
    else out += escapeRune(rune, '"', asciiOnly);
  }
  return `${out}"`;
}

/** strconv.QuoteRune (or QuoteRuneToASCII). */
export function goQuoteRune(r: number, asciiOnly = false): string {
  if (r > maxRune || r < 0 || (r >= 0xd800 && r <= 0xdfff)) r = runeError;
  return `'${escapeRune(r, "'", asciiOnly)}'`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const { rune, byte } of goRunes(s)) {
    if (byte !== undefined) return false;
    if (rune === 0xfeff) return false;
    if (rune < 0x80 && ((rune < 0x20 && rune !== 0x09) || rune === 0x60 || rune === 0x7f)) return false;
  }
  return true;
}

export class GoSyntaxError extends Error {
  constructor() {
    super('invalid syntax');
  }
}

function unhex(c: string): number {
  const d = parseInt(c, 16);
  return /^[0-9a-fA-F]$/.test(c) ? d : -1;
}

/**
 * strconv.UnquoteChar on the text after an opening quote: the value, whether it is a rune (as
 * opposed to one byte written by `\x` or an octal escape), and the rest.
 */
export function unquoteChar(s: string, quote: string): { value: number; multibyte: boolean; tail: string } {
  if (s.length === 0) throw new GoSyntaxError();
  const c = s[0]!;
  if (c === quote && (quote === "'" || quote === '"')) throw new GoSyntaxError();
  if (c.charCodeAt(0) >= 0x80) {
    const cp = s.codePointAt(0)!;
    const width = cp > 0xffff ? 2 : 1;
    return { value: cp >= 0xdc80 && cp <= 0xdcff ? runeError : cp, multibyte: true, tail: s.slice(width) };
  }
  if (c !== '\\') return { value: c.charCodeAt(0), multibyte: false, tail: s.slice(1) };
  if (s.length <= 1) throw new GoSyntaxError();
  const e = s[1]!;
  let rest = s.slice(2);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c };
  if (simple[e] !== undefined) return { value: simple[e], multibyte: false, tail: rest };
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    if (rest.length < n) throw new GoSyntaxError();
    let v = 0;
    for (let j = 0; j < n; j++) {
      const x = unhex(rest[j]!);
      if (x < 0) throw new GoSyntaxError();
      v = v * 16 + x;
    }
    rest = rest.slice(n);
    if (e === 'x') return { value: v, multibyte: false, tail: rest };
    if (v > maxRune || (v >= 0xd800 && v <= 0xdfff)) throw new GoSyntaxError();
    return { value: v, multibyte: true, tail: rest };
  }
  if (e >= '0' && e <= '7') {
    let v = e.charCodeAt(0) - 48;
    if (rest.length < 2) throw new GoSyntaxError();
    for (let j = 0; j < 2; j++) {
      const x = rest.charCodeAt(j) - 48;
      if (x < 0 || x > 7) throw new GoSyntaxError();
      v = (v << 3) | x;
    }
    rest = rest.slice(2);
    if (v > 255) throw new GoSyntaxError();
    return { value: v, multibyte: false, tail: rest };
  }
  if (e === "'" || e === '"') {
    if (e !== quote) throw new GoSyntaxError();
    return { value: e.charCodeAt(0), multibyte: false, tail: rest };
  }
  throw new GoSyntaxError();
}

function appendRune(bytes: number[], r: number): void {
  bytes.push(...goBytes(String.fromCodePoint(r > maxRune || (r >= 0xd800 && r <= 0xdfff) ? runeError : r)));
}

/** strconv.Unquote of a `"…"`, `` `…` `` or `'…'` literal; throws GoSyntaxError. */
export function goUnquote(s: string): string {
  if (s.length < 2) throw new GoSyntaxError();
  const quote = s[0]!;
  if (quote !== s[s.length - 1]) throw new GoSyntaxError();
  const body = s.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new GoSyntaxError();
    return body.replaceAll('\r', '');
  }
  if (quote !== '"' && quote !== "'") throw new GoSyntaxError();
  if (!body.includes('\\') && !body.includes('\n')) {
    if (quote === '"') {
      if (body.includes('"')) throw new GoSyntaxError();
      return body;
    }
    if (runeCount(body) === 1 && body !== "'") return body;
  }
  const bytes: number[] = [];
  let rest = body;
  let count = 0;
  while (rest.length > 0) {
    if (rest[0] === '\n') throw new GoSyntaxError();
    const { value, multibyte, tail } = unquoteChar(rest, quote);
    rest = tail;
    if (value < 0x80 || !multibyte) bytes.push(value & 0xff);
    else appendRune(bytes, value);
    count++;
    if (quote === "'" && rest.length > 0) throw new GoSyntaxError();
  }
  if (quote === "'" && count !== 1) throw new GoSyntaxError();
  return fromGoBytes(bytes);
}
