import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";

/** A request as the raw server read it off the wire. */
export interface RawRequest {
  method: string;
  /** Path and query as sent. */
  target: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** Which connection it came on (1 for the first connection the server accepted). */
  connection: number;
}

/** Answers a request by writing raw bytes to the socket (or closing it, or not answering at all). */
export type RawHandler = (request: RawRequest, socket: Socket) => void;

/**
 * A TCP server that reads HTTP/1.1 requests (Content-Length bodies only) and lets each test answer
 * with exactly the bytes it wants: malformed heads, chunked bodies sent a byte at a time, early
 * closes. Counts connections, so tests can see which requests shared one.
 */
export class RawServer {
  readonly requests: RawRequest[] = [];
  connections = 0;
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  #handler: RawHandler;
  origin = "";

  constructor(handler: RawHandler) {
    this.#handler = handler;
    this.#server = createServer((socket) => this.#accept(socket));
  }

  setHandler(handler: RawHandler): void {
    this.#handler = handler;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    const connection = ++this.connections;
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => undefined);
    let pending = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        const [requestLine = "", ...lines] = pending.toString("latin1", 0, end).split("\r\n");
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(":");
          const name = line.slice(0, colon).toLowerCase();
          const value = line.slice(colon + 1).trim();
          headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
        }
        const length = Number(headers["content-length"] ?? 0);
        if (pending.length < end + 4 + length) return;
        const [method = "", target = ""] = requestLine.split(" ");
        const request = {
          method,
          target,
          headers,
          body: Buffer.from(pending.subarray(end + 4, end + 4 + length)),
          connection,
        };
        pending = pending.subarray(end + 4 + length);
        this.requests.push(request);
        this.#handler(request, socket);
      }
    });
  }
}

/** A complete response with a Content-Length body. */
export function response(status: number, body = "", headers: Record<string, string> = {}): string {
  const lines = Object.entries({ "content-length": String(Buffer.byteLength(body)), ...headers }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  return `HTTP/1.1 ${status} X\r\n${lines.join("")}\r\n${body}`;
}
