/**
 * A readable stream over read pieces (extent spans and zero holes), in order, with bounded memory:
 * extent bytes are read in chunks of at most {@link READ_CHUNK_BYTES}, one chunk at a time and only
 * when the consumer asks for more; holes are served from one shared, never-written zero buffer.
 */
import { Readable } from "node:stream";
import type { ReadPiece } from "./content-store.js";
import type { HandleLease } from "./read-handle-cache.js";

/** The largest chunk read from an extent (and pushed) at once. */
export const READ_CHUNK_BYTES = 1024 * 1024;

const ZEROS = Buffer.alloc(READ_CHUNK_BYTES);

/** Borrows a read handle for an extent. */
export type AcquireExtent = (extentId: string) => Promise<HandleLease>;

function pieceLength(piece: ReadPiece): number {
  return "zeros" in piece ? piece.zeros : piece.length;
}

function checkPiece(piece: ReadPiece): void {
  const n = pieceLength(piece);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`invalid piece length ${n}`);
  if (!("zeros" in piece) && (!Number.isSafeInteger(piece.offset) || piece.offset < 0)) {
    throw new RangeError(`invalid piece offset ${piece.offset}`);
  }
}

class PieceReadStream extends Readable {
  private index = 0;
  /** Bytes of the current piece already pushed. */
  private done = 0;
  private lease: HandleLease | null = null;
  private leaseExtent: string | null = null;
  private busy = false;

  constructor(
    private readonly pieces: readonly ReadPiece[],
    private readonly acquire: AcquireExtent,
  ) {
    super();
  }

  override _read(): void {
    if (this.busy) return;
    try {
      this.next();
    } catch (err) {
      this.destroy(err as Error);
    }
  }

  /** Pushes the next chunk (synchronously for holes, after a read for extent bytes). */
  private next(): void {
    let piece = this.pieces[this.index];
    while (piece && this.done >= pieceLength(piece)) {
      checkPiece(piece);
      this.index++;
      this.done = 0;
      piece = this.pieces[this.index];
    }
    if (!piece) {
      this.releaseLease();
      this.push(null);
      return;
    }
    checkPiece(piece);
    const want = Math.min(pieceLength(piece) - this.done, READ_CHUNK_BYTES);
    if ("zeros" in piece) {
      this.done += want;
      this.push(ZEROS.subarray(0, want));
      return;
    }
    this.busy = true;
    this.readChunk(piece.extentId, piece.offset + this.done, want).then(
      (chunk) => {
        this.busy = false;
        if (this.destroyed) return this.releaseLease();
        this.done += chunk.length;
        this.push(chunk);
      },
      (err: unknown) => {
        this.busy = false;
        this.releaseLease();
        if (!this.destroyed) this.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private async readChunk(extentId: string, position: number, length: number): Promise<Buffer> {
    if (this.leaseExtent !== extentId) {
      this.releaseLease();
      const lease = await this.acquire(extentId);
      if (this.destroyed) {
        lease.release();
        throw new Error("stream destroyed");
      }
      this.lease = lease;
      this.leaseExtent = extentId;
    }
    const handle = (this.lease as HandleLease).handle;
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buf, 0, length, position);
    if (bytesRead === 0) {
      throw new Error(`extent ${extentId} ends before byte ${position}`);
    }
    // A short read (end of file) is copied so no unread bytes of `buf` travel with the chunk.
    return bytesRead === length ? buf : Buffer.from(buf.subarray(0, bytesRead));
  }

  private releaseLease(): void {
    this.lease?.release();
    this.lease = null;
    this.leaseExtent = null;
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    // A read in flight releases the lease itself when it sees the stream destroyed.
    if (!this.busy) this.releaseLease();
    callback(err);
  }
}

/** Streams `pieces` in order, reading extent bytes through `acquire`; errors destroy the stream. */
export function createPieceReadStream(pieces: readonly ReadPiece[], acquire: AcquireExtent): Readable {
  return new PieceReadStream(pieces, acquire);
}
