/**
 * The share rows transactions of this process have read, by (account, name, snapshot): nearly
 * every request looks its share up, and shares rarely change. The SQLite store is the only writer
 * of its file, so the cache stays exact with three rules: any write to `shares` empties it, any
 * rollback empties it (a row read inside a transaction that is then undone must not outlive it),
 * and it is shared by every connection of the process to the same file. Cached records are frozen:
 * callers share them.
 */
import type { ShareRecord } from "../records.js";

export class ShareCache {
  private readonly byKey = new Map<string, ShareRecord>();

  get(account: string, name: string, snapshot: string): ShareRecord | undefined {
    return this.byKey.get(cacheKey(account, name, snapshot));
  }

  /** Keeps `share` (frozen, with its metadata and lease) and returns it. */
  remember(share: ShareRecord): ShareRecord {
    Object.freeze(share.metadata);
    Object.freeze(share.lease);
    Object.freeze(share);
    this.byKey.set(cacheKey(share.account, share.name, share.snapshot), share);
    return share;
  }

  clear(): void {
    this.byKey.clear();
  }
}

function cacheKey(account: string, name: string, snapshot: string): string {
  return `${account}\u0000${name}\u0000${snapshot}`;
}
