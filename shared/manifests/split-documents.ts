/**
 * A manifest file → its documents, split as kubectl splits them (apimachinery's
 * YAMLOrJSONDecoder): a file whose first non-space character is `{` is read as a stream of JSON
 * values (`{…}{…}`, any whitespace between); if that fails on the first or second value the rest
 * is read as YAML, if it fails later the file is refused. YAML is split at every line that
 * starts with `---` (only a comment may follow on that line), then each document is decoded
 * with kubectl's YAML 1.1 meaning.
 */
import { decodeYamlDocument, YamlDecodeError } from './yaml-1.1.ts';

export interface RawDocument {
  /** The decoded value (null for an empty document). */
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** 1-based position in the file, empty documents counted. */
  number: number;
}

export class ManifestSyntaxError extends Error {
  readonly line: number;
  readonly document: number;
  readonly format: 'JSON' | 'YAML';
  constructor(format: 'JSON' | 'YAML', message: string, line: number, document: number) {
    super(message);
    this.format = format;
    this.line = line;
    this.document = document;
  }
}

export function splitDocuments(input: string): RawDocument[] {
  const text = input.replace(/\r\n/g, '\n');
  const lineAt = lineIndex(text);
  const docs: RawDocument[] = [];
  let pos = 0;
  if (/^\s*\{/u.test(text)) {
    let count = 0;
    for (;;) {
      const start = skipSpace(text, pos);
      if (start >= text.length) return docs;
      const parsed = parseJsonValue(text, start);
      if (parsed.ok) {
        docs.push({ value: parsed.value, line: lineAt(start), number: count + 1 });
        count++;
        pos = parsed.end;
        continue;
      }
      if (count > 1) throw new ManifestSyntaxError('JSON', parsed.message, lineAt(parsed.at), count + 1);
      // Go's decoder leaves the whitespace after the last object; eat it up to the first newline.
      const newline = text.indexOf('\n', pos);
      const space = skipSpace(text, pos);
      pos = newline >= 0 && newline < space ? newline + 1 : space;
      break;
    }
  }
  for (const chunk of yamlChunks(text, pos, lineAt(pos), docs.length + 1)) {
    try {
      const decoded = decodeYamlDocument(chunk.text);
      docs.push({ value: decoded.value, line: chunk.line + decoded.line - 1, number: chunk.number });
    } catch (error) {
      if (!(error instanceof YamlDecodeError)) throw error;
      throw new ManifestSyntaxError('YAML', error.message, chunk.line + (error.line ?? 1) - 1, chunk.number);
    }
  }
  return docs;
}

/** YAMLReader: documents separated by lines that start with `---`. */
function yamlChunks(text: string, from: number, firstLine: number, firstNumber: number): Array<{ text: string; line: number; number: number }> {
  const chunks: Array<{ text: string; line: number; number: number }> = [];
  const lines = text.slice(from).split('\n');
  if (lines.at(-1) === '') lines.pop();
  let buffer: string[] = [];
  let bufferLine = firstLine;
  let number = firstNumber;
  let started = false;
  lines.forEach((line, i) => {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) throw new ManifestSyntaxError('YAML', `invalid YAML document separator: ${rest}`, firstLine + i, number + (started ? 1 : 0));
      if (buffer.length > 0) chunks.push({ text: `${buffer.join('\n')}\n`, line: bufferLine, number });
      // A separator on the first line opens document 1; every later one opens the next.
      if (started) number++;
      started = true;
      buffer = [];
      bufferLine = firstLine + i + 1;
      return;
    }
    started = true;
    buffer.push(line);
  });
  if (buffer.length > 0) chunks.push({ text: `${buffer.join('\n')}\n`, line: bufferLine, number });
  return chunks;
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && /\s/u.test(text[pos]!)) pos++;
  return pos;
}

/** offset → 1-based line, by binary search over the newlines (many documents stay linear). */
function lineIndex(text: string): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** One JSON value starting at `start`, as Go's json.Decoder reads the next value of a stream. */
function parseJsonValue(text: string, start: number): { ok: true; value: unknown; end: number } | { ok: false; message: string; at: number } {
  const end = jsonValueEnd(text, start);
  if (end < 0) return { ok: false, message: 'unexpected end of JSON input', at: start };
  try {
    return { ok: true, value: JSON.parse(text.slice(start, end)), end };
  } catch (error) {
    // V8 says where within the value (`… in JSON at position 19 (line 2 column 6)`): the message
    // keeps what is wrong, the position becomes the file's line (the caller's "(line L)").
    const message = (error as Error).message;
    const position = message.match(/ in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/);
    return { ok: false, message: position ? message.slice(0, position.index) : message, at: start + (position ? Number(position[1]) : 0) };
  }
}

/** Where the value starting at `start` ends: matched brackets outside strings, or the end of a scalar. */
function jsonValueEnd(text: string, start: number): number {
  const open = text[start];
  if (open !== '{' && open !== '[') {
    if (open === '"') return stringEnd(text, start);
    let i = start;
    while (i < text.length && !/[\s,:{}[\]"]/.test(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i = stringEnd(text, i) - 1;
      if (i < 0) return -1;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}
