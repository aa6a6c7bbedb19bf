/**
 * Go's strconv.ParseBool and strconv.ParseInt, as pflag calls them to set a flag, with their
 * error texts (`strconv.ParseInt: parsing "http": invalid syntax`), so a bad number is refused
 * with kubectl's words and never becomes NaN.
 */

export interface Parsed<T> {
  value?: T;
  error?: string;
}

const trueWords = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const falseWords = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

export function parseGoBool(text: string): Parsed<boolean> {
  if (trueWords.includes(text)) return { value: true };
  if (falseWords.includes(text)) return { value: false };
  return { error: `strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax` };
}

/**
 * strconv.ParseInt(text, base, bits) for base 0 (a sign, then `0x`, `0o`, `0b` or a leading `0`
 * for octal; `_` between digits) or base 10. The value is a JS number (flags stay far below 2^53).
 */
export function parseGoInt(text: string, base: 0 | 10, bits: 32 | 64): Parsed<number> {
  const syntax = { error: `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax` };
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let radix = 10;
  let prefixed = false;
  if (base === 0) {
    const lower = s.slice(0, 2).toLowerCase();
    if (lower === '0x') [radix, prefixed] = [16, true];
    else if (lower === '0o') [radix, prefixed] = [8, true];
    else if (lower === '0b') [radix, prefixed] = [2, true];
    else if (s.length > 1 && s[0] === '0') radix = 8;
    if (prefixed) s = s.slice(2);
    if (s.includes('_') && !underscoresOk(s, prefixed)) return syntax;
    s = s.replace(/_/g, '');
  }
  const digits = '0123456789abcdef'.slice(0, radix);
  if (s === '' || ![...s.toLowerCase()].every((c) => digits.includes(c))) return syntax;
  let magnitude = 0n;
  for (const c of s.toLowerCase()) magnitude = magnitude * BigInt(radix) + BigInt(digits.indexOf(c));
  const limit = 1n << BigInt(bits - 1);
  if (negative ? magnitude > limit : magnitude >= limit) return { error: `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range` };
  return { value: Number(negative ? -magnitude : magnitude) };
}

/** Go's underscoreOK: `_` only between digits, or right after a base prefix (`0x_1f`). */
function underscoresOk(s: string, prefixed: boolean): boolean {
  return (prefixed ? /^_?[0-9a-f]+(?:_[0-9a-f]+)*$/i : /^[0-9a-f]+(?:_[0-9a-f]+)*$/i).test(s);
}
