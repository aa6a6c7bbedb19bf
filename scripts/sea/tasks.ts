/**
 * Running the build's steps: bounded parallelism, timing, and one line of output per thing done
 * (build output goes to stdout; it is what the user asked for).
 */
import { withLock as withLockFile } from '../cluster/lock.ts';
import { chmod, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

/** Runs `fn` over `items`, at most `limit` at once; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Concurrent compiles: each reads and writes a ~110 MB binary, mostly on one core. */
export const compileConcurrency = (): number =>
  Number(process.env['KUBECTL_PLUGINS_JOBS'] ?? '') || Math.max(2, availableParallelism());

export const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`;

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Runs `fn`, then logs `label` with the time it took (and `fn`'s note, when it returns one). */
export async function timed<T>(label: string, fn: () => Promise<T>, note?: (value: T) => string): Promise<T> {
  const started = Date.now();
  const value = await fn();
  const extra = note === undefined ? '' : `: ${note(value)}`;
  log(`${label} (${seconds(Date.now() - started)})${extra}`);
  return value;
}

/** Table rows, columns padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

/** Writes a file through a temporary name and a rename, so no reader sees it half-written. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, mode === undefined ? undefined : { mode });
  if (mode !== undefined) await chmod(tmp, mode);
  await rename(tmp, path);
}

/**
 * Runs `fn` holding an exclusive lock file: builds started at the same time in one checkout (by
 * several people or test runs) take turns instead of writing the same outputs at once. The lock
 * is the cluster scripts' one (a lock left by a dead process, or left empty by a crash, is taken over).
 */
export function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  return withLockFile(path, fn, { onWait: (pid) => log(`waiting for another build (pid ${pid}) to finish`) });
}
