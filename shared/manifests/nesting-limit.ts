/**
 * Nesting depth, bounded before a manifest is parsed. Deep nesting costs far more than its size:
 * 4 MiB of `[` took the YAML parser 13 s and 3.8 GB, and a deeply nested JSON document parses
 * but then overflows the stack of everything that walks it (printers, the apply plan). The API
 * server stops at 10,000 levels; we stop at `maxNestingDepth`, well below where the YAML parser
 * itself runs out of stack (about 770 levels of flow collections), and no real manifest comes
 * near it (a CRD's schema nests a few dozen levels).
 *
 * The check is linear and stops at the first level too deep:
 * - JSON (split-documents.ts reads text starting with `{` as a stream of JSON values): brackets
 *   outside strings, exactly. Such text may still be read as YAML when it is not JSON, so it is
 *   also checked as YAML.
 * - YAML: the tokens of the `yaml` package's own lexer (the parser's first stage, linear in the
 *   input), so quoting, comments and block scalars are read as the parser reads them. Flow
 *   collections (`[`, `{`) count exactly; block collections by their indentation: every column
 *   a line or an item (`- `, `? `) opens counts a level, and a sequence written at its key's
 *   column (`key:\n- item`) counts one more. That can count a level more than the parser builds
 *   (a scalar after `- `) but never fewer.
 */
import { Lexer } from 'yaml';
import { UsageError } from '../errors.ts';

export const maxNestingDepth = 500;

/** Throws a UsageError (exit 2) when `text` nests deeper than `limit` levels. */
export function checkNesting(text: string, file: string, limit: number = maxNestingDepth): void {
  const json = text.trimStart().startsWith('{');
  const deep = (json ? jsonTooDeep(text, limit) : undefined) ?? yamlTooDeep(text, limit);
  if (deep !== undefined) {
    throw new UsageError(`${file}: line ${deep}: nested more than ${limit} levels deep (manifests may nest at most ${limit} levels)`);
  }
}

/** The line where JSON text first nests deeper than `limit`, or undefined. */
export function jsonTooDeep(text: string, limit: number): number | undefined {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

interface Level {
  column: number;
  /** A block sequence (its items start with `- ` at `column`). */
  seq: boolean;
}

const DOCUMENT = '\x02';
const SCALAR = '\x1f';
const FLOW_END = '\x18';

/** The line where YAML text first nests deeper than `limit` (an upper bound), or undefined. */
export function yamlTooDeep(text: string, limit: number): number | undefined {
  let flow = 0;
  let levels: Level[] = [];
  let line = 1;
  let column = 0;
  let lineStart = true;
  /** The last content token of this line was `-` or `?`: the next one opens a nested node. */
  let afterIndicator = false;
  const top = (): Level | undefined => levels[levels.length - 1];

  for (const token of new Lexer().lex(text)) {
    if (token === DOCUMENT) {
      flow = 0;
      levels = [];
      afterIndicator = false;
      continue;
    }
    if (token === SCALAR) continue; // the scalar's source is the next token
    if (token === '' || token === '\n' || token === '\r\n') {
      line++;
      column = 0;
      lineStart = true;
      afterIndicator = false;
      continue;
    }
    const at = column;
    advance(token);
    if (/^[ \t]+$/.test(token) || token.startsWith('#')) continue;
    if (token === FLOW_END) {
      flow = 0;
      continue;
    }
    if (token === '[' || token === '{') {
      if (flow === 0) openBlock(at, false);
      flow++;
      if (flow + levels.length > limit) return line;
      continue;
    }
    if (token === ']' || token === '}') {
      if (flow > 0) flow--;
      continue;
    }
    if (flow > 0) continue;
    const indicator = token === '-' || token === '?';
    openBlock(at, token === '-');
    afterIndicator = indicator;
    if (levels.length > limit) return line;
    if (token.endsWith('\n')) {
      // A block scalar's content (or a multi-line scalar) ran to the end of a line.
      lineStart = true;
      afterIndicator = false;
    }
  }
  return undefined;

  function advance(token: string): void {
    const nl = token.lastIndexOf('\n');
    if (nl < 0) {
      column += token.length;
      return;
    }
    for (let i = 0; i < token.length; i++) if (token.charCodeAt(i) === 10) line++;
    column = token.length - nl - 1;
  }

  /** A content token at `at`: the first of its line closes deeper levels; after `- `/`? ` it opens one. */
  function openBlock(at: number, seq: boolean): void {
    if (lineStart) {
      lineStart = false;
      while ((top()?.column ?? -1) > at) levels.pop();
      const t = top();
      if (t !== undefined && t.column === at && t.seq && !seq) {
        levels.pop(); // the sequence under a key at the key's column has ended
      }
      const u = top();
      if (u === undefined || u.column < at || (u.column === at && seq && !u.seq)) levels.push({ column: at, seq });
      return;
    }
    if (afterIndicator) levels.push({ column: at, seq });
  }
}
