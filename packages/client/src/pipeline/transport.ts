/**
 * What the pipeline needs from an HTTP client: send one request, hand back the status, the headers
 * and a body that can be read in the way the caller wants. By default requests go out on
 * `node:http` / `node:https` with keep-alive agents (`node-transport.ts`); a `fetch` function given
 * in the pipeline options is used through `fetch-transport.ts` instead.
 */

/**
 * A connection that receives nothing for this long while a response is awaited (or read) is
 * closed and the request fails as a network failure, as the platform `fetch` does (its default
 * headers and body timeouts).
 */
export const STALLED_RESPONSE_MS = 300_000;

/** The error of a request whose connection received nothing for `ms` milliseconds. */
export function stalledConnection(ms: number): Error {
  return Object.assign(new Error(`The server sent nothing for ${ms / 1000} s; the connection was closed.`), {
    code: "ETIMEDOUT",
  });
}

/** The error a transport fails with when the request's signal fired: its reason, if that is an error. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
}

/** Methods whose requests carry a `Content-Length` even without a body, as fetch sends them. */
const LENGTH_ALWAYS = new Set(["PUT", "POST", "PATCH"]);

/** The `Content-Length` a request goes with (`undefined`: none, for bodiless GET, HEAD, DELETE). */
export function contentLengthOf(request: TransportRequest): number | undefined {
  if (request.body !== undefined) return request.body.byteLength;
  return LENGTH_ALWAYS.has(request.method) ? 0 : undefined;
}

/** One attempt of a request, ready to go on the wire (signed, every header set). */
export interface TransportRequest {
  /** The HTTP method. */
  method: string;
  /** The URL exactly as sent. */
  url: URL;
  /** The request headers; the transport adds `content-length` for a body, and may add `host`. */
  headers: Headers;
  /** The request body, sent with a `Content-Length` (never chunked). */
  body: Uint8Array | undefined;
  /**
   * Stops the request: before the response, the returned promise rejects; after it, reading the
   * body fails (or, for {@link ResponseBody.chunks}, ends early).
   */
  signal: AbortSignal | undefined;
}

/** A response whose headers have arrived. Read its body once, in one of the ways offered. */
export interface TransportResponse {
  /** The HTTP status code. */
  status: number;
  /** The reason phrase ("" when the server sent none). */
  statusText: string;
  /** The response headers. */
  headers: Headers;
  /** The unread body. */
  body: ResponseBody;
}

/** A response body read as it arrives. */
export interface StreamedBody {
  /**
   * The body as chunks, as they arrive from the network. Each chunk belongs to the reader. Leaving
   * the loop early closes the connection.
   */
  chunks(): AsyncIterable<Uint8Array>;
}

/** A response body, read once by one of these methods. */
export interface ResponseBody extends StreamedBody {
  /** The whole body as UTF-8 text (a leading byte order mark is dropped). */
  text(): Promise<string>;
  /** The whole body in one buffer. */
  bytes(): Promise<Uint8Array>;
  /** The body as a web `ReadableStream` (`null` when there is none). */
  webStream(): ReadableStream<Uint8Array> | null;
  /** Reads and drops the body; resolves when it has ended (so the connection can be reused). */
  discard(): Promise<void>;
}

/** Sends one request; rejects when no response arrives (network failure, abort). */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;
