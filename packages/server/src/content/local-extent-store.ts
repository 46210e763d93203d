/**
 * The local content store: file bytes in append-only extent files under one directory.
 *
 * Appends go to the single active extent. Each append reserves its offset synchronously (so
 * concurrent appends never overlap), writes with positional writes and `fdatasync`s before it
 * resolves. Once the active extent reaches `rollOverBytes` it is sealed and the next append starts a
 * new one. Every `open` starts a fresh active extent: extents found on disk are all sealed, so a
 * possibly torn tail of the last process's extent is never appended after.
 *
 * One directory belongs to one process at a time.
 */
import { type FileHandle, mkdir, open, readdir, stat, unlink } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { ContentStore, ExtentSpan, ReadPiece } from "./content-store.js";
import { extentIdFor, extentIdOfFile, extentPath, isExtentId } from "./extent-files.js";
import { createPieceReadStream } from "./piece-read-stream.js";
import { ReadHandleCache } from "./read-handle-cache.js";

/** Options of {@link LocalExtentStore.open}. */
export interface LocalExtentStoreOptions {
  /** Seal the active extent once it holds this many bytes. Default 64 MiB. */
  rollOverBytes?: number;
  /** Idle read handles kept open. Default 8. */
  readHandles?: number;
  /**
   * A sealed extent is reported by `sealedExtents()` (as safe to reclaim) only once this many ms
   * have passed since its last append finished. This covers the window between an append resolving
   * and the caller committing the metadata that references the bytes. Default 60 000.
   */
  reclaimGraceMs?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

interface Extent {
  id: string;
  /** Bytes reserved (active extent) or on disk (extents found at open). */
  size: number;
  sealed: boolean;
  /** Appends reserved in this extent and not yet finished. */
  pending: number;
  /** When the last append into it finished (ms); -Infinity for extents found at open. */
  lastAppendAt: number;
  /** The write handle; only while the extent is active or has appends pending. */
  writer: Promise<FileHandle> | null;
}

const DEFAULT_ROLL_OVER = 64 * 1024 * 1024;

async function writeFully(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    if (bytesWritten <= 0) throw new Error("write made no progress");
    done += bytesWritten;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === "win32") return; // directories cannot be fsync'ed there
  const dh = await open(dir, "r");
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

function closeWriter(ext: Extent): void {
  const writer = ext.writer;
  ext.writer = null;
  writer?.then((fh) => fh.close()).catch(() => {});
}

export class LocalExtentStore implements ContentStore {
  private readonly extents: Map<string, Extent>;
  private readonly handles: ReadHandleCache;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Open read streams per extent: an extent being read is unlinked only when its last reader closes. */
  private readonly readers = new Map<string, number>();
  private readonly deferredDeletes = new Set<string>();
  private active: Extent | null = null;
  private closed = false;

  private constructor(
    private readonly dir: string,
    extents: Map<string, Extent>,
    private nextCounter: number,
    private readonly rollOverBytes: number,
    private readonly reclaimGraceMs: number,
    private readonly now: () => number,
    readHandles: number,
  ) {
    this.extents = extents;
    this.handles = new ReadHandleCache((id) => extentPath(dir, id), readHandles);
  }

  /** Opens (creating if needed) the store in `dir`; existing extents are found again, all sealed. */
  static async open(dir: string, opts: LocalExtentStoreOptions = {}): Promise<LocalExtentStore> {
    const rollOverBytes = opts.rollOverBytes ?? DEFAULT_ROLL_OVER;
    if (!Number.isSafeInteger(rollOverBytes) || rollOverBytes < 1)
      throw new RangeError("rollOverBytes must be >= 1");
    const reclaimGraceMs = opts.reclaimGraceMs ?? 60_000;
    if (!(reclaimGraceMs >= 0)) throw new RangeError("reclaimGraceMs must be >= 0");
    await mkdir(dir, { recursive: true });
    const extents = new Map<string, Extent>();
    let highest = -1;
    for (const name of await readdir(dir)) {
      const id = extentIdOfFile(name);
      if (id === null) continue;
      const { size } = await stat(extentPath(dir, id));
      extents.set(id, {
        id,
        size,
        sealed: true,
        pending: 0,
        lastAppendAt: Number.NEGATIVE_INFINITY,
        writer: null,
      });
      highest = Math.max(highest, Number(id));
    }
    return new LocalExtentStore(
      dir,
      extents,
      highest + 1,
      rollOverBytes,
      reclaimGraceMs,
      opts.now ?? Date.now,
      opts.readHandles ?? 8,
    );
  }

