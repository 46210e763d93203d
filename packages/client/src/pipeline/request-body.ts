/**
 * How a request body is handed to fetch. Fetch copies byte-array bodies before sending them
 * (the Fetch standard says so); for the 4 MiB ranges of an upload that is a second 4 MiB buffer per
 * request, left as garbage. Bodies from {@link STREAMED_BODY_MIN_BYTES} on are therefore given as
 * a one-chunk stream over the caller's bytes, with an explicit `Content-Length` (so the request is
 * not sent chunked, which the File service refuses). The bytes are neither copied nor detached, so
 * a retry can send them again.
 */

/** Bodies at least this large are streamed from the caller's bytes instead of copied by fetch. */
export const STREAMED_BODY_MIN_BYTES = 64 * 1024;

/** The `body` (and, for streams, `duplex`) part of a fetch `RequestInit`. */
export interface FetchBody {
  /** The body to hand to fetch. */
  body?: BodyInit | undefined;
  /** `"half"` for a stream body, as fetch requires. */
  duplex?: "half" | undefined;
}

/**
 * The fetch body for `bytes`. For a streamed body it also sets `content-length` on `headers` (the
 * value the request is signed with).
 */
export function fetchBody(bytes: Uint8Array | undefined, headers: Headers): FetchBody {
  if (bytes === undefined) return {};
  // Any Uint8Array is a valid body; the DOM typings only want ones backed by an ArrayBuffer.
  if (bytes.byteLength < STREAMED_BODY_MIN_BYTES) return { body: bytes as BodyInit };
  headers.set("content-length", String(bytes.byteLength));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return { body: stream as BodyInit, duplex: "half" };
}
