/**
 * The proxy servers the proxy tests run: tinyproxy (HTTP CONNECT, with and without Basic auth)
 * and microsocks (SOCKS5), from Debian. `ensureProxyServers()` installs them when missing
 * (`apt-get update && apt-get install -y tinyproxy microsocks`, as root: CI and a fresh machine
 * have neither), once at a time across processes (a lock beside the cluster's).
 *
 *   node scripts/proxies/install.ts      # the same, by hand (npm run proxies)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { withLock } from '../cluster/lock.ts';
import { clusterPaths } from '../cluster/paths.ts';

const run = promisify(execFile);

export const proxyPackages = { tinyproxy: 'tinyproxy', microsocks: 'microsocks' } as const;
export type ProxyServer = keyof typeof proxyPackages;

/** The executable's path, or undefined when it is not installed. */
export function findServer(name: ProxyServer): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Installs what is missing; returns the executables. Throws with apt's last lines if it cannot. */
export async function ensureProxyServers(log: (line: string) => void = () => {}): Promise<Record<ProxyServer, string>> {
  const missing = () => (Object.keys(proxyPackages) as ProxyServer[]).filter((n) => !findServer(n));
  if (missing().length > 0) {
    await withLock(path.join(clusterPaths().cache, 'proxies-install.lock'), async () => {
      const still = missing();
      if (still.length === 0) return;
      const packages = still.map((n) => proxyPackages[n]);
      log(`installing ${packages.join(' ')} (apt-get)`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      try {
        await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
        await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const e = error as Error & { stderr?: string };
        throw new Error(`apt-get install ${packages.join(' ')} failed (root needed): ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' / ')}`, { cause: error });
      }
    }, { timeoutMs: 15 * 60_000 });
  }
  const found = Object.fromEntries((Object.keys(proxyPackages) as ProxyServer[]).map((n) => [n, findServer(n)]));
  for (const [name, file] of Object.entries(found)) if (!file) throw new Error(`${name} is still missing after apt-get install`);
  return found as Record<ProxyServer, string>;
}

if (import.meta.main) {
  ensureProxyServers((line) => process.stderr.write(`${line}\n`)).then(
    (found) => process.stdout.write(`${Object.entries(found).map(([n, f]) => `${n}: ${f}`).join('\n')}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
