/**
 * One YAML document → a JSON value, with the meaning kubectl gives it: sigs.k8s.io/yaml's
 * YAMLToJSON over go-yaml v2. Plain scalars resolve by YAML 1.1 (shared/output/go-yaml-resolve.ts:
 * `yes` is true, `0400` is 256), timestamps stay strings, non-string keys become strings
 * (`true`, `1`, floats in Go's 32-bit `%g`), `<<` merges, a later duplicate key wins.
 * The `yaml` package only parses (its failsafe schema leaves every scalar a string); the
 * meaning is ours.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { goFormatG } from '../output/go-yaml.ts';
import { goResolve } from '../output/go-yaml-resolve.ts';

/** Nodes one document may expand to through aliases (a "billion laughs" stops here). */
const maxExpandedNodes = 100_000;

export class YamlDecodeError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

export interface DecodedDocument {
  value: unknown;
  /** 1-based line of the document's first content, within the text given. */
  line: number;
}

/** Parses one document (no `---` splitting: see split-documents.ts). */
export function decodeYamlDocument(text: string): DecodedDocument {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, logLevel: 'silent', keepSourceTokens: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : text.slice(0, offset).split('\n').length);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new YamlDecodeError(first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), line);
  }
  const budget = { left: maxExpandedNodes };
  const value = doc.contents === null ? null : convert(doc.contents as Node, doc, budget, lineOf);
  return { value, line: lineOf(doc.contents?.range?.[0]) ?? 1 };
}

/** `budget` counts the nodes reached through aliases only: a large document without aliases is fine. */
function convert(node: Node, doc: Document, budget: { left: number; aliased?: boolean }, lineOf: (o: number | undefined) => number | undefined): unknown {
  if (budget.aliased && --budget.left < 0) throw new YamlDecodeError('document contains excessive aliasing');
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (!target) throw new YamlDecodeError(`unknown anchor '${node.source}' referenced`, lineOf(node.range?.[0]));
    const outer = budget.aliased;
    budget.aliased = true;
    try {
      return convert(target as Node, doc, budget, lineOf);
    } finally {
      budget.aliased = outer;
    }
  }
  if (isScalar(node)) return scalarValue(node, lineOf);
  if (isSeq(node)) return node.items.map((item) => convert(item as Node, doc, budget, lineOf));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (keyNode && isScalar(keyNode) && keyNode.type === Scalar.PLAIN && !keyNode.tag && keyNode.value === '<<') {
        merge(out, pair.value as Node, doc, budget, lineOf);
        continue;
      }
      const key = keyNode === null ? null : convert(keyNode, doc, budget, lineOf);
      const value = pair.value === null ? null : convert(pair.value as Node, doc, budget, lineOf);
      out[jsonKey(key, () => lineOf(keyNode?.range?.[0]))] = value;
    }
    return out;
  }
  return null;
}

/** go-yaml v2's merge: a mapping, an alias to one, or a sequence of them (earlier ones win). */
function merge(out: Record<string, unknown>, node: Node | null, doc: Document, budget: { left: number; aliased?: boolean }, lineOf: (o: number | undefined) => number | undefined): void {
  const fail = () => new YamlDecodeError('map merge requires map or sequence of maps as the value', lineOf(node?.range?.[0]));
  // What is merged through an alias counts against the alias budget, as the alias itself would.
  const through = (item: Node): Node => {
    if (!isAlias(item)) return item;
    const resolved = item.resolve(doc) as Node | undefined;
    if (!resolved) throw fail();
    budget.aliased = true;
    return resolved;
  };
  const outer = budget.aliased;
  try {
    const target = node ? through(node) : null;
    if (target && isMap(target)) {
      Object.assign(out, convert(target, doc, budget, lineOf));
      return;
    }
    if (target && isSeq(target)) {
      for (const item of [...target.items].reverse()) {
        const resolved = through(item as Node);
        if (!isMap(resolved)) throw fail();
        Object.assign(out, convert(resolved, doc, budget, lineOf));
      }
      return;
    }
    throw fail();
  } finally {
    budget.aliased = outer;
  }
}

function scalarValue(node: Scalar, lineOf: (o: number | undefined) => number | undefined): unknown {
  const text = String(node.value ?? '');
  const tag = node.tag?.replace(/^tag:yaml\.org,2002:/, '!!');
  if (node.type !== Scalar.PLAIN && (tag === undefined || tag === '!' || tag === '!!str')) return text;
  if (tag === undefined) return jsonValue(goResolve(text).value);
  if (tag === '!!str' || tag === '!') return text;
  if (tag === '!!binary') return text.replace(/\s+/g, '');
  const r = goResolve(text);
  const wanted = tag.slice(2);
  if (wanted === r.tag || (wanted === 'float' && r.tag === 'int')) return jsonValue(r.value);
  if (['int', 'float', 'bool', 'null', 'timestamp'].includes(wanted)) {
    throw new YamlDecodeError(`cannot decode !!${r.tag} \`${text}\` as a ${tag}`, lineOf(node.range?.[0]));
  }
  return text; // a tag of the user's own: go-yaml keeps the text
}

/** sigs.k8s.io/yaml's conversion of a YAML key to a JSON object key. */
function jsonKey(key: unknown, line: () => number | undefined): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') {
    if (Number.isInteger(key)) return String(key);
    if (Number.isNaN(key)) return '.nan';
    if (!Number.isFinite(key)) return key > 0 ? '.inf' : '-.inf';
    return goFormatG(shortestFloat32(key));
  }
  throw new YamlDecodeError(`unsupported map key: ${key === null ? 'null' : typeof key}`, line());
}

/** Integers beyond 2^53 lose precision as JavaScript numbers; manifests do not carry such values. */
function jsonValue(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** The shortest decimal that reads back as the same float32 (Go's FormatFloat(x, 'g', -1, 32)). */
function shortestFloat32(x: number): number {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
