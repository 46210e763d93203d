import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { DEFAULT_CONCURRENCY, DEFAULT_DOWNLOAD_RANGE_SIZE } from "./constants.js";
import type { FileProperties, ResponseInfo, TransferProgress } from "./models.js";
import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import { TaskPool } from "./task-pool.js";

/** Options for {@link ShareFileClient.downloadFile}. */
export interface DownloadFileOptions extends CallOptions {
  /** First byte to read (default 0). */
  offset?: number | undefined;
  /** Bytes to read (default: to the end of the file). A range past the end is cut short. */
  length?: number | undefined;
  /** The file's lease id; a condition on reads (fails if it does not match). */
  leaseId?: string | undefined;
  /** Ranges fetched at once after the first (default 4). */
  concurrency?: number | undefined;
  /** Bytes per ranged GET (default 4 MiB). */
  rangeSize?: number | undefined;
  /** Called as bytes arrive (after each range). */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}

/** One ranged GET's result. */
export interface RangeResponse {
  /** 200 or 206. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body. */
  bytes: Uint8Array;
}

/**
 * Fetches bytes `[start, endInclusive]`; `endInclusive` undefined means "no range header" (the
 * whole file).
 */
export type RangeFetcher = (
  start: number,
  endInclusive: number | undefined,
  options: CallOptions,
) => Promise<RangeResponse>;

/** Turns a download response's headers into properties; `size` is the whole file's size. */
export type DescribeDownload = (
  headers: Headers,
  size: number,
  ranged: boolean,
) => FileProperties & ResponseInfo;

/**
 * Starts a download: fetches the first range (which tells the file's size and properties) and
 * returns a {@link FileDownload} that fetches the rest when it is read.
 */
export async function startDownload(
  fetchRange: RangeFetcher,
  describe: DescribeDownload,
  options: DownloadFileOptions = {},
): Promise<FileDownload> {
  const offset = options.offset ?? 0;
  const rangeSize = options.rangeSize ?? DEFAULT_DOWNLOAD_RANGE_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!(Number.isInteger(offset) && offset >= 0))
    throw new RangeError("offset must be a non-negative integer.");
  if (options.length !== undefined && !(Number.isInteger(options.length) && options.length >= 0)) {
    throw new RangeError("length must be a non-negative integer.");
  }
  if (!(Number.isInteger(rangeSize) && rangeSize > 0))
    throw new RangeError("rangeSize must be a positive integer.");
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError("concurrency must be a positive integer.");
  }
  const call: CallOptions = { abortSignal: options.abortSignal, timeout: options.timeout };
  const firstLength = Math.max(1, Math.min(rangeSize, options.length ?? rangeSize));

  let first: RangeResponse;
  try {
    first = await fetchRange(offset, offset + firstLength - 1, call);
  } catch (error) {
    // An empty file has no byte 0, so any range is unsatisfiable: read it without a range.
    if (!(error instanceof ShareError && error.statusCode === 416 && offset === 0)) throw error;
    first = await fetchRange(0, undefined, call);
  }
  const size = totalSize(first);
  const contentLength = Math.max(0, Math.min(options.length ?? Number.POSITIVE_INFINITY, size - offset));
  const properties = describe(first.headers, size, first.status === 206);
  const firstBytes = first.bytes.subarray(0, Math.min(first.bytes.byteLength, contentLength));
  return new FileDownload({
    fetchRange,
    properties,
    offset,
    contentLength,
    firstBytes,
    etag: first.headers.get("etag") ?? undefined,
    rangeSize,
    concurrency,
    options,
  });
}

function totalSize(response: RangeResponse): number {
  const contentRange = response.headers.get("content-range");
  const match = contentRange?.match(/\/(\d+)\s*$/);
  if (match?.[1] !== undefined) return Number(match[1]);
  const length = Number(response.headers.get("content-length"));
  return Number.isFinite(length) && response.headers.has("content-length")
    ? length
    : response.bytes.byteLength;
}

/** Everything a {@link FileDownload} needs; built by {@link startDownload}. */
export interface DownloadState {
  /** Fetches further ranges. */
  fetchRange: RangeFetcher;
  /** Properties from the first response. */
  properties: FileProperties & ResponseInfo;
  /** First byte of the download. */
  offset: number;
  /** Bytes the download yields. */
  contentLength: number;
  /** The bytes of the first response (already cut to `contentLength`). */
  firstBytes: Uint8Array;
  /** The first response's ETag; every later range must match it. */
  etag: string | undefined;
  /** Bytes per later range. */
  rangeSize: number;
  /** Later ranges fetched at once. */
  concurrency: number;
  /** The caller's options (abort signal, timeout, lease id, progress). */
  options: DownloadFileOptions;
}

/**
 * A download in progress (the seed's StorageStreamDownloader). The first range has already
 * arrived; read the content once, in one of these ways:
 * - {@link FileDownload.readAll}: everything in one `Buffer`, ranges fetched in parallel;
 * - {@link FileDownload.toFile}: straight to a file, ranges fetched and written in parallel;
 * - {@link FileDownload.stream} or `for await (const chunk of download)`: in order, with
 *   `concurrency` ranges fetched ahead.
 *
 * Every range after the first must carry the first one's ETag; if the file changes in between, the
 * read fails with a `client` {@link ShareError} coded `FileModifiedDuringDownload`.
 */
