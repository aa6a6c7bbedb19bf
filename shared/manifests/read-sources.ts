/**
 * `-f PATH`: a file, a directory (its .yaml, .yml and .json files in name order; with
 * `-R/--recursive` those of every directory below too, walked as Go's filepath.Walk walks), a
 * pattern (`dir/*.yaml`, when no such path exists), an `http(s)://` URL (read-url.ts) or `-` for
 * stdin, read in full before anything is sent. A missing path is refused as kubectl refuses it,
 * every missing one named.
 *
 * Reading is bounded whatever the path names: each file is opened without blocking
 * (O_NONBLOCK: a FIFO with no writer does not hang the open), the opened handle is checked
 * with fstat (regular files only: not a device such as /dev/zero, a FIFO, a socket or a
 * directory), and its bytes are read through a stream that stops at `maxManifestBytes`, since
 * the size a file reports is not what it holds (/proc files say 0). Every read is
 * asynchronous, so SIGINT/SIGTERM are handled while it waits, and `signal` (the plugin's, aborted
 * on the first SIGINT/SIGTERM) ends a wait for standard input at once. Before parsing, the
 * nesting of each file is bounded (nesting-limit.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InterruptedError, PartialFailure, UsageError } from '../errors.ts';
import { checkNesting } from './nesting-limit.ts';
import { parseManifests, type SourcedObject } from './parse-manifests.ts';
import { isUrl, readUrl } from './read-url.ts';

export const maxManifestBytes = 8 * 1024 * 1024;
const extensions = new Set(['.yaml', '.yml', '.json']);
const limitText = `${maxManifestBytes / 1024 / 1024} MiB`;

export interface ReadOptions {
  /** -R/--recursive: directories below a directory too. */
  recursive?: boolean;
  /** URLs: the pause between attempts (tests). */
  urlRetryDelayMs?: number;
}

export async function readManifests(paths: string[], stdin?: NodeJS.ReadableStream, signal?: AbortSignal, options: ReadOptions = {}): Promise<SourcedObject[]> {
  const objects: SourcedObject[] = [];
  // Every missing path at once, as kubectl lists them, before anything is read. A path that
  // does not exist but holds a pattern (`manifests/*.yaml`) stands for what it matches.
  const missing: UsageError[] = [];
  const sources: string[][] = [];
  for (const p of paths) {
    if (p === '-' || isUrl(p)) {
      sources.push([p]);
      continue;
    }
    const problem = await fs.promises.stat(p).then(() => undefined, (error: NodeJS.ErrnoException) => error);
    const matches = problem?.code === 'ENOENT' && /[*?[]/.test(p) ? await globMatches(p) : [];
    if (matches.length > 0) sources.push(matches);
    else if (problem?.code === 'ENOENT' || problem?.code === 'ENOTDIR') missing.push(new UsageError(`the path "${p}" does not exist`));
    else if (problem) missing.push(new UsageError(`the path "${p}" cannot be accessed: ${problem.code ?? problem.message}`));
    else sources.push([p]);
  }
  if (missing.length === 1) throw missing[0];
  if (missing.length > 1) throw new PartialFailure(missing);
  let found = 0;
  for (const group of sources) {
    const files: string[] = [];
    for (const p of group) files.push(...(p === '-' || isUrl(p) ? [p] : await listFiles(p, options.recursive ?? false)));
    found += files.length;
    // kubectl's message when a path gave no file and nothing before it did.
    if (found === 0) throw new UsageError(`error reading [${group.join(' ')}]: recognized file extensions are [.json .yaml .yml]`);
    for (const file of files) {
      const name = file === '-' ? '<stdin>' : file;
      const text =
        file === '-'
          ? await readStdin(stdin, signal)
          : isUrl(file)
            ? await readUrl(file, { signal, readBody: (stream, what) => readCapped(stream, what, signal), ...(options.urlRetryDelayMs === undefined ? {} : { retryDelayMs: options.urlRetryDelayMs }) })
            : await readFile(file);
      checkNesting(text, name);
      objects.push(...parseManifests(text, name));
    }
  }
  if (objects.length === 0) throw new UsageError(`no objects found in ${paths.join(', ')}`);
  return objects;
}

/** filepath.Glob's matches of a pattern, sorted (a `**` matches as `*` would not: Node's glob is wider). */
async function globMatches(pattern: string): Promise<string[]> {
  const matches: string[] = [];
  for await (const match of fs.promises.glob(pattern)) matches.push(match);
  return matches.sort();
}

/** The files a path names: itself, or the manifests of a directory in filepath.Walk's order (name order, a subdirectory where its name falls). */
async function listFiles(p: string, recursive: boolean): Promise<string[]> {
  const stat = await fs.promises.stat(p);
  if (!stat.isDirectory()) return [p];
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (recursive) await walk(full);
      } else if (extensions.has(path.extname(entry.name).toLowerCase())) {
        files.push(full);
      }
    }
  };
  await walk(p);
  return files;
}

/** What a path is, for the message refusing it. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function readFile(file: string): Promise<string> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    throw new UsageError(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new UsageError(`${file}: ${kindOf(stat)}, not a regular file: manifests are read from files, directories or -`, {
        hint: stat.isFIFO() || stat.isCharacterDevice() ? `pipe it to standard input: -f - < ${file}` : undefined,
      });
    }
    if (stat.size > maxManifestBytes) throw new UsageError(`${file}: ${stat.size} bytes is more than the ${limitText} a manifest may have`);
    return await readCapped(handle.createReadStream({ autoClose: false, highWaterMark: 64 * 1024 }), file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`, { cause: error });
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Reads a stream to its end, refusing it once it passes the limit (it is not read further). */
async function readCapped(stream: NodeJS.ReadableStream, name: string, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const source = signal === undefined ? stream : abortable(stream, signal);
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxManifestBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new UsageError(`${name}: more than the ${limitText} a manifest may have`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The chunks of `stream` until it ends, or an InterruptedError (exit 130/143, nothing printed) as soon as `signal` aborts. */
async function* abortable(stream: NodeJS.ReadableStream, signal: AbortSignal): AsyncGenerator<Buffer | string> {
  const interrupted = () => new InterruptedError(signal.reason);
  if (signal.aborted) throw interrupted();
  const iterator = stream[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value as Buffer | string;
    }
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

async function readStdin(stdin: NodeJS.ReadableStream | undefined, signal?: AbortSignal): Promise<string> {
  if (!stdin) throw new UsageError('-f - needs standard input');
  const text = await readCapped(stdin, '<stdin>', signal);
  if (text.trim() === '') throw new UsageError('<stdin>: no input (was standard input closed early?)');
  return text;
}
