/** HTTP methods the File service uses. */
export type HttpMethod = "GET" | "HEAD" | "PUT" | "DELETE" | "POST";

/**
 * One HTTP request as the pipeline sends it. Credentials may change `url` (SAS) and `headers`
 * (SharedKey) just before each attempt; everything else is fixed when the request is built.
 */
export interface PipelineRequest {
  /** The HTTP method. */
  method: HttpMethod;
  /** The full URL, already percent-encoded, including the query string. */
  url: URL;
  /** Request headers (names are case-insensitive). */
  headers: Headers;
  /**
   * The request body. Always a byte array, so that a retry can send it again and the signer knows
   * its exact length.
   */
  body?: Uint8Array | undefined;
}

/** How the pipeline should hand back a successful response's body. */
export type ResponseBodyMode = "none" | "text" | "bytes" | "stream";

/** A successful (2xx) response. */
export interface PipelineResponse {
  /** The HTTP status code. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The body as text, when the request asked for `"text"`. */
  bodyText?: string;
  /** The body as bytes, when the request asked for `"bytes"`. */
  bodyBytes?: Uint8Array;
  /** The unread body, when the request asked for `"stream"`. */
  bodyStream?: ReadableStream<Uint8Array> | null;
}
