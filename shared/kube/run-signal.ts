/**
 * Reads stop with the run: a GET made through the factory's transport without a signal of its
 * own (discovery, access reviews' lookups) is aborted when the run's signal is (Ctrl-C,
 * SIGTERM), so nothing keeps an interrupted plugin waiting on a server that does not answer. A
 * request that brings its own signal keeps it (a leader releasing its lease after SIGTERM must
 * still reach the server), and writes are never bound: a create in flight finishes, so the run
 * knows what it made and can take it back.
 */
import type { Transport, TransportRequest } from './transport.ts';

export function withRunSignal(transport: Transport, signal: AbortSignal | undefined): Transport {
  if (!signal) return transport;
  const bind = (req: TransportRequest): TransportRequest => ((req.method ?? 'GET') !== 'GET' || req.signal ? req : { ...req, signal });
  return {
    serverName: transport.serverName,
    request: (req) => transport.request(bind(req)),
    stream: (req) => transport.stream(bind(req)),
  };
}
