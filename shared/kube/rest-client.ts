/**
 * The real Transport: HTTP(S) to one API server with the kubeconfig's TLS and credentials,
 * keep-alive connections, an optional proxy (proxy.ts), gzip unless the cluster has
 * disable-compression, `--request-timeout`, and `-v` logging. Non-2xx answers are returned to
 * the caller (they may be expected, e.g. 404 or 410), except that a 401 to an exec plugin's
 * credential is retried once with a renewed one; network failures become ConfigError.
 */
import type http from 'node:http';
import type https from 'node:https';
import type { Readable } from 'node:stream';
import { ConfigError } from '../errors.ts';
import { realClock, type Clock } from '../time/clock.ts';
import { errorForNetwork } from './api-errors.ts';
import { createCredentials, type AuthAttempt } from './credentials.ts';
import { redactProxyUrl, redactUrl } from './redact-url.ts';
import { createTlsOptions } from './tls-options.ts';
import { proxyFor, type ProxyChoice } from './proxy.ts';
import { createProxyAgent } from './proxy-agent.ts';
import type { RestConfig } from './rest-config.ts';
import type { StreamingResponse, Transport, TransportRequest, TransportResponse } from './transport.ts';
import type { VerboseLog } from './verbose-log.ts';

export interface RestClientOptions {
  log?: VerboseLog;
  userAgent?: string;
  /** For HTTPS_PROXY / NO_PROXY and exec plugins; default process.env. */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
}

