import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import type { StreamedBody } from "./pipeline/transport.js";

/** A ranged GET whose headers have arrived and whose body has not been read yet. */
export interface OpenedRange {
  /** 200 or 206. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body, read once, as chunks that belong to the reader. */
  body: StreamedBody;
}

/** A ranged GET started ahead of its turn. */
export interface PrefetchedRange {
  /** The GET, resolved when its headers have arrived. */
  opened: Promise<OpenedRange>;
  /** Stops the GET (and its body). */
  abort(): void;
}

/** Sends a ranged GET for bytes `[start, endInclusive]`; resolves when its headers have arrived. */
export type RangeOpener = (start: number, endInclusive: number, options: CallOptions) => Promise<OpenedRange>;

/**
 * How many times a range whose body breaks off (connection reset, server gone) is asked for again,
 * from the first byte not yet received, before the read fails.
 */
export const MAX_RANGE_RESUMES = 3;

/** What {@link readRange} reads. */
export interface RangeReadOptions {
  /** Sends the ranged GETs. */
  open: RangeOpener;
  /** First byte. */
  start: number;
  /** Last byte (inclusive). */
  end: number;
  /** Stops the read; the read then fails with an `aborted` {@link ShareError}. */
  signal: AbortSignal;
  /**
   * The call's timeout in seconds: for each GET until its headers arrive, then for each wait for
   * the next chunk of its body.
   */
  timeout?: number | undefined;
  /** The ETag every response must carry (the file must not change during a download). */
  etag: string | undefined;
  /** A GET for the whole range that was already started (prefetching), and how to stop it. */
  first?: PrefetchedRange | undefined;
}

/**
 * Reads bytes `[start, end]` of a file as they arrive, never holding more than one network chunk.
 * A body that breaks off is resumed from where it stopped (up to {@link MAX_RANGE_RESUMES} times).
 *
 * @throws ShareError `FileModifiedDuringDownload` when a response's ETag differs from `etag`,
 *   `IncompleteRange` when the service sends more bytes than asked for or keeps ending early,
 *   `aborted` when `signal` fires, `timeout` when a body stalls for `timeout` seconds, `network`
 *   when the body keeps breaking off.
 */
export async function* readRange(options: RangeReadOptions): AsyncGenerator<Uint8Array> {
  const { open, end, signal, etag, timeout } = options;
  let position = options.start;
  let resumes = 0;
  let prefetched = options.first;
  while (position <= end) {
    if (signal.aborted) {
      prefetched?.abort();
      throw abortedError(signal.reason);
    }
    // Each GET can be stopped on its own: by the caller's signal, and by a body that sends nothing
    // for `timeout` seconds. A prefetched GET is used once; later attempts are new GETs.
    const attempt = new AbortController();
    const stopGet = prefetched ? () => prefetched?.abort() : () => attempt.abort();
    const opening = prefetched?.opened ?? open(position, end, { abortSignal: attempt.signal, timeout });
    prefetched = undefined;
    const onAbort = () => stopGet();
    signal.addEventListener("abort", onAbort, { once: true });
    const idle = new IdleTimer(timeout, stopGet);
    // Whether the response body was read to its end (or failed): otherwise the GET is stopped.
    let bodyRead = false;
    try {
      const opened = await opening;
      checkEtag(opened.headers, etag);
      const before = position;
      idle.restart();
      try {
        for await (const chunk of opened.body.chunks()) {
          if (position + chunk.byteLength > end + 1) {
            throw incomplete(
              `The service sent more than the ${end - options.start + 1} bytes asked for.`,
              opened,
            );
          }
          position += chunk.byteLength;
          idle.stop();
          yield chunk;
          idle.restart();
        }
        bodyRead = true;
      } catch (error) {
        if (error instanceof ShareError) throw error;
        bodyRead = true;
        if (signal.aborted) throw abortedError(signal.reason ?? error);
        if (idle.fired) throw stalledError(timeout, position, end, error);
        resumes += 1;
        if (resumes > MAX_RANGE_RESUMES) {
          throw new ShareError({
            kind: "network",
            message: `Reading bytes ${position}-${end} failed ${resumes} times: ${String(error)}`,
            cause: error,
          });
        }
        continue;
      }
      if (signal.aborted) throw abortedError(signal.reason);
      if (idle.fired) throw stalledError(timeout, position, end, undefined);
      if (position <= end) {
        // The body ended early without an error: ask for the rest, unless nothing at all came.
        resumes += 1;
        if (position === before || resumes > MAX_RANGE_RESUMES) {
          throw incomplete(`Expected bytes up to ${end}, the response ended at ${position}.`, opened);
        }
      }
    } finally {
      idle.stop();
      signal.removeEventListener("abort", onAbort);
      if (!bodyRead) stopGet();
    }
  }
}

/** Calls `onIdle` when `seconds` pass between `restart` and `stop` (never without `seconds`). */
class IdleTimer {
  readonly #ms: number | undefined;
  readonly #onIdle: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** True once the timer fired. */
  fired = false;

  constructor(seconds: number | undefined, onIdle: () => void) {
    this.#ms = seconds === undefined ? undefined : seconds * 1000;
    this.#onIdle = onIdle;
  }

  restart(): void {
    this.stop();
    if (this.#ms === undefined) return;
    this.#timer = setTimeout(() => {
      this.fired = true;
      this.#onIdle();
    }, this.#ms);
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function stalledError(
  timeout: number | undefined,
  position: number,
  end: number,
  cause: unknown,
): ShareError {
  return new ShareError({
    kind: "timeout",
    message: `No data arrived for ${timeout} s while reading bytes ${position}-${end}.`,
    cause,
  });
}

function abortedError(cause: unknown): ShareError {
  return new ShareError({ kind: "aborted", message: "The download was aborted.", cause });
}

function checkEtag(headers: Headers, expected: string | undefined): void {
  const etag = headers.get("etag") ?? undefined;
  if (expected !== undefined && etag !== undefined && etag !== expected) {
    throw new ShareError({
      kind: "client",
      message: `The file changed during the download (ETag ${expected} became ${etag}).`,
      errorCode: "FileModifiedDuringDownload",
      headers,
    });
  }
}

function incomplete(message: string, opened: OpenedRange): ShareError {
  return new ShareError({ kind: "client", message, errorCode: "IncompleteRange", headers: opened.headers });
}
