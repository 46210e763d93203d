import { fetchBody } from "./request-body.js";
import { readResponseBytes } from "./response-bytes.js";
import type { ResponseBody, Transport, TransportRequest, TransportResponse } from "./transport.js";
import { webBodyChunks } from "./web-body-chunks.js";

/** The subset of the platform `fetch` the pipeline needs; pass your own for proxies or tests. */
export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

/**
 * A {@link Transport} over a `fetch` function. Redirects are not followed; bodies of 64 KiB and
 * more are passed as a stream with a `content-length` header (see `request-body.ts`).
 */
export function createFetchTransport(fetchImpl: FetchLike): Transport {
  return async (request: TransportRequest): Promise<TransportResponse> => {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      ...fetchBody(request.body, request.headers),
      redirect: "manual",
    };
    if (request.signal) init.signal = request.signal;
    const response = await fetchImpl(request.url, init);
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: new FetchResponseBody(response, request.signal),
    };
  };
}

/**
 * A fetch `Response` body behind the {@link ResponseBody} interface. It keeps the `Response` itself
 * reachable: fetch cancels the unread body of a `Response` that has been garbage-collected, and a
 * range requested ahead may wait a while before its body is read.
 */
class FetchResponseBody implements ResponseBody {
  readonly #response: Response;
  readonly #signal: AbortSignal | undefined;

  constructor(response: Response, signal: AbortSignal | undefined) {
    this.#response = response;
    this.#signal = signal;
  }

  text(): Promise<string> {
    return this.#response.text();
  }

  bytes(): Promise<Uint8Array> {
    return readResponseBytes(this.#response, this.#signal);
  }

  chunks(): AsyncIterable<Uint8Array> {
    return webBodyChunks(this.#response.body, this.#signal);
  }

  webStream(): ReadableStream<Uint8Array> | null {
    return this.#response.body;
  }

  async discard(): Promise<void> {
    await this.#response.body?.cancel().catch(() => undefined);
  }
}
