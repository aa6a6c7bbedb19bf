/**
 * JSON as kubectl prints it (`-o json`): Go's `json.MarshalIndent(obj, "", "    ")` over an
 * unstructured object, so object keys are sorted by their UTF-8 bytes, `<`, `>` and `&` are
 * escaped as `\u003c`…, U+2028/U+2029 as `\u2028`/`\u2029`, other control characters as
 * `\b \f \n \r \t` or `\u00XX`, and floats are written with Go's shortest formatting.
 */
export function goJson(value: unknown, options: { indent?: string; sortKeys?: boolean } = {}): string {
  return write(value, '', options.indent ?? '    ', options.sortKeys ?? true);
}

/**
 * Keys are sorted as Go sorts a map; `sortKeys: false` keeps their order, for a typed object
 * (kubectl create deployment prints its struct's field order, as the server sends it).
 */
function write(value: unknown, prefix: string, indent: string, sort: boolean): string {
  const scalar = goJsonScalar(value);
  if (scalar !== undefined) return scalar;
  switch (typeof value) {
    case 'string':
      return goJsonString(value);
    case 'object': {
      const inner = prefix + indent;
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        return `[\n${value.map((v) => inner + write(v, inner, indent, sort)).join(',\n')}\n${prefix}]`;
      }
      const o = value as Record<string, unknown>;
      const keys = (sort ? sortedKeys(o) : Object.keys(o)).filter((k) => o[k] !== undefined);
      if (keys.length === 0) return '{}';
      const body = keys.map((k) => `${inner}${goJsonString(k)}: ${write(o[k], inner, indent, sort)}`);
      return `{\n${body.join(',\n')}\n${prefix}}`;
    }
    default:
      return 'null';
  }
}

/** null, a boolean or a number as Go's encoding/json writes it (KYAML writes them so too); undefined for anything else. */
export function goJsonScalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return goJsonNumber(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** Go sorts map keys as byte strings; for UTF-16 strings that is code-point order. */
export function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  return keys.every(isAscii) ? keys.sort() : keys.sort(compareCodePoints);
}

function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s);
}

export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < x.length && i < y.length; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Go's float64 encoding: 'f' between 1e-6 and 1e21, else 'e' with a short exponent. */
export function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Object.is(n, -0)) return '-0';
  // JavaScript switches to exponents at the same magnitudes, with the same shortest digits.
  return String(n);
}

const shortEscapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += ch + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += '\\ufffd'; // a lone surrogate is invalid UTF-8 to Go
    } else if (shortEscapes[ch] !== undefined) {
      out += shortEscapes[ch];
    } else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}
