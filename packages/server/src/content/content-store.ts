import type { Readable } from "node:stream";

/** Where a run of appended bytes landed. */
export interface ExtentSpan {
  extentId: string;
  offset: number;
}

/** A piece of a read: bytes from an extent, or a hole that reads as zeros. */
export type ReadPiece = { extentId: string; offset: number; length: number } | { zeros: number };

/**
 * The content store: file bytes in append-only extents, addressed by extent id (never by a
 * user-supplied path). Which extent bytes belong to which file is the metadata store's business.
 */
export interface ContentStore {
  /** Appends bytes durably (fsync'ed before the promise resolves) and says where they are. */
  append(data: Buffer): Promise<ExtentSpan>;
  /** Streams the pieces in order; holes as zeros. */
  createReadStream(pieces: ReadPiece[]): Readable;
  /** Reads one span fully into memory (small reads only). */
  read(extentId: string, offset: number, length: number): Promise<Buffer>;
  /** Ids of extents that are closed for appends (safe to reclaim). */
  sealedExtents(): Promise<string[]>;
  /** Removes an extent's bytes. Caller guarantees nothing references it. */
  deleteExtent(extentId: string): Promise<void>;
  close(): Promise<void>;
}
