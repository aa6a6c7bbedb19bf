/**
 * `-f http(s)://…`, as cli-runtime's URLVisitor reads it (readHttpWithRetries): a GET, up to 3
 * attempts one second apart while the server answers 5xx or cannot be reached; any other status
 * but 200 stops at once with kubectl's words (`unable to read URL "…", server reported 404 Not
 * Found, status code=404`). The body is capped like a file's and the wait ends with the run's
 * signal. Proxies from the environment are not used for these reads (README).
 */
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, UsageError } from '../errors.ts';

export const urlAttempts = 3;
export const urlRetryDelayMs = 1000;

export function isUrl(p: string): boolean {
  return p.startsWith('http://') || p.startsWith('https://');
}

export interface UrlReadOptions {
  signal?: AbortSignal | undefined;
  retryDelayMs?: number;
  /** Reads the body, capped (read-sources.ts). */
  readBody: (stream: NodeJS.ReadableStream, name: string) => Promise<string>;
}

/** Why a fetch failed, in a word a user knows (`connection refused`), not undici's "fetch failed". */
function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const words: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'no such host', ECONNRESET: 'connection reset by peer', ETIMEDOUT: 'i/o timeout' };
  return (cause?.code && words[cause.code]) || cause?.message || (error as Error)?.message || String(error);
}

export async function readUrl(url: string, options: UrlReadOptions): Promise<string> {
  let failure = '';
  for (let attempt = 0; attempt < urlAttempts; attempt++) {
    if (attempt > 0) await sleep(options.retryDelayMs ?? urlRetryDelayMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
    if (options.signal?.aborted) throw new InterruptedError(options.signal.reason);
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'follow', ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      if (options.signal?.aborted) throw new InterruptedError(options.signal.reason);
      failure = `unable to read URL ${JSON.stringify(url)}: ${reason(error)}`;
      continue;
    }
    if (res.status === 200 && res.body) return options.readBody(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), url);
    await res.body?.cancel().catch(() => undefined);
    failure = `unable to read URL ${JSON.stringify(url)}, server reported ${res.status} ${res.statusText}, status code=${res.status}`;
    if (res.status < 500 || res.status >= 600) break;
  }
  throw new UsageError(failure);
}
