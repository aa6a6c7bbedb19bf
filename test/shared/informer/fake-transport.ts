/**
 * An in-process Transport for informer tests: LIST answers are scripted per call, and every
 * WATCH opens a FakeWatch the test drives (send events, end, fail) or a scripted error answer.
 */
import type { StreamingResponse, Transport, TransportRequest, TransportResponse } from '../../../shared/kube/transport.ts';

export type ListReply = { status?: number; body: unknown } | Error;
export type WatchReply = { status: number; body: unknown } | Error;

/** One open watch: what was asked, and controls for the body. */
export class FakeWatch {
  readonly path: string;
  readonly signal: AbortSignal | undefined;
  readonly query: URLSearchParams;
  #chunks: Array<Buffer | Error | null> = [];
  #wake: (() => void) | undefined;
  closed = false;

  constructor(req: TransportRequest) {
    this.path = req.path;
    this.signal = req.signal;
    this.query = new URLSearchParams(req.path.split('?')[1] ?? '');
    req.signal?.addEventListener('abort', () => this.#push(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })), { once: true });
  }

  /** Sends watch events, one per line, in one chunk. */
  send(...events: Array<{ type: string; object: unknown }>): void {
    this.raw(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  raw(text: string): void {
    this.#push(Buffer.from(text));
  }

  /** The server closes the stream normally. */
  end(): void {
    this.#push(null);
  }

  /** The connection breaks. */
  fail(error: Error = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })): void {
    this.#push(error);
  }

  #push(chunk: Buffer | Error | null): void {
    this.#chunks.push(chunk);
    this.#wake?.();
  }

  async *body(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        while (this.#chunks.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        const chunk = this.#chunks.shift()!;
        if (chunk === null) return;
        if (chunk instanceof Error) throw chunk;
        yield chunk;
      }
    } finally {
      this.closed = true;
    }
  }
}

export class FakeTransport implements Transport {
  readonly serverName = 'fake:443';
  /** Answers for the next LIST requests, in order; when empty, `defaultList` answers. */
  readonly listReplies: ListReply[] = [];
  defaultList: ListReply | undefined;
  /** Answers for the next WATCH requests, in order; when empty, a FakeWatch opens. */
  readonly watchReplies: WatchReply[] = [];
  readonly listPaths: string[] = [];
  readonly watches: FakeWatch[] = [];
  /** Every WATCH request path, the failed ones included. */
  readonly watchPaths: string[] = [];

  async request(req: TransportRequest): Promise<TransportResponse> {
    this.listPaths.push(req.path);
    const reply = this.listReplies.shift() ?? this.defaultList;
    if (reply === undefined) throw new Error(`FakeTransport: no LIST reply scripted for ${req.path}`);
    if (reply instanceof Error) throw reply;
    return { status: reply.status ?? 200, headers: {}, body: Buffer.from(JSON.stringify(reply.body)) };
  }

  async stream(req: TransportRequest): Promise<StreamingResponse> {
    this.watchPaths.push(req.path);
    const reply = this.watchReplies.shift();
    if (reply instanceof Error) throw reply;
    if (reply !== undefined) {
      const body = Buffer.from(JSON.stringify(reply.body));
      return { status: reply.status, headers: {}, body: (async function* () { yield body; })() };
    }
    const watch = new FakeWatch(req);
    this.watches.push(watch);
    return { status: 200, headers: {}, body: watch.body() };
  }

  /** The watch opened last. */
  get watch(): FakeWatch {
    const w = this.watches.at(-1);
    if (!w) throw new Error('FakeTransport: no watch open');
    return w;
  }
}

/** A Status body as the API server sends it. */
export function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}

/** A list page. */
export function page(resourceVersion: string, items: unknown[], continueToken?: string): { body: unknown } {
  return { body: { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) }, items } };
}

/** Lets pending promises and stream reads run (several macrotask turns). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
