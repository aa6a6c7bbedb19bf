/**
 * A quick reader for the plain block-style YAML that kubeconfig files are written in
 * (`kubectl config`, cloud CLIs): mappings and sequences by indentation, kubectl's compact form
 * (`key:` followed by `- item` at the same indentation), plain and one-line quoted scalars,
 * comments, `{}` and `[]`. Every call of every plugin reads a kubeconfig, and the full YAML
 * parser costs more there (loading it and its first, cold parse: 15–25 ms) than the request.
 *
 * It returns exactly what the full parser (the `yaml` package, YAML 1.1 as kubectl reads it)
 * returns for the same text, or `undefined` for anything outside the subset: anchors, tags,
 * block and multi-line scalars, flow collections with content, document markers, tabs, CRLF,
 * duplicate keys, numbers, timestamps, and any error. The caller then uses the full parser,
 * which also words the errors. Plain scalars are strings unless they are YAML 1.1's null or
 * booleans; one that could be a number or a date (a leading digit, sign or dot) is left to the
 * full parser.
 */

interface Line {
  indent: number;
  text: string;
}

class OutsideSubset extends Error {}

const fail = (): never => {
  throw new OutsideSubset();
};

/** YAML 1.1's null and booleans (the `yaml` package's yaml-1.1 schema). */
const nullWord = /^(?:~|[Nn]ull|NULL)$/;
const trueWord = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const falseWord = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
/** A key as kubeconfig writers write them; the value, if any, follows after `: `. */
const keyLine = /^([A-Za-z_][\w./-]*):(?: +(.*))?$/;

export function parseBlockYaml(text: string): unknown {
  if (/[\t\r]/.test(text)) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;
    lines.push({ indent: raw.length - raw.trimStart().length, text: raw.trimEnd().trimStart() });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return undefined;
  let pos = 0;

  const isItem = (t: string) => t === '-' || t.startsWith('- ');

  const block = (): unknown => (isItem(lines[pos]!.text) ? sequence(lines[pos]!.indent) : mapping(lines[pos]!.indent));

  /** The value of a key or item given on the lines below it: deeper, or nothing (null). */
  const below = (indent: number): unknown => (pos < lines.length && lines[pos]!.indent > indent ? block() : null);

  /** A scalar on its line: nothing may follow more deeply indented (a multi-line scalar). */
  const inlineScalar = (raw: string, indent: number): unknown => {
    const value = scalar(raw);
    if (pos < lines.length && lines[pos]!.indent > indent) fail();
    return value;
  };

  const sequence = (indent: number): unknown[] => {
    const items: unknown[] = [];
    while (pos < lines.length && lines[pos]!.indent === indent && isItem(lines[pos]!.text)) {
      const rest = lines[pos]!.text.slice(1);
      const content = rest.trimStart();
      if (keyLine.test(content)) {
        // `- name: x`: a mapping whose first key sits on the item's line.
        const column = indent + 1 + (rest.length - content.length);
        lines[pos] = { indent: column, text: content };
        items.push(mapping(column));
      } else if (stripComment(content) === '') {
        pos++;
        items.push(below(indent));
      } else if (isItem(content)) {
        fail();
      } else {
        pos++;
        items.push(inlineScalar(stripComment(content), indent));
      }
    }
    return items;
  };

  const mapping = (indent: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    while (pos < lines.length && lines[pos]!.indent === indent) {
      const match = keyLine.exec(lines[pos]!.text) ?? fail();
      const key = match[1]!;
      if (key === '__proto__' || nullWord.test(key) || trueWord.test(key) || falseWord.test(key) || Object.hasOwn(out, key)) fail();
      pos++;
      const rest = match[2] === undefined ? '' : stripComment(match[2]);
      if (rest !== '') out[key] = inlineScalar(rest, indent);
      // kubectl's compact form: the sequence under a key starts at the key's own indentation.
      else if (pos < lines.length && lines[pos]!.indent === indent && isItem(lines[pos]!.text)) out[key] = sequence(indent);
      else out[key] = below(indent);
    }
    return out;
  };

  try {
    const doc = block();
    return pos === lines.length ? doc : undefined;
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

/** A value's text without a trailing ` # comment` (a quoted value keeps its `#`s). */
function stripComment(raw: string): string {
  if (raw.startsWith('#')) return '';
  if (raw.startsWith('"') || raw.startsWith("'")) return raw;
  const hash = raw.indexOf(' #');
  return hash < 0 ? raw : raw.slice(0, hash).trimEnd();
}

function scalar(raw: string): unknown {
  if (raw.startsWith('"')) {
    const match = /^"((?:[^"\\]|\\["\\/nt])*)"(?: +#.*)?$/.exec(raw) ?? fail();
    return match[1]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  if (raw.startsWith("'")) {
    const match = /^'((?:[^']|'')*)'(?: +#.*)?$/.exec(raw) ?? fail();
    return match[1]!.replace(/''/g, "'");
  }
  if (raw === '{}') return {};
  if (raw === '[]') return [];
  // Indicators, and what may be a number, a date or a merge key: the full parser's.
  if (/^[?:,[\]{}#&*!|>%@`<]|^[-+]?[\d.]|^-$|^- /.test(raw) || raw.includes(': ') || raw.endsWith(':')) fail();
  if (nullWord.test(raw)) return null;
  if (trueWord.test(raw)) return true;
  if (falseWord.test(raw)) return false;
  return raw;
}
