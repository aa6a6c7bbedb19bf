/**
 * Objects cached without `metadata.managedFields`, as client-go's informers keep them with
 * `cache.TransformStripManagedFields()`: the field is half of a typical object's JSON and most of
 * its small nested objects, and nothing an informer's user reads. For a watch event the field is
 * cut from the event's text before it is parsed (parsing and keeping 10,000 ConfigMaps took
 * 83–98 ms with it, 38 ms without); a listed item loses it after its page was parsed.
 *
 * The cut is found by walking the text's structure (strings skipped with their escapes) down to
 * `object.metadata`, the only place the field is removed from; anything else, or text that is not
 * what the walk expects, is returned as it came, for JSON.parse to judge.
 */

/** `{"type":…,"object":{…,"metadata":{…,"managedFields":[…],…}}}` without that member. */
export function eventTextWithoutManagedFields(text: string): string {
  // The key under which each open container was entered, as far as the walk cares: 'object' at
  // depth 2 and 'metadata' at depth 3 lead to the member; keys are compared in place, not copied.
  const path: Key[] = [];
  let key: Key = 'other';
  let inMetadata = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return text;
      const colon = skipSpace(text, end + 1);
      if (text.charCodeAt(colon) !== COLON) {
        i = end + 1;
        continue;
      }
      if (inMetadata && path.length === 3 && isKey(text, i, end, 'managedFields')) return cutMember(text, i, skipSpace(text, colon + 1));
      key = path.length === 1 && isKey(text, i, end, 'object') ? 'object' : path.length === 2 && isKey(text, i, end, 'metadata') ? 'metadata' : 'other';
      i = colon + 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      path.push(key);
      key = 'other';
      if (path.length === 3 && c === OPEN_OBJECT && path[1] === 'object' && path[2] === 'metadata') inMetadata = true;
      i += 1;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      // Past the end of metadata: it had no managedFields.
      if (inMetadata && path.length === 3) return text;
      path.pop();
      i += 1;
    } else {
      i += 1;
    }
  }
  return text;
}

/** A listed object's metadata without managedFields (the object itself is changed and returned). */
export function withoutManagedFields<T>(object: T): T {
  const metadata = (object as { metadata?: { managedFields?: unknown } } | null)?.metadata;
  if (metadata && typeof metadata === 'object') delete metadata.managedFields;
  return object;
}

type Key = 'object' | 'metadata' | 'other';

/** Whether the string token from `open` to `close` (its quotes) is `name`, unescaped. */
const isKey = (text: string, open: number, close: number, name: string) => close - open - 1 === name.length && text.startsWith(name, open + 1);

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/** The index of the quote that closes the string opened at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** The index just past the JSON value starting at `start`, or -1. */
function valueEnd(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === QUOTE) {
    const end = stringEnd(text, start);
    return end < 0 ? -1 : end + 1;
  }
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
    // A number, true, false or null: up to the next comma or closing bracket.
    let i = start;
    while (i < text.length && !isSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== CLOSE_OBJECT && text.charCodeAt(i) !== CLOSE_ARRAY) i += 1;
    return i === start ? -1 : i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const d = text.charCodeAt(i);
    if (d === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) {
      depth += 1;
    } else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The text without the member whose key starts at `keyStart` and value at `valueStart`, and one comma beside it. */
function cutMember(text: string, keyStart: number, valueStart: number): string {
  const end = valueEnd(text, valueStart);
  if (end < 0) return text;
  let before = keyStart - 1;
  while (before >= 0 && isSpace(text.charCodeAt(before))) before -= 1;
  if (text.charCodeAt(before) === COMMA) return text.slice(0, before) + text.slice(end);
  const after = skipSpace(text, end);
  return text.charCodeAt(after) === COMMA ? text.slice(0, keyStart) + text.slice(after + 1) : text.slice(0, keyStart) + text.slice(end);
}
