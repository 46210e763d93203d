import type { Readable } from "node:stream";

/**
 * Data {@link ShareFileClient.uploadFile} accepts: bytes (`Buffer`, `Uint8Array`, `ArrayBuffer`, any
 * typed array view), text, a `Blob`, a Node.js `Readable`, a web `ReadableStream`, or any async
 * iterable of byte or string chunks.
 */
export type UploadData =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | Readable
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

/** Data whose size is known and which can be read at any offset (uploaded in parallel). */
export interface RandomAccessSource {
  kind: "random";
  /** Total bytes. */
  size: number;
  /** Reads `[start, end)`. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Gives a buffer of `size` bytes to fill (a new one, or one handed back after use). */
export type ChunkAllocator = (size: number) => Uint8Array;

/** Data that arrives in order (uploaded in order, several ranges in flight). */
export interface StreamSource {
  kind: "stream";
  /**
   * Chunks of exactly `chunkSize` bytes, the last one possibly shorter, each in a buffer from
   * `allocate` (default: a new buffer per chunk).
   */
  chunks(chunkSize: number, allocate?: ChunkAllocator): AsyncIterable<Uint8Array>;
}

/** An upload source, normalized. */
export type UploadSource = RandomAccessSource | StreamSource;

/**
 * Normalizes upload data.
 * @param encoding - The encoding for string data and string stream chunks (default UTF-8).
 * @throws TypeError for unsupported data.
 */
export function toUploadSource(data: UploadData, encoding: BufferEncoding = "utf8"): UploadSource {
  if (typeof data === "string") return bytesSource(Buffer.from(data, encoding));
  if (data instanceof Uint8Array) return bytesSource(data);
  if (data instanceof ArrayBuffer) return bytesSource(new Uint8Array(data));
  if (ArrayBuffer.isView(data))
    return bytesSource(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (typeof Blob !== "undefined" && data instanceof Blob) {
    const blob = data;
    return {
      kind: "random",
      size: blob.size,
      read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
    };
  }
  if (isWebStream(data)) {
    return {
      kind: "stream",
      chunks: (size, allocate) => rechunk(webStreamChunks(data), size, encoding, allocate),
    };
  }
  if (isAsyncIterable(data)) {
    return { kind: "stream", chunks: (size, allocate) => rechunk(data, size, encoding, allocate) };
  }
  throw new TypeError("uploadFile cannot read this kind of data.");
}

function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return { kind: "random", size: bytes.byteLength, read: async (start, end) => bytes.subarray(start, end) };
}

function isWebStream(data: unknown): data is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== "undefined" && data instanceof ReadableStream;
}

function isAsyncIterable(data: unknown): data is AsyncIterable<Uint8Array | string> {
  return typeof data === "object" && data !== null && Symbol.asyncIterator in data;
}

async function* webStreamChunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Re-cuts a stream of arbitrary pieces into chunks of exactly `size` bytes (the last may be
 * shorter). Each chunk is its own buffer from `allocate`, so callers may hold several at once and
 * hand buffers back to the allocator once they are done with them.
 */
export async function* rechunk(
  pieces: AsyncIterable<Uint8Array | string>,
  size: number,
  encoding: BufferEncoding = "utf8",
  allocate: ChunkAllocator = (n) => Buffer.allocUnsafe(n),
): AsyncIterable<Uint8Array> {
  let buffer = allocate(size);
  let filled = 0;
  for await (const piece of pieces) {
    let bytes = typeof piece === "string" ? Buffer.from(piece, encoding) : piece;
    while (bytes.byteLength > 0) {
      const take = Math.min(size - filled, bytes.byteLength);
      buffer.set(bytes.subarray(0, take), filled);
      filled += take;
      bytes = bytes.subarray(take);
      if (filled === size) {
        yield buffer;
        buffer = allocate(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
