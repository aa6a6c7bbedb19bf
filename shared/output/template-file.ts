/**
 * Reads a template file (`-o jsonpath-file=F`, `-o custom-columns-file=F`): a regular file of at
 * most 1 MiB, checked on the open handle (a FIFO or device is refused, never waited on).
 */
import fs from 'node:fs';
import { UsageError } from '../errors.ts';

export const maxTemplateBytes = 1024 * 1024;

export function readTemplateFile(file: string, flag: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`error reading ${flag} ${file}: not a regular file`);
    if (stat.size > maxTemplateBytes) throw new UsageError(`error reading ${flag} ${file}: larger than ${maxTemplateBytes} bytes`);
    return fs.readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? String(error));
    throw new UsageError(`error reading ${flag} ${file}: ${reason}`, { cause: error });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
