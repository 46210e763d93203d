/**
 * A small least-recently-used cache of read-only file handles for extent files, so reads do not
 * open a file each time while the number of idle open descriptors stays bounded. Handles in use
 * are reference-counted: one dropped from the cache is closed only when its last user releases it.
 */
import { type FileHandle, open } from "node:fs/promises";

/** A borrowed handle; call `release` exactly once when done (further calls do nothing). */
export interface HandleLease {
  handle: FileHandle;
  release(): void;
}

interface Entry {
  opening: Promise<FileHandle>;
  users: number;
  dropped: boolean;
}

async function closeQuietly(entry: Entry): Promise<void> {
  try {
    await (await entry.opening).close();
  } catch {
    // Failed to open, or already closed: nothing to give back.
  }
}

export class ReadHandleCache {
  /** Map order is recency: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();

  /**
   * @param pathOf - the file path for a key (may throw for an invalid key)
   * @param capacity - how many handles to keep open while idle (at least 1)
   */
  constructor(
    private readonly pathOf: (key: string) => string,
    private readonly capacity: number,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError("capacity must be >= 1");
  }

  /** Borrows an open read handle for `key`, opening the file if no cached handle exists. */
  async acquire(key: string): Promise<HandleLease> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = { opening: open(this.pathOf(key), "r"), users: 0, dropped: false };
    }
    this.entries.set(key, entry);
    entry.users++;
    this.trim();
    const current = entry;
    let handle: FileHandle;
    try {
      handle = await current.opening;
    } catch (err) {
      current.users--;
      if (this.entries.get(key) === current) this.entries.delete(key);
      current.dropped = true;
      throw err;
    }
    let released = false;
    return {
      handle,
      release: () => {
        if (released) return;
        released = true;
        current.users--;
        if (current.dropped && current.users === 0) void closeQuietly(current);
      },
    };
  }

  /** Drops the cached handle for `key`; resolves once it is closed, or at once if it is still in use. */
  async evict(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    await this.drop(entry);
  }

  /** Drops every handle (those in use close when released). */
  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.drop(e)));
  }

  /** Number of handles currently cached (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private async drop(entry: Entry): Promise<void> {
    entry.dropped = true;
    if (entry.users === 0) await closeQuietly(entry);
  }

  private trim(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.capacity) return;
      this.entries.delete(key);
      void this.drop(entry);
    }
  }
}
