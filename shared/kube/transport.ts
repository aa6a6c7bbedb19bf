/**
 * The one seam between the shared core and the network: every HTTP request to the API server
 * goes through a Transport. The real one (rest-client.ts) speaks HTTPS with the kubeconfig's
 * credentials and logs at -v=6; unit tests pass an in-process fake.
 */
export interface TransportRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute path with query string, e.g. `/api/v1/namespaces/default/pods?limit=500`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Abort the request (and a streaming body) early. */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface StreamingResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it arrives; ends when the server closes it or the signal aborts. */
  body: AsyncIterable<Buffer>;
}

export interface Transport {
  /** A stable name for the server (host:port), used for per-server caches. */
  readonly serverName: string;
  request(req: TransportRequest): Promise<TransportResponse>;
  /** For watches: the response body streamed as chunks. */
  stream(req: TransportRequest): Promise<StreamingResponse>;
}
