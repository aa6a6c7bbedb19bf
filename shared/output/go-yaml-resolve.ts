/**
 * What an unquoted YAML scalar means to kubectl: go-yaml v2's resolver (resolve.go), i.e. YAML 1.1
 * as Kubernetes reads it. `yes/no/on/off/y/n` (in three casings) are booleans, `0400` is octal,
 * `0x1F` hex, `0b101` binary, `1_000` an integer, `.inf`/`.nan` floats, `~` and `null` null;
 * timestamps stay strings when decoded into JSON. Base-60 numbers (`1:20`) are strings to it,
 * but are quoted on output for other readers.
 *
 * Used both ways: reading manifests (what a plain scalar becomes) and writing YAML (whether a
 * string may be written plain or must be quoted).
 */

export type Resolved =
  | { tag: 'str'; value: string }
  | { tag: 'bool'; value: boolean }
  | { tag: 'null'; value: null }
  | { tag: 'int'; value: number | bigint }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: string }
  | { tag: 'merge'; value: string };

const table = new Map<string, Resolved>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) table.set(s, { tag: 'bool', value: true });
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) table.set(s, { tag: 'bool', value: false });
for (const s of ['', '~', 'null', 'Null', 'NULL']) table.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) table.set(s, { tag: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) table.set(s, { tag: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) table.set(s, { tag: 'float', value: -Infinity });
table.set('<<', { tag: 'merge', value: '<<' });

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const base60Float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** resolve("", s): the meaning of a plain scalar. */
export function goResolve(s: string): Resolved {
  const first = s[0];
  const hint = first === undefined ? 'M' : /[-+0-9]/.test(first) ? 'D' : /[yYnNtTfFoO~]/.test(first) ? 'M' : first === '.' ? '.' : '';
  if (hint === '') return { tag: 'str', value: s };
  const known = table.get(s);
  if (known) return known;
  if (hint === '.') {
    const f = goParseFloat(s);
    return f === undefined ? { tag: 'str', value: s } : { tag: 'float', value: f };
  }
  if (hint === 'D') {
    if (isTimestamp(s)) return { tag: 'timestamp', value: s };
    const plain = s.replaceAll('_', '');
    const int = goParseInt(plain);
    if (int !== undefined) return { tag: 'int', value: int };
    if (yamlStyleFloat.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { tag: 'float', value: f };
    }
  }
  return { tag: 'str', value: s };
}

/** Whether go-yaml would write this string without quotes. */
export function goResolvesToString(s: string): boolean {
  return goResolve(s).tag === 'str' && !isBase60Float(s);
}

function isBase60Float(s: string): boolean {
  return s.includes(':') && /^[-+0-9]/.test(s) && base60Float.test(s);
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

/** strconv.ParseInt(s, 0, 64), falling back to ParseUint: Go's literal syntax (0x, 0o, 0b, leading 0). */
function goParseInt(s: string): number | bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, body] = m as unknown as [string, string, string];
  let digits = body;
  let radix = 10;
  if (/^0[xX]/.test(body)) [digits, radix] = [body.slice(2), 16];
  else if (/^0[oO]/.test(body)) [digits, radix] = [body.slice(2), 8];
  else if (/^0[bB]/.test(body)) [digits, radix] = [body.slice(2), 2];
  else if (body.length > 1 && body.startsWith('0')) [digits, radix] = [body.slice(1), 8];
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  let value = BigInt(prefix + (digits === '' ? '0' : digits));
  if (sign === '-') value = -value;
  if (value < int64Min || value > uint64Max || (sign === '-' && value > int64Max)) return undefined;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** strconv.ParseFloat for what reaches it here (a leading '.'). */
function goParseFloat(s: string): number | undefined {
  if (!/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) return undefined;
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

/** go-yaml's parseTimestamp: the subset of YAML timestamps Go's time.Parse understands. */
function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})|[ ](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?)?$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  const [h, min, sec] = m[4] !== undefined ? [m[4], m[5], m[6]] : [m[7], m[8], m[9]];
  if (h === undefined) return true;
  return Number(h) < 24 && Number(min) < 60 && Number(sec) < 60;
}