class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms / 1000}s (--request-timeout)`);
    this.name = 'TimeoutError';
  }
}

interface Opened {
  res: http.IncomingMessage;
  started: number;
  fullUrl: string;
  method: string;
}

export function createRestClient(config: RestConfig, options: RestClientOptions = {}): Transport {
  const url = new URL(config.server);
  const secure = url.protocol === 'https:';
  const env = options.env ?? process.env;
  const credentials = createCredentials(config, { ...(options.env ? { env: options.env } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  const basePath = url.pathname.replace(/\/+$/, '');
  const proxy = proxyFor(url, config.proxyUrl, env);
  if (proxy && !['http:', 'https:', 'socks5:', 'socks5h:'].includes(proxy.url.protocol)) {
    throw new ConfigError(`unsupported proxy scheme "${proxy.url.protocol.replace(/:$/, '')}" in ${proxy.source} ${redactProxyUrl(proxy.url.href)}`, { hint: 'use http://, https:// or socks5://' });
  }

  // One agent per client certificate: when an exec plugin or a renewed file brings a new one,
  // new connections use it and the old agent's idle connections are closed.
  let agent: { cert: Buffer | undefined; key: Buffer | undefined; agent: Promise<http.Agent> } | undefined;
  // TLS 1.2 at least, on a secure context we build (no key material in agent pool names).
  const tlsFor = createTlsOptions({ ca: config.ca, insecureSkipTlsVerify: config.insecureSkipTlsVerify, tlsServerName: config.tlsServerName });
  const agentFor = (auth: AuthAttempt): Promise<http.Agent> => {
    if (agent && agent.cert === auth.cert && agent.key === auth.key) return agent.agent;
    if (agent) void agent.agent.then(retire, () => {});
    const created = proxy ? createProxyAgent(proxy.url, { ca: config.ca, rejectUnauthorized: !config.insecureSkipTlsVerify }) : Promise.resolve(secure ? new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true, maxSockets: 64 }) : new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true }));
    agent = { cert: auth.cert, key: auth.key, agent: created };
    openAgents.add(created);
    return created;
  };

  async function send(req: TransportRequest, auth: AuthAttempt, streaming: boolean): Promise<Opened> {
    const method = req.method ?? 'GET';
    const fullUrl = `${url.origin}${basePath}${req.path}`;
    const headers: Record<string, string | string[]> = {
      'User-Agent': options.userAgent ?? 'kubectl-plugins',
      ...(config.disableCompression ? {} : { 'Accept-Encoding': 'gzip' }),
      ...auth.headers,
      ...(req.headers ?? {}),
    };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    options.log?.request(method, fullUrl, headers);
    const started = realClock.now();
    const transport = secure ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    const requestAgent = await agentFor(auth);
    return new Promise((resolve, reject) => {
      const tlsOptions: https.RequestOptions = secure ? tlsFor({ cert: auth.cert, key: auth.key }) : {};
      const request = transport.request(
        { protocol: url.protocol, hostname: url.hostname, port: url.port, path: `${basePath}${req.path}`, method, headers, agent: requestAgent, signal: req.signal, ...tlsOptions },
        (res) => {
          // --request-timeout bounds a whole request, but only the wait for a watch's headers.
          if (streaming) clearTimeout(timer);
          else res.on('close', () => clearTimeout(timer));
          resolve({ res, started, fullUrl, method });
        },
      );
      let timer: NodeJS.Timeout | undefined;
      if (config.requestTimeoutMs > 0) {
        timer = setTimeout(() => request.destroy(new RequestTimeoutError(config.requestTimeoutMs)), config.requestTimeoutMs);
      }
      // A proxy that refuses the CONNECT (407, 403, 502…) answers in place of the server: that is
      // a failure to reach the cluster, not the API server's answer.
      request.once('proxyConnect', (connect: { statusCode?: number; statusText?: string }) => {
        if (connect.statusCode !== 200) request.destroy(new ProxyRefusedError(connect.statusCode ?? 0, connect.statusText ?? ''));
      });
      request.on('error', (error) => {
        clearTimeout(timer);
        if ((error as Error).name === 'AbortError') return reject(error);
        options.log?.failure(method, fullUrl, (error as NodeJS.ErrnoException).code ?? error.message, realClock.now() - started);
        reject(networkError(error, proxy));
      });
      if (req.body !== undefined) request.write(req.body);
      request.end();
    });
  }

  /** Sends; a 401 to an exec credential renews it and sends once more. */
  async function open(req: TransportRequest, streaming: boolean): Promise<Opened> {
    const auth = await credentials.attempt();
    const first = await send(req, auth, streaming);
    if (first.res.statusCode !== 401 || !(await credentials.renew(auth))) return first;
    options.log?.response(first.method, first.fullUrl, 401, first.res.statusMessage ?? '', realClock.now() - first.started, first.res.headers);
    first.res.resume();
    return send(req, await credentials.attempt(), streaming);
  }

  return {
    serverName: url.host,
    async request(req) {
      const { res, started, fullUrl, method } = await open(req, false);
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of decoded(res)) chunks.push(chunk as Buffer);
      } catch (error) {
        // Stopped by us (Ctrl-C), not by the network: say so, not "unreachable".
        if (req.signal?.aborted) throw req.signal.reason instanceof Error ? req.signal.reason : new DOMException('The operation was aborted', 'AbortError');
        throw errorForNetwork(config.server, error);
      }
      options.log?.response(method, fullUrl, res.statusCode ?? 0, res.statusMessage ?? '', realClock.now() - started, res.headers);
      return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) } satisfies TransportResponse;
    },
    async stream(req) {
      const { res, started, fullUrl, method } = await open(req, true);
      options.log?.response(method, fullUrl, res.statusCode ?? 0, res.statusMessage ?? '', realClock.now() - started, res.headers);
      return { status: res.statusCode ?? 0, headers: res.headers, body: decoded(res) as AsyncIterable<Buffer> } satisfies StreamingResponse;
    },
  };

  function networkError(error: unknown, via: ProxyChoice | undefined): ConfigError {
    if (error instanceof ProxyRefusedError) {
      return new ConfigError(`unable to connect to the server ${redactUrl(config.server)}: proxy ${redactProxyUrl(via!.url.href)} (${via!.source}) refused the connection: ${error.message}`, {
        cause: error,
        ...(error.status === 407 || error.status === 401 ? { hint: 'the proxy wants credentials (or others): http://USER:PASSWORD@HOST:PORT' } : {}),
      });
    }
    const base = errorForNetwork(config.server, error);
    if (!via) return base;
    // Say which proxy was in the way (its password masked), as Go's "proxyconnect tcp: …".
    return new ConfigError(`${base.message} (through proxy ${redactProxyUrl(via.url.href)} from ${via.source})`, { cause: error, hint: `check the proxy, or NO_PROXY${via.source === 'proxy-url' ? ' (ignored with proxy-url)' : ''}` });
  }
}

class ProxyRefusedError extends Error {
  readonly status: number;
  constructor(status: number, text: string) {
    super(`${status}${text ? ` ${text}` : ''}`);
    this.name = 'ProxyRefusedError';
    this.status = status;
  }
}

/** The body, gunzipped when the server compressed it (Go's transport does this transparently). */
function decoded(res: http.IncomingMessage): Readable {
  if (res.headers['content-encoding'] !== 'gzip') return res;
  const gunzip = process.getBuiltinModule('node:zlib').createGunzip();
  res.on('error', (error) => gunzip.destroy(error));
  return res.pipe(gunzip);
}

/** Every agent a client of this process made, until closeConnections() closes it. */
const openAgents = new Set<Promise<http.Agent>>();

/**
 * Closes every connection the clients of this process keep open, idle or not: called when a run
 * ends, so the process exits on its own whatever the runtime does with an idle socket (Bun kept
 * the outer socket of a TLS tunnel through an https proxy referenced, and the process running).
 */
export async function closeConnections(): Promise<void> {
  const agents = [...openAgents];
  openAgents.clear();
  for (const created of agents) (await created.catch(() => undefined))?.destroy();
}

/**
 * An agent no longer used: its idle connections close now, busy ones when they finish (an agent
 * destroys a freed socket once it holds `maxFreeSockets` idle ones).
 */
function retire(old: http.Agent): void {
  old.maxFreeSockets = 0;
  for (const sockets of Object.values(old.freeSockets)) for (const s of sockets ?? []) s.destroy();
}
