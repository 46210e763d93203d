import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import {
  abortError,
  contentLengthOf,
  type ResponseBody,
  STALLED_RESPONSE_MS,
  stalledConnection,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./transport.js";

/**
 * A {@link Transport} on `node:http` and `node:https` (the default for `https:` URLs), with
 * keep-alive agents shared by every client, so sequential calls reuse one connection and parallel
 * calls a few. Request bodies are
 * written straight from the caller's bytes with a `Content-Length`; response bodies are read as
 * Node.js streams, undecoded (a file stored with `Content-Encoding: gzip` downloads as its stored
 * bytes). Redirects are not followed.
 */
export function createNodeTransport(stallMs: number = STALLED_RESPONSE_MS): Transport {
  return (request) => sendOnNode(request, stallMs);
}

/** Idle connections are closed after this long (earlier if the server announces a shorter time). */
const IDLE_SOCKET_MS = 5000;

let httpAgent: HttpAgent | undefined;
let httpsAgent: HttpsAgent | undefined;

function agentFor(secure: boolean): HttpAgent {
  if (secure) {
    httpsAgent ??= new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
    return httpsAgent;
  }
  httpAgent ??= new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  return httpAgent;
}

function sendOnNode(request: TransportRequest, stallMs: number): Promise<TransportResponse> {
  const { signal } = request;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const secure = request.url.protocol === "https:";
    let req: ClientRequest;
    try {
      req = (secure ? httpsRequest : httpRequest)(request.url, {
        method: request.method,
        headers: outgoingHeaders(request),
        agent: agentFor(secure),
      });
    } catch (error) {
      // Invalid header values and the like: nothing was sent.
      reject(error);
      return;
    }
    let response: IncomingMessage | undefined;
    // Errors after the response arrived also fail its body, which reports them to its reader.
    req.on("error", reject);
    req.setTimeout(stallMs, () => {
      const error = stalledConnection(stallMs);
      response?.destroy(error);
      req.destroy(error);
    });
    if (signal) {
      const onAbort = () => {
        const reason = abortError(signal);
        // Destroying the response first fails a body being read (destroying only the request
        // would discard the rest of the body silently).
        response?.destroy(reason);
        req.destroy(reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      req.once("close", () => signal.removeEventListener("abort", onAbort));
    }
    req.once("response", (res: IncomingMessage) => {
      response = res;
      try {
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? "",
          headers: responseHeaders(res.rawHeaders),
          body: new NodeResponseBody(res, hasBody(request.method, res.statusCode ?? 0)),
        });
      } catch (error) {
        req.destroy();
        reject(error);
      }
    });
    req.end(request.body);
  });
}

function outgoingHeaders(request: TransportRequest): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const length = contentLengthOf(request);
  if (length !== undefined) headers["content-length"] = length;
  return headers;
}

function responseHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.append(raw[i] as string, raw[i + 1] as string);
  }
  return headers;
}

/** Whether a response can carry a body (a HEAD response announces a length it does not send). */
function hasBody(method: string, status: number): boolean {
  return method !== "HEAD" && status !== 204 && status !== 304;
}

/** An `IncomingMessage` behind the {@link ResponseBody} interface. */
class NodeResponseBody implements ResponseBody {
  readonly #response: IncomingMessage;
  readonly #hasBody: boolean;

  constructor(response: IncomingMessage, hasBody: boolean) {
    this.#response = response;
    this.#hasBody = hasBody;
    // A body read later (or never) must not crash the process when its connection breaks
    // first: the error stays on the stream and is thrown by whoever reads it.
    response.on("error", () => undefined);
  }

  async text(): Promise<string> {
    const text = (await this.#collect()).toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  bytes(): Promise<Uint8Array> {
    return this.#collect();
  }

  chunks(): AsyncIterable<Uint8Array> {
    const response = this.#response;
    return { [Symbol.asyncIterator]: () => response[Symbol.asyncIterator]() };
  }

  webStream(): ReadableStream<Uint8Array> | null {
    return Readable.toWeb(this.#response) as ReadableStream<Uint8Array>;
  }

  async discard(): Promise<void> {
    // Reading to the end (rather than closing) lets the connection serve the next request.
    for await (const _ of this.#response) {
      // dropped
    }
  }

  /**
   * The whole body in one buffer: chunks are copied into a buffer of the announced
   * `Content-Length` as they arrive (no second copy of the whole body at the end).
   */
  async #collect(): Promise<Buffer> {
    const declared = this.#hasBody ? Number(this.#response.headers["content-length"] ?? Number.NaN) : 0;
    if (!(Number.isSafeInteger(declared) && declared >= 0)) {
      const chunks: Buffer[] = [];
      for await (const chunk of this.#response) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
    let buffer = Buffer.allocUnsafe(declared);
    let filled = 0;
    for await (const chunk of this.#response) {
      const bytes = chunk as Buffer;
      if (filled + bytes.byteLength > buffer.byteLength) {
        const grown = Buffer.allocUnsafe(Math.max(filled + bytes.byteLength, buffer.byteLength * 2));
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      bytes.copy(buffer, filled);
      filled += bytes.byteLength;
    }
    return filled === buffer.byteLength ? buffer : buffer.subarray(0, filled);
  }
}
