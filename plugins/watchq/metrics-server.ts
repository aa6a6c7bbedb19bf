/**
 * `--metrics-addr HOST:PORT`: Prometheus text at /metrics (prom-client): the work queue's
 * metrics (workqueue_*), the informer's (informer_*), watchq's handler counts (watchq_*) and
 * the process's defaults. Started before anything else so that a port in use fails at once:
 * exit 2, since the flag's value is what the user has to change.
 */
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { UsageError } from '../../shared/errors.ts';
import type { ListenAddress } from './options.ts';
import type { Summary } from './output.ts';

export interface MetricsServer {
  /** `http://127.0.0.1:9090/metrics` (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/** A registry with the process metrics and watchq's handler counts (read from `summary()`). */
export function createWatchqRegistry(summary: () => Summary): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Counter({
    name: 'watchq_handler_results_total',
    help: 'Handler runs by result: synced, deleted (success), retried, dropped (failure)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const s = summary();
      for (const result of ['synced', 'deleted', 'retried', 'dropped'] as const) this.inc({ result }, s[result]);
    },
  });
  return registry;
}

export async function startMetricsServer(address: ListenAddress, registry: Registry): Promise<MetricsServer> {
  const server = process.getBuiltinModule('node:http').createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (error: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${error.message}\n`),
    );
  });
  const shown = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE' ? 'address already in use' : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? 'no such local address' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new UsageError(`--metrics-addr ${shown}: cannot listen: ${reason}`, { cause: error, hint: 'choose another HOST:PORT (port 0 picks a free one)' }));
    });
    server.listen({ port: address.port, ...(address.host ? { host: address.host } : {}) }, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = address.host || 'localhost';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
