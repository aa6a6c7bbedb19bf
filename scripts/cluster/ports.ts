/**
 * Ports on 127.0.0.1. The cluster binds loopback only; free ports are found by letting the kernel
 * pick one (listen on port 0) so two clusters, or a cluster and anything else, never collide.
 */
import net from 'node:net';
import { ClusterError } from './errors.ts';

export const loopback = '127.0.0.1';

/** `count` distinct free ports on 127.0.0.1 (held open together so they cannot repeat). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, loopback, () => resolve());
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** True if something already listens on 127.0.0.1:port. */
export async function portInUse(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise<boolean>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(true);
      else reject(error);
    });
    server.listen(port, loopback, () => server.close(() => resolve(false)));
  });
}

/** Throws the one-line "port in use" error if `port` is taken; `owner` names who wanted it. */
export async function assertPortFree(port: number, owner: string, hint?: string): Promise<void> {
  if (await portInUse(port)) {
    throw new ClusterError(`port ${port} on ${loopback} is in use (wanted by ${owner})`, {
      hint: hint ?? `stop whatever listens there (e.g. \`ss -ltnp 'sport = :${port}'\`) and retry`,
    });
  }
}

/** Parses a port from an environment variable, or undefined if unset. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ClusterError(`${name}=${raw} is not a port number (1-65535)`);
  }
  return port;
}
