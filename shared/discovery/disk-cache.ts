/**
 * The discovery disk cache: one directory per server, holding the two discovery documents
 * (`api.json`, `apis.json`) each with the ETag the server sent. It lives in our own subfolder of
 * kubectl's cache dir (`<cache>/kubectl-plugins/discovery/<host_port>/`), so kubectl's own
 * `discovery/` files are never read or written.
 *
 * Like kubectl's CachedDiscoveryClient (client-go discovery/cached/disk): an entry is fresh for
 * a TTL measured from its file's mtime; writes go to a temp file in the same directory and are
 * renamed over the old one, so a reader never sees half a document. A stale entry with an ETag
 * can be revalidated: on `304 Not Modified` the caller calls `touch()` and keeps using it.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { realClock, type Clock } from '../time/clock.ts';
import type { DocumentName, GroupDiscoveryList } from './aggregated.ts';

/** kubectl's discovery TTL (`--cache-dir` docs: 6 hours). */
export const DEFAULT_TTL_MS = 6 * 60 * 60 * 1000;


export interface CacheEntry {
  etag?: string | undefined;
  document: GroupDiscoveryList;
}

export interface CachedRead extends CacheEntry {
  /** Younger than the TTL: use without asking the server. */
  fresh: boolean;
}

export interface DiscoveryCache {
  /** The per-server directory. */
  readonly dir: string;
  /** The entry, or undefined when missing or unreadable (a corrupt file is a miss, not an error). */
  read(name: DocumentName): Promise<CachedRead | undefined>;
  /** Atomically replaces the entry and stamps it with the clock's time. */
  write(name: DocumentName, entry: CacheEntry): Promise<void>;
  /** Marks an entry fresh again (after a 304). */
  touch(name: DocumentName): Promise<void>;
}

export interface DiskCacheOptions {
  clock?: Clock;
  ttlMs?: number;
}

/** kubectl's cache root (the `--cache-dir` default): `$KUBECACHEDIR`, else `~/.kube/cache`. */
export function defaultCacheRoot(env: Record<string, string | undefined> = process.env, home: string = homedir()): string {
  const fromEnv = env['KUBECACHEDIR'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(home, '.kube', 'cache');
}

/**
 * Our directory for one server: `<cacheRoot>/kubectl-plugins/discovery/<host_port>`. The server
 * name is sanitized like kubectl's computeDiscoverCacheDir (anything but word characters and
 * dots becomes `_`), and never escapes the folder.
 */
export function discoveryCacheDir(cacheRoot: string, serverName: string): string {
  let safe = serverName.replace(/^[a-z]+:\/\//i, '').replace(/[^\w.]/g, '_');
  if (/^\.*$/.test(safe)) safe = `_${safe}`;
  return join(cacheRoot, 'kubectl-plugins', 'discovery', safe);
}

export function createDiskCache(dir: string, options: DiskCacheOptions = {}): DiscoveryCache {
  const clock = options.clock ?? realClock;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const fileOf = (name: DocumentName) => join(dir, `${name}.json`);

  return {
    dir,

    async read(name) {
      const file = fileOf(name);
      try {
        // Read synchronously: a few KiB, and node:fs/promises (with the readline modules it loads)
        // would cost more start-up than the read. Writes, after a request, use it.
        const info = statSync(file);
        const text = readFileSync(file, 'utf8');
        const parsed = JSON.parse(text) as Partial<CacheEntry>;
        const document = parsed.document;
        if (document === undefined || document.kind !== 'APIGroupDiscoveryList' || !Array.isArray(document.items)) {
          return undefined;
        }
        const age = clock.wallMs() - info.mtimeMs;
        return {
          etag: typeof parsed.etag === 'string' ? parsed.etag : undefined,
          document,
          fresh: age < ttlMs,
        };
      } catch {
        return undefined;
      }
    },

    async write(name, entry) {
      const { mkdir, rename, rm, utimes, writeFile } = process.getBuiltinModule('node:fs/promises');
      await mkdir(dir, { recursive: true, mode: 0o750 });
      const file = fileOf(name);
      const temp = join(dir, `.${name}.json.${process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex')}.tmp`);
      const body = JSON.stringify(entry.etag === undefined ? { document: entry.document } : entry);
      try {
        await writeFile(temp, body, { mode: 0o660, flag: 'wx' });
        // Stamp before the rename: the TTL counts from the clock, and rename keeps the mtime.
        const now = clock.date();
        await utimes(temp, now, now);
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async touch(name) {
      const now = clock.date();
      await process.getBuiltinModule('node:fs/promises').utimes(fileOf(name), now, now);
    },
  };
}
