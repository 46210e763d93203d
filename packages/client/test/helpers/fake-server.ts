import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  /** Raw path and query exactly as sent (still percent-encoded). */
  rawUrl: string;
  /** Decoded-path-free helper: the URL parsed against the server origin. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a handler answers. `destroy: true` drops the connection without a response. */
export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  destroy?: boolean;
  delayMs?: number;
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** A tiny HTTP server on 127.0.0.1 that records requests and answers through a handler. */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted so far. */
  connections = 0;
  #server: Server | undefined;
  #handler: FakeHandler;
  origin = "";

  constructor(handler: FakeHandler) {
    this.#handler = handler;
  }

  /** Replaces the handler. */
  setHandler(handler: FakeHandler): void {
    this.#handler = handler;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", async () => {
        const recorded: RecordedRequest = {
          method: req.method ?? "",
          rawUrl: req.url ?? "",
          url: new URL(req.url ?? "/", this.origin),
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        this.requests.push(recorded);
        let answer: FakeResponse;
        try {
          answer = await this.#handler(recorded);
        } catch (error) {
          answer = { status: 500, body: String(error) };
        }
        if (answer.delayMs) {
          // Wait, but stop waiting when the client goes away, so no timer outlives the test.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, answer.delayMs);
            res.on("close", () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        if (answer.destroy) {
          req.socket.destroy();
          return;
        }
        const body = answer.body ?? "";
        res.writeHead(answer.status ?? 200, {
          "x-ms-request-id": `req-${this.requests.length}`,
          ...(answer.headers ?? {}),
        });
        res.end(req.method === "HEAD" ? undefined : body);
      });
    });
    this.#server.on("connection", () => {
      this.connections++;
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    const address = this.#server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
    return this;
  }

  /** The path-style account URL, `http://127.0.0.1:<port>/devstoreaccount1`. */
  get accountUrl(): string {
    return `${this.origin}/devstoreaccount1`;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

/** Starts a server for the duration of a callback. */
export async function withServer<T>(
  handler: FakeHandler,
  run: (server: FakeServer) => Promise<T>,
): Promise<T> {
  const server = await new FakeServer(handler).start();
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}
