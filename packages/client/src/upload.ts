import { DEFAULT_CONCURRENCY, MAX_RANGE_SIZE } from "./constants.js";
import type { ContentSettings, SmbProperties, TransferProgress } from "./models.js";
import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import { TaskPool } from "./task-pool.js";
import { toUploadSource, type UploadData } from "./upload-source.js";

/** Options for {@link ShareFileClient.uploadFile}. */
export interface UploadFileOptions extends CallOptions {
  /** The file's lease id, required when the file is leased. */
  leaseId?: string | undefined;
  /** Metadata for the new file. */
  metadata?: Record<string, string> | undefined;
  /** Content headers for the new file. */
  contentSettings?: ContentSettings | undefined;
  /** SMB properties for the new file. */
  smbProperties?: SmbProperties | undefined;
  /**
   * The size in bytes, for streams: the file is created with this size and the stream must deliver
   * exactly that much. Without it, a stream's file grows as data arrives and is trimmed at the end.
   * Ignored for data whose size is known.
   */
  length?: number | undefined;
  /**
   * `true` (default) replaces an existing file, as Azure's Create File always does. `false` first
   * checks that the file does not exist (not atomic: another writer may create it in between) and
   * rejects with a `client` {@link ShareError} coded `FileAlreadyExists` if it does.
   */
  overwrite?: boolean | undefined;
  /** Ranges uploaded at once (default 4). */
  concurrency?: number | undefined;
  /** Bytes per Put Range request, at most and by default 4 MiB. */
  rangeSize?: number | undefined;
  /** Called after each range is stored. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Encoding of string data (default `utf8`). */
  encoding?: BufferEncoding | undefined;
  /** Send each range's MD5 so the service verifies it (`Content-MD5`). */
  validateContent?: boolean | undefined;
}

/** The result of an upload. */
export interface UploadFileResult {
  /** Bytes written; also the file's size. */
  contentLength: number;
}

/** The file operations an upload is made of; the file client provides them. */
export interface UploadTarget {
  /** Creates (or replaces) the file with the given size. */
  create(size: number, options: CallOptions): Promise<unknown>;
  /** Writes one range. */
  uploadRange(bytes: Uint8Array, offset: number, options: CallOptions): Promise<unknown>;
  /** Changes the size, keeping the content settings. */
  resize(size: number, options: CallOptions): Promise<unknown>;
  /** Whether the file exists. */
  exists(options: CallOptions): Promise<boolean>;
}

/**
 * Uploads `data` to a file: Create File with the final size, then Put Range requests of up to
 * `rangeSize` bytes, `concurrency` at a time. Data of unknown size grows the file as it arrives.
 */
export async function uploadData(
  target: UploadTarget,
  data: UploadData,
  options: UploadFileOptions = {},
): Promise<UploadFileResult> {
  const rangeSize = options.rangeSize ?? MAX_RANGE_SIZE;
  if (!(Number.isInteger(rangeSize) && rangeSize > 0 && rangeSize <= MAX_RANGE_SIZE)) {
    throw new RangeError(`rangeSize must be an integer from 1 to ${MAX_RANGE_SIZE}.`);
  }
  if (options.length !== undefined && !(Number.isInteger(options.length) && options.length >= 0)) {
    throw new RangeError("length must be a non-negative integer.");
  }
  const source = toUploadSource(data, options.encoding);
  const call: CallOptions = { abortSignal: options.abortSignal, timeout: options.timeout };

  if (options.overwrite === false && (await target.exists(call))) {
    throw new ShareError({
      kind: "client",
      message: "The file already exists and overwrite is false.",
      errorCode: "FileAlreadyExists",
    });
  }

  const pool = new TaskPool(options.concurrency ?? DEFAULT_CONCURRENCY, options.abortSignal);
  const requestOptions = (): CallOptions => ({ abortSignal: pool.signal, timeout: options.timeout });
  let loaded = 0;
  const report = (bytes: number, total: number | undefined) => {
    loaded += bytes;
    options.onProgress?.({ loadedBytes: loaded, totalBytes: total });
  };

  if (source.kind === "random") {
    const size = source.size;
    await target.create(size, call);
    try {
      for (let offset = 0; offset < size; offset += rangeSize) {
        const start = offset;
        const end = Math.min(size, start + rangeSize);
        await pool.run(async () => {
          const bytes = await source.read(start, end);
          await target.uploadRange(bytes, start, requestOptions());
          report(end - start, size);
        });
      }
    } catch (error) {
      await pool.drain().catch(() => undefined);
      throw error;
    }
    await pool.drain();
    return { contentLength: size };
  }

  const declared = options.length;
  let fileSize = declared ?? 0;
  await target.create(fileSize, call);
  let offset = 0;
  // Buffers of ranges already stored are filled again, so a long stream reuses a handful of
  // buffers instead of leaving garbage behind. The next range is read from the stream only once
  // it can be sent, so at most `concurrency` buffers (ranges in flight, or being filled) exist.
  const spare: Uint8Array[] = [];
  const allocate = (size: number) => spare.pop() ?? Buffer.allocUnsafe(size);
  const chunks = source.chunks(rangeSize, allocate)[Symbol.asyncIterator]();
  try {
    for (;;) {
      await pool.slot();
      const next = await chunks.next();
      if (next.done) break;
      const chunk = next.value;
      const start = offset;
      offset += chunk.byteLength;
      if (declared !== undefined && offset > declared) {
        throw new RangeError(`The stream is longer than the declared length of ${declared} bytes.`);
      }
      if (offset > fileSize) {
        // Grow ahead of the data (doubling) so that a long stream needs few resizes.
        fileSize = Math.max(offset, fileSize * 2);
        await target.resize(fileSize, requestOptions());
      }
      await pool.run(async () => {
        await target.uploadRange(chunk, start, requestOptions());
        report(chunk.byteLength, declared);
        if (chunk.byteLength === rangeSize) spare.push(chunk);
      });
    }
  } catch (error) {
    await chunks.return?.();
    await pool.drain().catch(() => undefined);
    throw error;
  }
  await pool.drain();
  if (declared !== undefined && offset !== declared) {
    throw new RangeError(`The stream ended after ${offset} bytes; the declared length was ${declared}.`);
  }
  if (fileSize !== offset) await target.resize(offset, call);
  return { contentLength: offset };
}
