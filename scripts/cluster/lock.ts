/**
 * A lock file in the cache directory so only one process at a time builds, starts or stops the
 * cluster (several ava workers may call `ensureCluster()` at once). The file holds the owner's pid;
 * a lock whose owner is gone is stale and taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterError } from './errors.ts';
import { isAlive } from './processes.ts';

export interface LockOptions {
  /** Give up after this long (default 60 min: the other process may be running a cold build). */
  timeoutMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (ownerPid: number) => void;
}

/** Runs `fn` while holding the lock at `lockPath`. Re-entrant within one process. */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  if (held.has(lockPath)) return fn();
  await acquire(lockPath, options);
  held.add(lockPath);
  try {
    return await fn();
  } finally {
    held.delete(lockPath);
    release(lockPath);
  }
}

const held = new Set<string>();

async function acquire(lockPath: string, options: LockOptions): Promise<void> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lockPath);
    if (owner === undefined) {
      // Either just created and not yet written, or left empty by a crash long ago.
      if (ageMs(lockPath) > 5_000) removeIfOwner(lockPath, undefined);
      await sleep(50);
      continue;
    }
    if (!isAlive(owner)) {
      // The owner died without releasing: remove its file, unless another waiter beat us to it.
      removeIfOwner(lockPath, owner);
      continue;
    }
    if (!announced) {
      options.onWait?.(owner);
      announced = true;
    }
    if (Date.now() > deadline) {
      throw new ClusterError(`timed out waiting for the cluster lock held by pid ${owner}`, {
        hint: `if that process is stuck, stop it or remove ${lockPath}`,
      });
    }
    await sleep(250);
  }
}

function release(lockPath: string): void {
  removeIfOwner(lockPath, process.pid);
}

function readOwner(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function removeIfOwner(lockPath: string, owner: number | undefined): void {
  if (readOwner(lockPath) !== owner) return;
  try {
    fs.unlinkSync(lockPath);
  } catch {
    // Already gone.
  }
}
