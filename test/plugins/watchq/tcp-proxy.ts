/**
 * A TCP proxy in front of the API server, so a test can break a client's connections
 * (`cut`), refuse new ones (`down`), let them through again (`up`), or stop forwarding while
 * every connection stays open (`freeze`, as a network partition looks to the client) and resume
 * (`thaw`), without touching the cluster other tests share. TLS passes through untouched.
 */
import net from 'node:net';

export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  #frozen = false;
  port = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Listens (again) on the same port as before, or a free one the first time. */
  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.#target.port, this.#target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.once('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      this.#forward(client, upstream);
      this.#forward(upstream, client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  /** What arrived while frozen, per destination, sent on thaw. */
  readonly #held = new Map<net.Socket, Buffer[]>();

  #forward(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.#frozen) this.#held.set(to, [...(this.#held.get(to) ?? []), chunk]);
      else to.write(chunk);
    });
  }

  /** Stops forwarding in both directions; connections stay open and new ones hang. */
  freeze(): void {
    this.#frozen = true;
  }

  thaw(): void {
    this.#frozen = false;
    for (const [to, chunks] of this.#held) if (!to.destroyed) for (const chunk of chunks) to.write(chunk);
    this.#held.clear();
  }

  /** Resets every open connection (the client sees ECONNRESET). */
  cut(): void {
    for (const s of this.#sockets) s.resetAndDestroy();
  }

  /** Stops listening (new connections are refused) and cuts the open ones. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
