import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { DEFAULT_CONCURRENCY, DEFAULT_DOWNLOAD_RANGE_SIZE } from "./constants.js";
import type { FileProperties, ResponseInfo, TransferProgress } from "./models.js";
import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import { type PrefetchedRange, type RangeOpener, readRange } from "./range-reader.js";
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
  /** Called as bytes arrive. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}

/** The first ranged GET's result, read whole. */
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
 * Starts a download: fetches the first range whole (it tells the file's size and properties) and
 * returns a {@link FileDownload} that reads the rest, with `openRange`, when it is read.
 */
export async function startDownload(
  fetchRange: RangeFetcher,
  openRange: RangeOpener,
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
    openRange,
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
  /** Sends the GETs for the ranges after the first. */
  openRange: RangeOpener;
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
 * - {@link FileDownload.readInto}: the same into a buffer of the caller's;
 * - {@link FileDownload.toFile}: straight to a file, ranges fetched and written in parallel;
 * - {@link FileDownload.stream} or `for await (const chunk of download)`: in order, as the bytes
 *   arrive, with `concurrency` ranges requested ahead.
 *
 * Memory stays bounded whatever the file's size: range bodies are read as they arrive (a range
 * requested ahead waits in the connection until its turn), `toFile` reuses one buffer per range in
 * flight, and `readAll` reads straight into its result. A range whose body breaks off is asked for
 * again from where it stopped.
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

  /** Reads everything into one new buffer, fetching the remaining ranges in parallel. */
  async readAll(): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(this.contentLength);
    await this.readInto(buffer);
    return buffer;
  }

  /**
   * Reads everything into `target` from `offset` on (the seed's download-to-buffer), fetching the
   * remaining ranges in parallel. Reusing one buffer for many downloads spares allocating (and, for
   * large files, the operating system zero-filling) a new one each time.
   * @returns The number of bytes written: {@link FileDownload.contentLength}.
   * @throws RangeError when `target` has fewer than `contentLength` bytes from `offset` on.
   */
  async readInto(target: Uint8Array, offset = 0): Promise<number> {
    if (!Number.isSafeInteger(offset) || offset < 0 || target.byteLength - offset < this.contentLength) {
      throw new RangeError(
        `The target holds ${Math.max(0, target.byteLength - offset)} bytes from offset ${offset}; the download has ${this.contentLength}.`,
      );
    }
    this.#take();
    const { firstBytes } = this.#state;
    target.set(firstBytes, offset);
    this.#progress(firstBytes.byteLength);
    await this.#eachRange(async (start, end, signal) => {
      let position = offset + start - this.offset;
      for await (const chunk of this.#read(start, end, signal)) {
        target.set(chunk, position);
        position += chunk.byteLength;
        this.#progress(chunk.byteLength);
      }
    });
    return this.contentLength;
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
      const { firstBytes, rangeSize } = this.#state;
      await handle.write(firstBytes, 0, firstBytes.byteLength, 0);
      this.#progress(firstBytes.byteLength);
      // One buffer per range in flight, reused for the next range once written.
      const spare: Buffer[] = [];
      await this.#eachRange(async (start, end, signal) => {
        const staging = spare.pop() ?? Buffer.allocUnsafe(rangeSize);
        let filled = 0;
        for await (const chunk of this.#read(start, end, signal)) {
          staging.set(chunk, filled);
          filled += chunk.byteLength;
          this.#progress(chunk.byteLength);
        }
        await handle.write(staging, 0, filled, start - this.offset);
        spare.push(staging);
      });
    } finally {
      await handle.close();
    }
    return this.contentLength;
  }

  /** The content as a Node.js readable stream (bytes in order, ranges requested ahead). */
  stream(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  /**
   * The content as byte chunks in order, as they arrive from the network, with up to
   * `concurrency` ranges requested ahead.
   */
  chunks(): AsyncIterableIterator<Uint8Array> {
    this.#take();
    return this.#orderedChunks();
  }

  /** Same as {@link FileDownload.chunks}. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.chunks();
  }

  async *#orderedChunks(): AsyncIterableIterator<Uint8Array> {
    const { firstBytes, concurrency, openRange, options } = this.#state;
    if (firstBytes.byteLength > 0) {
      this.#progress(firstBytes.byteLength);
      yield firstBytes;
    }
    const ranges = this.#remainingRanges();
    // `controller` stops the range being read; each range requested ahead has its own controller.
    const controller = new AbortController();
    const started = new Set<AbortController>();
    const stopAll = () => {
      controller.abort(options.abortSignal?.reason);
      for (const stop of started) stop.abort();
    };
    const parent = options.abortSignal;
    if (parent?.aborted) stopAll();
    else parent?.addEventListener("abort", stopAll, { once: true });
    // Requests started ahead; their bodies wait in their connections until read.
    const ahead: Array<{ range: [number, number]; stop: AbortController; prefetched: PrefetchedRange }> = [];
    let next = 0;
    const fill = () => {
      while (ahead.length < concurrency && next < ranges.length && !controller.signal.aborted) {
        const range = ranges[next++];
        if (!range) break;
        const stop = new AbortController();
        started.add(stop);
        const opened = openRange(range[0], range[1], { abortSignal: stop.signal, timeout: options.timeout });
        opened.catch(() => undefined);
        ahead.push({ range, stop, prefetched: { opened, abort: () => stop.abort() } });
      }
    };
    try {
      fill();
      for (let item = ahead.shift(); item; item = ahead.shift()) {
        fill();
        const [start, end] = item.range;
        for await (const chunk of this.#read(start, end, controller.signal, { first: item.prefetched })) {
          this.#progress(chunk.byteLength);
          yield chunk;
        }
        started.delete(item.stop);
      }
    } finally {
      stopAll();
      parent?.removeEventListener("abort", stopAll);
    }
  }

  /** Runs `task` for every range after the first, `concurrency` at a time. */
  async #eachRange(task: (start: number, end: number, signal: AbortSignal) => Promise<void>): Promise<void> {
    const pool = new TaskPool(this.#state.concurrency, this.#state.options.abortSignal);
    try {
      for (const [start, end] of this.#remainingRanges()) {
        await pool.run((signal) => task(start, end, signal));
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

  /** The bytes of a range as they arrive. */
  #read(
    start: number,
    end: number,
    signal: AbortSignal,
    options: { first?: PrefetchedRange } = {},
  ): AsyncGenerator<Uint8Array> {
    return readRange({
      open: this.#state.openRange,
      start,
      end,
      signal,
      timeout: this.#state.options.timeout,
      etag: this.#state.etag,
      first: options.first,
    });
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
