/**
 * A watch response body is newline-delimited JSON, one event per line:
 * `{"type":"ADDED","object":{...}}`. Chunks from the network split and join lines freely;
 * this turns them back into events.
 */
import type { InformerObject } from './object-key.ts';
import { eventTextWithoutManagedFields } from './strip-managed-fields.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends InformerObject = InformerObject> {
  type: WatchEventType;
  /** The object; for ERROR a `Status`, for BOOKMARK an object with only metadata.resourceVersion. */
  object: T;
}

const eventTypes = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** A line that is not a watch event: the stream is broken and must be reopened. */
export class WatchDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WatchDecodeError';
  }
}

/** Parses one line; throws WatchDecodeError for anything but a well-formed event. */
export function parseWatchLine<T extends InformerObject>(line: string): WatchEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new WatchDecodeError(`malformed watch event: ${line.slice(0, 120)}`, { cause: error });
  }
  const event = parsed as { type?: unknown; object?: unknown };
  if (typeof event?.type !== 'string' || !eventTypes.has(event.type) || typeof event.object !== 'object' || event.object === null) {
    throw new WatchDecodeError(`unexpected watch event: ${line.slice(0, 120)}`);
  }
  return event as WatchEvent<T>;
}

export interface DecodeOptions {
  /** Objects without metadata.managedFields, cut before parsing (strip-managed-fields.ts). */
  stripManagedFields?: boolean;
}

/** Yields the events of a watch body as its lines complete; a last line without "\n" counts too. */
export async function* decodeWatchEvents<T extends InformerObject>(body: AsyncIterable<Buffer>, options: DecodeOptions = {}): AsyncGenerator<WatchEvent<T>> {
  const parse = options.stripManagedFields ? (line: string) => parseWatchLine<T>(eventTextWithoutManagedFields(line)) : (line: string) => parseWatchLine<T>(line);
  let pending: Buffer[] = [];
  for await (const chunk of body) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      const line = pending.length === 0 ? piece.toString('utf8') : Buffer.concat([...pending, piece]).toString('utf8');
      pending = [];
      if (line.trim() !== '') yield parse(line);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) {
    const line = Buffer.concat(pending).toString('utf8');
    if (line.trim() !== '') yield parse(line);
  }
}