export class FileDownload implements AsyncIterable<Uint8Array> {
  /** The file's properties, from the first response. */
  readonly properties: FileProperties & ResponseInfo;
  /** Offset of the first byte this download yields. */
  readonly offset: number;
  /** How many bytes this download yields. */
  readonly contentLength: number;
  readonly #state: DownloadState;
  #consumed = false;
  #loaded = 0;

  /** Created by {@link startDownload}. */
  constructor(state: DownloadState) {
    this.#state = state;
    this.properties = state.properties;
    this.offset = state.offset;
    this.contentLength = state.contentLength;
  }

  /** The whole file's size in bytes (the seed's `size`). */
  get size(): number {
    return this.properties.size;
  }

  /** Reads everything into one buffer, fetching the remaining ranges in parallel. */
  async readAll(): Promise<Buffer> {
    this.#take();
    const { firstBytes } = this.#state;
    const buffer = Buffer.allocUnsafe(this.contentLength);
    buffer.set(firstBytes, 0);
    this.#progress(firstBytes.byteLength);
    await this.#fetchRest(async (bytes, position) => {
      buffer.set(bytes, position);
    });
    return buffer;
  }

  /**
   * Writes the content to a file (created or truncated), fetching and writing the remaining ranges
   * in parallel.
   * @returns The number of bytes written.
   */
  async toFile(path: string): Promise<number> {
    this.#take();
    const handle = await open(path, "w");
    try {
      const { firstBytes } = this.#state;
      await handle.write(firstBytes, 0, firstBytes.byteLength, 0);
      this.#progress(firstBytes.byteLength);
      await this.#fetchRest(async (bytes, position) => {
        await handle.write(bytes, 0, bytes.byteLength, position);
      });
    } finally {
      await handle.close();
    }
    return this.contentLength;
  }

  /** The content as a Node.js readable stream (bytes in order, ranges prefetched). */
  stream(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  /** The content as byte chunks in order, with up to `concurrency` ranges fetched ahead. */
  chunks(): AsyncIterableIterator<Uint8Array> {
    this.#take();
    return this.#orderedChunks();
  }

  /** Same as {@link FileDownload.chunks}. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.chunks();
  }

  async *#orderedChunks(): AsyncIterableIterator<Uint8Array> {
    const { firstBytes, concurrency } = this.#state;
    if (firstBytes.byteLength > 0) {
      this.#progress(firstBytes.byteLength);
      yield firstBytes;
    }
    const ranges = this.#remainingRanges();
    const controller = new AbortController();
    const parent = this.#state.options.abortSignal;
    const onAbort = () => controller.abort(parent?.reason);
    parent?.addEventListener("abort", onAbort, { once: true });
    const ahead: Array<Promise<Uint8Array>> = [];
    let next = 0;
    const fill = () => {
      while (ahead.length < concurrency && next < ranges.length) {
        const range = ranges[next++];
        if (!range) break;
        const promise = this.#fetchChecked(range[0], range[1], controller.signal);
        promise.catch(() => undefined);
        ahead.push(promise);
      }
    };
    try {
      fill();
      for (let promise = ahead.shift(); promise; promise = ahead.shift()) {
        const bytes = await promise;
        fill();
        this.#progress(bytes.byteLength);
        yield bytes;
      }
    } finally {
      controller.abort();
      parent?.removeEventListener("abort", onAbort);
    }
  }

  async #fetchRest(write: (bytes: Uint8Array, position: number) => Promise<void>): Promise<void> {
    const pool = new TaskPool(this.#state.concurrency, this.#state.options.abortSignal);
    try {
      for (const [start, end] of this.#remainingRanges()) {
        await pool.run(async (signal) => {
          const bytes = await this.#fetchChecked(start, end, signal);
          await write(bytes, start - this.offset);
          this.#progress(bytes.byteLength);
        });
      }
    } catch (error) {
      await pool.drain().catch(() => undefined);
      throw error;
    }
    await pool.drain();
  }

  /** `[start, endInclusive]` pairs after the first range. */
  #remainingRanges(): Array<[number, number]> {
    const ranges: Array<[number, number]> = [];
    const end = this.offset + this.contentLength;
    for (
      let start = this.offset + this.#state.firstBytes.byteLength;
      start < end;
      start += this.#state.rangeSize
    ) {
      ranges.push([start, Math.min(end, start + this.#state.rangeSize) - 1]);
    }
    return ranges;
  }

  async #fetchChecked(start: number, endInclusive: number, signal: AbortSignal): Promise<Uint8Array> {
    const response = await this.#state.fetchRange(start, endInclusive, {
      abortSignal: signal,
      timeout: this.#state.options.timeout,
    });
    const etag = response.headers.get("etag") ?? undefined;
    if (this.#state.etag !== undefined && etag !== undefined && etag !== this.#state.etag) {
      throw new ShareError({
        kind: "client",
        message: `The file changed during the download (ETag ${this.#state.etag} became ${etag}).`,
        errorCode: "FileModifiedDuringDownload",
        headers: response.headers,
      });
    }
    const expected = endInclusive - start + 1;
    if (response.bytes.byteLength !== expected) {
      throw new ShareError({
        kind: "client",
        message: `Expected ${expected} bytes at offset ${start}, received ${response.bytes.byteLength}.`,
        errorCode: "IncompleteRange",
        headers: response.headers,
      });
    }
    return response.bytes;
  }

  #progress(bytes: number): void {
    this.#loaded += bytes;
    this.#state.options.onProgress?.({ loadedBytes: this.#loaded, totalBytes: this.contentLength });
  }

  #take(): void {
    if (this.#consumed) throw new Error("This download has already been read; call downloadFile() again.");
    this.#consumed = true;
  }
}
