/**
 * Reads a response body into one buffer. `Response.arrayBuffer()` collects the body's chunks and
 * then copies them into a new buffer, so a 4 MiB range briefly takes 8 MiB and leaves 4 MiB of
 * garbage; reading the chunks straight into a buffer of the announced `Content-Length` avoids the
 * second copy.
 */
export async function readResponseBytes(response: Response, signal?: AbortSignal): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (response.body === null) return new Uint8Array(0);
  if (!(Number.isSafeInteger(declared) && declared >= 0)) return new Uint8Array(await response.arrayBuffer());
  let buffer: Uint8Array = Buffer.allocUnsafe(declared);
  let filled = 0;
  const reader = response.body.getReader();
  // Fetch does not always fail a pending read when the request is aborted after the last byte
  // arrived; cancelling the reader ends the read, and the abort is reported below.
  const cancel = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.byteLength > buffer.byteLength) {
        // More than announced (e.g. a decoded body): grow.
        const grown = Buffer.allocUnsafe(Math.max(filled + value.byteLength, buffer.byteLength * 2));
        grown.set(buffer.subarray(0, filled));
        buffer = grown;
      }
      buffer.set(value, filled);
      filled += value.byteLength;
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
  signal?.throwIfAborted();
  return filled === buffer.byteLength ? buffer : buffer.subarray(0, filled);
}
