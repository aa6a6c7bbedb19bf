/**
 * `-f PATH`: a file, a directory (its .yaml, .yml and .json files, sorted, not recursive) or
 * `-` for stdin, read in full before anything is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { parseManifests, type SourcedObject } from './parse-manifests.ts';

export const maxManifestBytes = 8 * 1024 * 1024;
const extensions = new Set(['.yaml', '.yml', '.json']);

export async function readManifests(paths: string[], stdin?: NodeJS.ReadableStream): Promise<SourcedObject[]> {
  const objects: SourcedObject[] = [];
  for (const p of paths) {
    for (const file of listFiles(p)) {
      const text = file === '-' ? await readStdin(stdin) : readFile(file);
      objects.push(...parseManifests(text, file === '-' ? '<stdin>' : file));
    }
  }
  if (objects.length === 0) throw new UsageError(`no objects found in ${paths.join(', ')}`);
  return objects;
}

function listFiles(p: string): string[] {
  if (p === '-') return ['-'];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new UsageError(`the path "${p}" does not exist`);
  }
  if (!stat.isDirectory()) return [p];
  const files = fs
    .readdirSync(p)
    .filter((name) => extensions.has(path.extname(name).toLowerCase()))
    .sort()
    .map((name) => path.join(p, name));
  if (files.length === 0) throw new UsageError(`the directory "${p}" has no .yaml, .yml or .json files`);
  return files;
}

function readFile(file: string): string {
  const size = fs.statSync(file).size;
  if (size > maxManifestBytes) throw new UsageError(`${file}: ${size} bytes is more than the ${maxManifestBytes / 1024 / 1024} MiB a manifest may have`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
}

async function readStdin(stdin: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stdin) throw new UsageError('-f - needs standard input');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxManifestBytes) throw new UsageError(`<stdin>: more than the ${maxManifestBytes / 1024 / 1024} MiB a manifest may have`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new UsageError('<stdin>: no input (was standard input closed early?)');
  return text;
}
