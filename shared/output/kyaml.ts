/**
 * `-o kyaml` as kubectl prints it (cli-runtime's KYAMLPrinter over sigs.k8s.io/yaml/kyaml): the
 * object as Go's encoding/json writes it (keys sorted as go-json.ts sorts them, numbers as Go
 * formats them), rendered as KYAML: a `---` header, `{}` and `[]` always, every string value in
 * double quotes (line breaks folded with `\n\` and indented), keys quoted only when a YAML parser
 * could read them as something else, lists of mappings or lists "cuddled" (`[{`), two spaces a
 * level, a comma after every item. Ported from kyaml.go (sigs.k8s.io/yaml v1.6.0).
 */
import { PluginError } from '../errors.ts';
import { goJsonScalar, sortedKeys } from './go-json.ts';
import { goIsPrint } from './go-printable.ts';
import { assertYamlReadable } from './go-yaml.ts';

/**
 * One KYAML document with its header and a final newline. `keepOrder`: the top level's keys as
 * given (a Go struct's field order, as kubectl's WatchEvent: type, then object); maps below are sorted.
 */
export function kyaml(value: unknown, options: { keepOrder?: boolean } = {}): string {
  try {
    assertYamlReadable(value);
  } catch (error) {
    // kubectl reads its JSON back as YAML to print KYAML, and fails as its reader fails.
    throw error instanceof PluginError ? new PluginError(`error decoding: ${error.message}`, error.exitCode) : error;
  }
  const top = options.keepOrder && value !== null && typeof value === 'object' && !Array.isArray(value) ? renderMapping(value as Record<string, unknown>, 0, Object.keys(value)) : render(value, 0);
  return `---\n${top}\n`;
}

const indentOf = (level: number): string => '  '.repeat(level);

function render(value: unknown, indent: number): string {
  const scalar = goJsonScalar(value);
  if (scalar !== undefined) return scalar;
  switch (typeof value) {
    case 'string':
      return renderString(asReadBack(value), indent + 1, false);
    case 'object':
      return Array.isArray(value) ? renderSequence(value, indent) : renderMapping(value as Record<string, unknown>, indent);
    default:
      return 'null';
  }
}

function renderMapping(o: Record<string, unknown>, indent: number, order: string[] = sortedKeys(o)): string {
  const keys = order.filter((k) => o[k] !== undefined);
  if (keys.length === 0) return '{}';
  let out = '{\n';
  for (const k of keys) out += `${indentOf(indent + 1)}${renderString(asReadBack(k), indent + 1, true)}: ${render(o[k], indent + 1)},\n`;
  return `${out}${indentOf(indent)}}`;
}

const isCuddled = (v: unknown): boolean => v !== null && typeof v === 'object';

function renderSequence(items: unknown[], indent: number): string {
  if (items.length === 0) return '[]';
  // Lists of mappings or lists sit against their brackets: `[{`, `}, {`, `}]`.
  if (items.every(isCuddled)) return `[${items.map((item) => render(item, indent)).join(', ')}]`;
  let out = `[\n${indentOf(indent)}`;
  for (const item of items) out += `${indentOf(1)}${render(item, indent + 1)},\n${indentOf(indent)}`;
  return `${out}]`;
}

/**
 * A string as kubectl's YAML reader gives it back from Go's JSON: JSON escapes every line break
 * but NEL (U+0085), which go-yaml reads as a line break inside the double quotes and folds as
 * YAML folds one: the spaces before it dropped, one break a space, n breaks n-1 newlines, the
 * spaces after it dropped.
 */
function asReadBack(s: string): string {
  if (!s.includes('\x85')) return s;
  let out = '';
  let spaces = '';
  let broken = false;
  let breaks = 0;
  const flush = () => {
    out += broken ? (breaks === 0 ? ' ' : '\n'.repeat(breaks)) : spaces;
    spaces = '';
    broken = false;
    breaks = 0;
  };
  for (const ch of s) {
    if (ch === ' ') {
      if (!broken) spaces += ch;
    } else if (ch === '\x85') {
      if (broken) breaks++;
      else {
        spaces = '';
        broken = true;
      }
    } else {
      flush();
      out += ch;
    }
  }
  flush();
  return out;
}

/**
 * A string in double quotes (or, for a key, bare when nothing could read it otherwise). A value
 * with a line break is folded: `"\` then each line indented, `\n\` closing every line but the last.
 */
