/**
 * A minimal HTTPS client for the local API server, authenticated with the admin client
 * certificate. `up` uses it for /readyz, creating the fake Nodes and checking they are Ready,
 * without spawning kubectl for each step.
 */
import fs from 'node:fs';
import https from 'node:https';

export interface ApiTarget {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface ApiResponse {
  status: number;
  body: string;
}

export function apiRequest(target: ApiTarget, method: string, path: string, body?: unknown, timeoutMs = 5_000): Promise<ApiResponse> {
  const url = new URL(path, target.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: fs.readFileSync(target.caFile),
        cert: fs.readFileSync(target.certFile),
        key: fs.readFileSync(target.keyFile),
        headers: payload === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** GET `path` and parse JSON; undefined for 404. Throws on other non-2xx statuses. */
export async function apiGet<T>(target: ApiTarget, path: string): Promise<T | undefined> {
  const res = await apiRequest(target, 'GET', path);
  if (res.status === 404) return undefined;
  if (res.status < 200 || res.status >= 300) throw new Error(`GET ${path}: HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body) as T;
}

/** Plain GET of a health endpoint that may use a self-signed certificate (controller-manager, scheduler). */
export function healthz(url: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(url, { rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
