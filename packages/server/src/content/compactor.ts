/**
 * Reclaims extent space no range map references any more.
 *
 * For each sealed extent: with no live bytes it is deleted; with few live bytes (live/size below
 * `minLiveRatio`) its live bytes are copied into newly appended bytes, the range entries are
 * repointed in one transaction, and the extent is deleted once nothing references it.
 *
 * Crash safety: copies are appended (and fsync'ed) before any metadata changes, and an extent file
 * is deleted only after a committed transaction saw no entry referencing it. A sealed extent never
 * gains references (writes append to the active extent; snapshots copy existing entries), so once
 * unreferenced it stays so.
 */
import type { RangeRecord } from "../store/records.js";
import type { MetadataStore } from "../store/transaction.js";
import type { ContentStore, ExtentSpan } from "./content-store.js";

/** A content store that can tell an extent's size (the local extent store can). */
export type SizedContentStore = ContentStore & { extentSize(extentId: string): Promise<number> };

/** Options of {@link compactOnce}. */
export interface CompactOptions {
  /** Rewrite an extent when live bytes / size is below this. Default 0.5. */
  minLiveRatio?: number;
  /** Largest single copy (read + append) when rewriting. Default 4 MiB. */
  copyChunkBytes?: number;
}

/** What one compaction pass did. */
export interface CompactResult {
  /** Extents deleted (with no live bytes, or after their live bytes were moved). */
  deleted: number;
  /** Extents whose live bytes were copied and whose entries were repointed. */
  rewritten: number;
  /** Total size of the deleted extent files (bytes copied elsewhere are not subtracted). */
  reclaimedBytes: number;
}

type ExtentEntry = RangeRecord & { fileId: number };

/** Bytes of the old extent `[oldOffset, oldOffset + length)` now at `to`. */
interface Moved {
  oldOffset: number;
  length: number;
  to: ExtentSpan;
}

/** Runs one compaction pass over the sealed extents. */
export async function compactOnce(
  store: MetadataStore,
  content: SizedContentStore,
  opts: CompactOptions = {},
): Promise<CompactResult> {
  const minLiveRatio = opts.minLiveRatio ?? 0.5;
  const chunk = opts.copyChunkBytes ?? 4 * 1024 * 1024;
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new RangeError("copyChunkBytes must be >= 1");
  const result: CompactResult = { deleted: 0, rewritten: 0, reclaimedBytes: 0 };

  const sealed = await content.sealedExtents();
  if (sealed.length === 0) return result;
  const live = await store.transaction((tx) => tx.liveBytesByExtent());

  for (const extentId of sealed) {
    const size = await content.extentSize(extentId);
    const liveBytes = live.get(extentId) ?? 0;
    if (liveBytes <= 0) {
      await content.deleteExtent(extentId);
      result.deleted++;
      result.reclaimedBytes += size;
      continue;
    }
    if (size <= 0 || liveBytes / size >= minLiveRatio) continue;

    const entries = await store.transaction((tx) => tx.rangesInExtent(extentId));
    if (entries.length > 0) {
      const moved = await copyLiveBytes(content, extentId, entries, chunk);
      const unreferenced = await store.transaction(async (tx) => {
        for (const e of entries) {
          const now = await tx.rangesOverlapping(e.fileId, e.start, e.end);
          const unchanged = now.some(
            (n) =>
              n.start === e.start &&
              n.end === e.end &&
              n.extentId === e.extentId &&
              n.extentOffset === e.extentOffset,
          );
          if (!unchanged) continue; // rewritten or cleared meanwhile: its copy is garbage for later
          await tx.deleteRanges(e.fileId, [e.start]);
          await tx.insertRanges(e.fileId, repoint(e, moved));
        }
        return (await tx.rangesInExtent(extentId)).length === 0;
      });
      result.rewritten++;
      if (!unreferenced) continue;
    }
    await content.deleteExtent(extentId);
    result.deleted++;
    result.reclaimedBytes += size;
  }
  return result;
}

/** The union of the entries' spans in the extent, as sorted, disjoint `[from, to)` intervals. */
function liveIntervals(entries: readonly ExtentEntry[]): Array<[number, number]> {
  const spans = entries
    .map((e): [number, number] => [e.extentOffset, e.extentOffset + (e.end - e.start)])
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [from, to] of spans) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** Copies each live byte of the extent once (shared spans, e.g. from snapshots, are copied once). */
async function copyLiveBytes(
  content: ContentStore,
  extentId: string,
  entries: readonly ExtentEntry[],
  chunk: number,
): Promise<Moved[]> {
  const moved: Moved[] = [];
  for (const [from, to] of liveIntervals(entries)) {
    for (let at = from; at < to; at += chunk) {
      const length = Math.min(chunk, to - at);
      const bytes = await content.read(extentId, at, length);
      moved.push({ oldOffset: at, length, to: await content.append(bytes) });
    }
  }
  return moved;
}

/** The new entries for `e`: its bytes cut along the copied chunks that hold them. */
function repoint(e: ExtentEntry, moved: readonly Moved[]): RangeRecord[] {
  const out: RangeRecord[] = [];
  const from = e.extentOffset;
  const to = e.extentOffset + (e.end - e.start);
  for (const m of moved) {
    const a = Math.max(from, m.oldOffset);
    const b = Math.min(to, m.oldOffset + m.length);
    if (b <= a) continue;
    const start = e.start + (a - from);
    const prev = out[out.length - 1];
    const extentOffset = m.to.offset + (a - m.oldOffset);
    if (
      prev &&
      prev.extentId === m.to.extentId &&
      prev.extentOffset + (prev.end - prev.start) === extentOffset
    ) {
      prev.end = start + (b - a); // consecutive chunks landed back to back: keep one entry
    } else {
      out.push({ start, end: start + (b - a), extentId: m.to.extentId, extentOffset });
    }
  }
  return out;
}
