/**
 * A web `ReadableStream` body (from fetch) as an async iterable of chunks; leaving the loop early
 * cancels the body, and so does `signal` (a read waiting then ends as if the body had ended: fetch
 * does not always fail a body's pending read when its request is aborted after the last byte
 * arrived).
 *
 * The body is locked at once, not when the loop starts: fetch cancels the unread, unlocked body of
 * a `Response` that has been garbage-collected, and a range requested ahead may wait a while for
 * its turn after its `Response` object is gone.
 */
export function webBodyChunks(
  stream: ReadableStream<Uint8Array> | null | undefined,
  signal?: AbortSignal,
): AsyncIterable<Uint8Array> {
  const reader = stream?.getReader();
  return {
    async *[Symbol.asyncIterator]() {
      if (!reader) return;
      let done = false;
      const cancel = () => void reader.cancel(signal?.reason).catch(() => undefined);
      if (signal?.aborted) cancel();
      else signal?.addEventListener("abort", cancel, { once: true });
      try {
        for (;;) {
          const result = await reader.read();
          if (result.done) {
            done = true;
            return;
          }
          yield result.value;
        }
      } finally {
        signal?.removeEventListener("abort", cancel);
        if (!done) await reader.cancel().catch(() => undefined);
        reader.releaseLock();
      }
    },
  };
}
