/**
 * The real Transport: HTTPS to one API server with the kubeconfig's TLS and credentials,
 * keep-alive connections, `--request-timeout`, and `-v` logging. Non-2xx answers are returned
 * to the caller (they may be expected, e.g. 404 or 410); network failures become ConfigError.
 */
import http from 'node:http';
import https from 'node:https';
import { errorForNetwork } from './api-errors.ts';
import { createCredentials } from './credentials.ts';
import type { RestConfig } from './rest-config.ts';
import type { StreamingResponse, Transport, TransportRequest, TransportResponse } from './transport.ts';
import type { VerboseLog } from './verbose-log.ts';

export interface RestClientOptions {
  log?: VerboseLog;
  userAgent?: string;
}

class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms / 1000}s (--request-timeout)`);
    this.name = 'TimeoutError';
  }
}

export function createRestClient(config: RestConfig, options: RestClientOptions = {}): Transport {
  const url = new URL(config.server);
  const secure = url.protocol === 'https:';
  const credentials = createCredentials(config);
  const basePath = url.pathname.replace(/\/+$/, '');
  let agent: Promise<http.Agent> | undefined;
  const getAgent = () =>
    (agent ??= (async () => {
      if (!secure) return new http.Agent({ keepAlive: true });
      const tls = await credentials.tls();
      return new https.Agent({
        keepAlive: true,
        ca: config.ca,
        cert: config.cert ?? tls.cert,
        key: config.key ?? tls.key,
        rejectUnauthorized: !config.insecureSkipTlsVerify,
        servername: config.tlsServerName,
        maxSockets: 64,
      });
    })());

  async function open(req: TransportRequest, streaming: boolean): Promise<{ res: http.IncomingMessage; started: number; fullUrl: string; method: string }> {
    const method = req.method ?? 'GET';
    const fullUrl = `${url.origin}${basePath}${req.path}`;
    const headers: Record<string, string | string[]> = {
      'User-Agent': options.userAgent ?? 'kubectl-plugins',
      ...(await credentials.headers()),
      ...(req.headers ?? {}),
    };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    options.log?.request(method, fullUrl, headers);
    const started = performance.now();
    const transport = secure ? https : http;
    const requestAgent = await getAgent();
    return new Promise((resolve, reject) => {
      const request = transport.request(
        { protocol: url.protocol, hostname: url.hostname, port: url.port, path: `${basePath}${req.path}`, method, headers, agent: requestAgent, signal: req.signal },
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
      request.on('error', (error) => {
        clearTimeout(timer);
        if ((error as Error).name === 'AbortError') return reject(error);
        options.log?.failure(method, fullUrl, (error as NodeJS.ErrnoException).code ?? error.message, performance.now() - started);
        reject(errorForNetwork(config.server, error));
      });
      if (req.body !== undefined) request.write(req.body);
      request.end();
    });
  }

  return {
    serverName: url.host,
    async request(req) {
      const { res, started, fullUrl, method } = await open(req, false);
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of res) chunks.push(chunk as Buffer);
      } catch (error) {
        throw errorForNetwork(config.server, error);
      }
      options.log?.response(method, fullUrl, res.statusCode ?? 0, res.statusMessage ?? '', performance.now() - started, res.headers);
      return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) } satisfies TransportResponse;
    },
    async stream(req) {
      const { res, started, fullUrl, method } = await open(req, true);
      options.log?.response(method, fullUrl, res.statusCode ?? 0, res.statusMessage ?? '', performance.now() - started, res.headers);
      return { status: res.statusCode ?? 0, headers: res.headers, body: res as AsyncIterable<Buffer> } satisfies StreamingResponse;
    },
  };
}
