/**
 * Manifests → objects, with where each came from (file, document number, line) so every
 * error can point at it. Documents are split and decoded as kubectl does (split-documents.ts:
 * multi-document YAML with YAML 1.1 meaning, JSON streams); `List` kinds are expanded.
 * Malformed input is a UsageError (exit 2); it never throws anything else.
 */
import { UsageError } from '../errors.ts';
import type { KubeObject } from '../output/object-output.ts';
import { ManifestSyntaxError, splitDocuments } from './split-documents.ts';

export interface SourcedObject {
  object: KubeObject;
  file: string;
  /** 1-based document number within the file. */
  document: number;
  /** 1-based line where the document starts. */
  line: number;
  /** Its index in the document's List (`items[2]`), when it came from one. */
  item?: number | undefined;
  /** Not from a manifest (mkdeploy NAME): what to call it instead of a file and document. */
  origin?: string | undefined;
}

/** Where an object came from, for messages: `app.yaml: document 2 (line 14)`, `…, items[3]`, or its origin. */
export function where(o: Pick<SourcedObject, 'file' | 'document' | 'line' | 'item' | 'origin'>): string {
  if (o.origin !== undefined) return o.origin;
  return `${o.file}: document ${o.document} (line ${o.line})${o.item === undefined ? '' : `, items[${o.item}]`}`;
}

/** The same place as a request's failure names it, after kubectl's `error when creating "app.yaml"`: `"app.yaml" (document 2, line 14)`. */
export function quotedWhere(o: Pick<SourcedObject, 'file' | 'document' | 'line' | 'item' | 'origin'>): string {
  if (o.origin !== undefined) return o.origin;
  return `${JSON.stringify(o.file)} (document ${o.document}, line ${o.line}${o.item === undefined ? '' : `, items[${o.item}]`})`;
}

export function parseManifests(text: string, file: string): SourcedObject[] {
  let docs;
  try {
    docs = splitDocuments(text);
  } catch (error) {
    if (!(error instanceof ManifestSyntaxError)) throw error;
    throw new UsageError(`${where({ file, document: error.document, line: error.line })}: invalid ${error.format}: ${error.message}`);
  }
  const out: SourcedObject[] = [];
  for (const doc of docs) {
    if (doc.value === null || doc.value === undefined) continue; // an empty document between separators
    for (const { object, item } of expand(doc.value, { file, document: doc.number, line: doc.line })) out.push({ object, file, document: doc.number, line: doc.line, item });
  }
  return out;
}

type Place = Pick<SourcedObject, 'file' | 'document' | 'line' | 'item'>;

/** A List's items are objects, each named by its index; a List inside a List is refused, as kubectl refuses it. */
function expand(value: unknown, place: Place): Array<{ object: KubeObject; item: number | undefined }> {
  const at = where(place);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${at}: expected an object with apiVersion and kind`);
  const object = value as KubeObject;
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray((object as { items?: unknown }).items)) {
    if (place.item !== undefined) throw new UsageError(`${at}: a ${object.kind} inside a List is not supported`, { hint: 'put its items in the outer List' });
    return (object as { items: unknown[] }).items.flatMap((item, index) => expand(item, { ...place, item: index }));
  }
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') throw new UsageError(`${at}: apiVersion not set`);
  if (typeof object.kind !== 'string' || object.kind === '') throw new UsageError(`${at}: kind not set`);
  const { name, generateName } = object.metadata ?? {};
  if ((typeof name !== 'string' || name === '') && (typeof generateName !== 'string' || generateName === '')) {
    throw new UsageError(`${at}: ${object.kind} has no metadata.name or metadata.generateName`);
  }
  return [{ object, item: place.item }];
}
