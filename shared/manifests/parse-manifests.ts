/**
 * Manifests → objects, with where each came from (file, document number, line) so every
 * error can point at it. Multi-document YAML, JSON, and `List` kinds are expanded.
 * Malformed input is a UsageError (exit 2); it never throws anything else.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { UsageError } from '../errors.ts';
import type { KubeObject } from '../output/object-output.ts';

export interface SourcedObject {
  object: KubeObject;
  file: string;
  /** 1-based document number within the file. */
  document: number;
  /** 1-based line where the document starts. */
  line: number;
}

export function where(o: Pick<SourcedObject, 'file' | 'document' | 'line'>): string {
  return `${o.file}: document ${o.document} (line ${o.line})`;
}

export function parseManifests(text: string, file: string): SourcedObject[] {
  const out: SourcedObject[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new UsageError(`${file}: invalid JSON: ${(cause as Error).message}`);
    }
    for (const object of expand(value, file, 1, 1)) out.push({ object, file, document: 1, line: 1 });
    return out;
  }
  const lines = new LineCounter();
  let docs;
  try {
    // logLevel 'error': yaml would print its warnings (a collection used as a key) on stderr itself.
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, logLevel: 'error' });
  } catch (cause) {
    throw new UsageError(`${file}: invalid YAML: ${(cause as Error).message}`);
  }
  if (!Array.isArray(docs)) docs = [docs];
  let number = 0;
  for (const doc of docs) {
    number++;
    const line = lines.linePos(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0).line;
    const firstError = doc.errors[0];
    if (firstError) {
      const errLine = firstError.linePos?.[0]?.line ?? line;
      throw new UsageError(`${file}: document ${number} (line ${errLine}): invalid YAML: ${firstError.message.split('\n')[0]}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (cause) {
      throw new UsageError(`${file}: document ${number} (line ${line}): invalid YAML: ${(cause as Error).message}`);
    }
    if (value === null || value === undefined) continue; // an empty document between separators
    for (const object of expand(value, file, number, line)) out.push({ object, file, document: number, line });
  }
  return out;
}

/** Lists inside Lists are flattened, to this depth (deeper would exhaust the stack). */
const maxListDepth = 100;

function expand(value: unknown, file: string, document: number, line: number, depth = 0): KubeObject[] {
  const at = `${file}: document ${document} (line ${line})`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${at}: expected an object with apiVersion and kind`);
  const object = value as KubeObject;
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray((object as { items?: unknown }).items)) {
    if (depth >= maxListDepth) throw new UsageError(`${at}: Lists nested more than ${maxListDepth} deep`);
    return ((object as { items: unknown[] }).items).flatMap((item) => expand(item, file, document, line, depth + 1));
  }
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') throw new UsageError(`${at}: apiVersion not set`);
  if (typeof object.kind !== 'string' || object.kind === '') throw new UsageError(`${at}: kind not set`);
  const name = object.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new UsageError(`${at}: ${object.kind} has no metadata.name`, { hint: 'generateName is not supported: give every object a name' });
  }
  return [object];
}
