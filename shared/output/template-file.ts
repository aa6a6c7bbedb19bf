/**
 * Reads a template file (`-o jsonpath-file=F`, `-o custom-columns-file=F`, `-o go-template-file=F`):
 * a regular file of at most 1 MiB, checked on the open handle (a FIFO or device is refused, never
 * waited on).
 */
import fs from 'node:fs';
import { UsageError } from '../errors.ts';

export const maxTemplateBytes = 1024 * 1024;

/** Why a file could not be read, and the step that failed (Go's `open` or `read`). */
type Refusal = (reason: string, op: 'open' | 'read', cause?: unknown) => UsageError;

function readFile(file: string, refuse: Refusal, directory = 'not a regular file'): string {
  let fd: number | undefined;
  try {
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (error) {
      throw refuse(reasonOf(error), 'open', error);
    }
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw refuse(directory, 'read');
    if (!stat.isFile()) throw refuse('not a regular file', 'read');
    if (stat.size > maxTemplateBytes) throw refuse(`larger than ${maxTemplateBytes} bytes`, 'read');
    try {
      return fs.readFileSync(fd, 'utf8');
    } catch (error) {
      throw refuse(reasonOf(error), 'read', error);
    }
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? String(error));
}

export function readTemplateFile(file: string, flag: string): string {
  return readFile(file, (reason, _op, cause) => new UsageError(`error reading ${flag} ${file}: ${reason}`, cause === undefined ? undefined : { cause }));
}

/** A Go template's file, with kubectl's words (cli-runtime: `error reading --template F, open F: reason`). */
export function readGoTemplateFile(file: string): string {
  return readFile(file, (reason, op, cause) => new UsageError(`error reading --template ${file}, ${op} ${file}: ${reason}`, cause === undefined ? undefined : { cause }), 'is a directory');
}