  /** Appends `data` durably; the offset is reserved before this returns its promise. */
  append(data: Buffer): Promise<ExtentSpan> {
    if (this.closed) return Promise.reject(new Error("content store is closed"));
    const ext = this.activeExtent();
    const offset = ext.size;
    ext.size += data.length;
    ext.pending++;
    if (ext.size >= this.rollOverBytes) this.seal(ext);
    const writer = ext.writer as Promise<FileHandle>;
    const work = (async (): Promise<ExtentSpan> => {
      try {
        const fh = await writer;
        if (data.length > 0) {
          await writeFully(fh, data, offset);
          await fh.datasync();
        }
        return { extentId: ext.id, offset };
      } catch (err) {
        // After a failed write or sync the file's tail is in doubt: append elsewhere from now on.
        this.seal(ext);
        throw err;
      } finally {
        ext.pending--;
        ext.lastAppendAt = this.now();
        if (ext.sealed && ext.pending === 0) closeWriter(ext);
      }
    })();
    this.track(work);
    return work;
  }

  /**
   * Streams pieces. The extents are retained from this call (synchronous) until the stream closes,
   * so a compaction that drops their last reference meanwhile cannot pull bytes from under a reader.
   */
  createReadStream(pieces: ReadPiece[]): Readable {
    const ids = [...new Set(pieces.flatMap((p) => ("extentId" in p ? [p.extentId] : [])))];
    for (const id of ids) this.readers.set(id, (this.readers.get(id) ?? 0) + 1);
    const stream = createPieceReadStream(pieces, (id) => this.handles.acquire(id));
    stream.once("close", () => {
      for (const id of ids) {
        const left = (this.readers.get(id) ?? 1) - 1;
        if (left > 0) {
          this.readers.set(id, left);
          continue;
        }
        this.readers.delete(id);
        if (this.deferredDeletes.delete(id)) void this.unlinkExtent(id).catch(() => {});
      }
    });
    return stream;
  }

  async read(extentId: string, offset: number, length: number): Promise<Buffer> {
    if (!isExtentId(extentId)) throw new Error(`invalid extent id ${JSON.stringify(extentId)}`);
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`invalid span ${offset}+${length}`);
    }
    const out = Buffer.alloc(length);
    if (length === 0) return out;
    const lease = await this.handles.acquire(extentId);
    try {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await lease.handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`extent ${extentId} ends before byte ${offset + done}`);
        done += bytesRead;
      }
      return out;
    } finally {
      lease.release();
    }
  }

  /** Sealed extents with no append pending and none finished within the reclaim grace period. */
  async sealedExtents(): Promise<string[]> {
    const now = this.now();
    return [...this.extents.values()]
      .filter((e) => e.sealed && e.pending === 0 && now - e.lastAppendAt >= this.reclaimGraceMs)
      .map((e) => e.id)
      .sort();
  }

  /** Size in bytes of an extent (reserved bytes for the active one). */
  async extentSize(extentId: string): Promise<number> {
    const ext = this.extents.get(extentId);
    if (!ext) throw new Error(`unknown extent ${JSON.stringify(extentId)}`);
    return ext.size;
  }

  /** Deletes a sealed extent's file; a no-op for an id that no longer exists. Refuses the active one. */
  async deleteExtent(extentId: string): Promise<void> {
    const ext = this.extents.get(extentId);
    if (ext && (!ext.sealed || ext.pending > 0))
      throw new Error(`extent ${extentId} is still being appended to`);
    this.extents.delete(extentId);
    if ((this.readers.get(extentId) ?? 0) > 0) {
      this.deferredDeletes.add(extentId);
      return;
    }
    await this.unlinkExtent(extentId);
  }

  private async unlinkExtent(extentId: string): Promise<void> {
    await this.handles.evict(extentId);
    try {
      await unlink(extentPath(this.dir, extentId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }

  /** Waits for appends in flight, then closes every file handle. Appends after this fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    if (this.active) this.seal(this.active);
    for (const ext of this.extents.values()) if (ext.writer) closeWriter(ext);
    await this.handles.closeAll();
  }

  private activeExtent(): Extent {
    if (this.active) return this.active;
    const id = extentIdFor(this.nextCounter++);
    const ext: Extent = { id, size: 0, sealed: false, pending: 0, lastAppendAt: this.now(), writer: null };
    ext.writer = this.createExtentFile(ext);
    this.extents.set(id, ext);
    this.active = ext;
    return ext;
  }

  private async createExtentFile(ext: Extent): Promise<FileHandle> {
    const path = extentPath(this.dir, ext.id);
    try {
      // "wx": never reuse an existing file, whatever the counter says.
      const fh = await open(path, "wx");
      try {
        await syncDirectory(this.dir);
      } catch (err) {
        await fh.close().catch(() => {});
        await unlink(path).catch(() => {});
        throw err;
      }
      return fh;
    } catch (err) {
      if (this.active === ext) this.active = null;
      ext.sealed = true;
      this.extents.delete(ext.id);
      throw err;
    }
  }

  private seal(ext: Extent): void {
    ext.sealed = true;
    if (this.active === ext) this.active = null;
    if (ext.pending === 0) closeWriter(ext);
  }

  private track(p: Promise<unknown>): void {
    const settled = p.then(
      () => {},
      () => {},
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
  }
}