function renderString(value: string, indent: number, key: boolean): string {
  const multi = !key && value.includes('\n');
  if (key && !needsQuotes(value)) return value;
  let buf = '"';
  if (multi) buf += '\\\n';
  for (const ch of value) {
    if (buf.endsWith('\n')) {
      // Leading whitespace of a line is escaped so that YAML keeps it; other lines get a space.
      buf += indentOf(indent) + (/^\s$/u.test(ch) && ch !== '\n' ? '\\' : ' ');
    }
    buf += escapeRune(ch, key);
  }
  if (multi) {
    if (!buf.endsWith('\n')) buf += '\\\n';
    buf += indentOf(indent);
  }
  return `${buf}"`;
}

const namedEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\0': '\\0',
  '\x1b': '\\e',
  '\x85': '\\N',
  '\xa0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};


/** appendEscapedRune: a value's line break folds, its tab stays; a key's (compact) are `\n`, `\t`. */
function escapeRune(ch: string, compact: boolean): string {
  if (ch === '\n') return compact ? '\\n' : '\\n\\\n';
  if (ch === '\t') return compact ? '\\t' : '\t';
  if (ch === '"' || ch === '\\') return `\\${ch}`;
  if (goIsPrint(ch.codePointAt(0)!)) return ch;
  const named = namedEscapes[ch];
  if (named) return named;
  const code = ch.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  // A lone surrogate is Go's RuneError (U+FFFD), invalid in UTF-8.
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
  return code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
}

/** needsQuotes: empty, read as another type, or holding anything but letters, numbers, `_` (and `-./` inside). */
export function needsQuotes(s: string): boolean {
  if (s === '' || isTypeAmbiguous(s)) return true;
  const runes = [...s];
  return runes.some((r, i) => !(/^[\p{L}\p{N}_]$/u.test(r) || (i > 0 && i < runes.length - 1 && (r === '-' || r === '.' || r === '/'))));
}

const goBools = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const yamlWords = ['null', '~', '', 'true', 'y', 'yes', 'on', 'false', 'n', 'no', 'off', '.inf', '-.inf', '+.inf', '.nan'];
const sexagesimal = /^[+-]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;

/** isTypeAmbiguous: a YAML parser might read the bare string as a null, bool, number or time. */
export function isTypeAmbiguous(s: string): boolean {
  if (s.length <= 5 && yamlWords.includes(s.toLowerCase())) return true;
  if (goBools.includes(s)) return true;
  const digits = s.replaceAll('_', '');
  if (isGoInt(digits) || isGoFloat(digits)) return true;
  if (sexagesimal.test(s)) return true;
  return isYamlTimestamp(s);
}

/** strconv.ParseInt(s, 0, 64) succeeds (a syntax error or overflow does not count as success). */
function isGoInt(s: string): boolean {
  const m = /^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.exec(s);
  if (!m) return false;
  const body = s.replace(/^[+-]/, '');
  const value = /^0[xX]/.test(body) ? BigInt(body) : /^0[bB]/.test(body) ? BigInt(body) : /^0[oO]/.test(body) ? BigInt(`0o${body.slice(2)}`) : /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  return s.startsWith('-') ? value <= 1n << 63n : value < 1n << 63n;
}

/** strconv.ParseFloat(s, 64) succeeds: decimal or hex mantissa, an exponent, inf, infinity, nan (any case). */
function isGoFloat(s: string): boolean {
  if (/^[+-]?(inf|infinity)$/i.test(s) || /^nan$/i.test(s)) return true;
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return Number.isFinite(Number(s));
  return /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+$/.test(s);
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * go-yaml v2's parseTimestamp: `YYYY-M-D`, `YYYY-M-DTh:m:s[.frac](Z|±hh:mm)` (T or t), or
 * `YYYY-M-D h:m:s[.frac]`, with Go's time.Parse range checks (a 30th of February is no date).
 */
export function isYamlTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  const [h, min, sec] = m[4] ? [m[5], m[6], m[7]] : m[9] ? [m[9], m[10], m[11]] : ['0', '0', '0'];
  if (Number(h) > 23 || Number(min) > 59 || Number(sec) > 59) return false;
  if (m[8] && m[8] !== 'Z') {
    const [zh, zm] = m[8].slice(1).split(':').map(Number) as [number, number];
    if (zh > 23 || zm > 59) return false;
  }
  return true;
}
