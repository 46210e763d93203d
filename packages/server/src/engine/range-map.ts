/**
 * Pure functions over a file's range map: the sorted, non-overlapping entries
 * `[start, end) → (extentId, extentOffset)` that say where a file's bytes live. Bytes no entry
 * covers are holes and read as zeros.
 *
 * The engine fetches only the entries overlapping a window (`tx.rangesOverlapping`) and hands them
 * here; a change comes back as a {@link RangePlan} that it applies with `tx.deleteRanges` followed
 * by `tx.insertRanges`. Entries passed in that do not overlap the window (for example touching
 * neighbours) are ignored, so callers may pass a wider slice of the map.
 */
import type { ReadPiece } from "../content/content-store.js";
import type { RangeRecord } from "../store/records.js";

/** A change to a range map: delete the entries starting at `deleteStarts`, then insert `insert`. */
export interface RangePlan {
  /** Start offsets of existing entries to remove (applied first). */
  deleteStarts: number[];
  /** New entries to add, ordered by start (applied after the deletions). */
  insert: RangeRecord[];
}

/** A run of written bytes `[start, end)` (end exclusive). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Entries that overlap `[start, end)`, ordered by start. */
function overlappingSorted(entries: readonly RangeRecord[], start: number, end: number): RangeRecord[] {
  return entries
    .filter((e) => e.start < end && e.end > start && e.start < e.end)
    .sort((a, b) => a.start - b.start);
}

function checkWindow(start: number, end: number): void {
  if (!Number.isFinite(start) || start < 0 || !(end >= start)) {
    throw new RangeError(`invalid byte window [${start}, ${end})`);
  }
}

/**
 * Removes bytes `[start, end)` from the map: every overlapping entry is deleted and the parts of
 * it outside the window are re-inserted (the right part with its extent offset moved on).
 * `end` may be `Infinity`.
 */
export function planClear(overlapping: readonly RangeRecord[], start: number, end: number): RangePlan {
  checkWindow(start, end);
  const plan: RangePlan = { deleteStarts: [], insert: [] };
  if (start === end) return plan;
  for (const e of overlappingSorted(overlapping, start, end)) {
    plan.deleteStarts.push(e.start);
    if (e.start < start) {
      plan.insert.push({ start: e.start, end: start, extentId: e.extentId, extentOffset: e.extentOffset });
    }
    if (e.end > end) {
      plan.insert.push({
        start: end,
        end: e.end,
        extentId: e.extentId,
        extentOffset: e.extentOffset + (end - e.start),
      });
    }
  }
  return plan;
}

/**
 * Places `write` (bytes `[write.start, write.end)` now living in `write.extentId` from
 * `write.extentOffset`) over the map: whatever it overlaps is cut away as by {@link planClear}
 * and the write's own entry is inserted. An empty write changes nothing.
 */
export function planWrite(overlapping: readonly RangeRecord[], write: RangeRecord): RangePlan {
  checkWindow(write.start, write.end);
  if (!Number.isFinite(write.end)) throw new RangeError("a write must have a finite end");
  const plan = planClear(overlapping, write.start, write.end);
  if (write.start === write.end) return plan;
  plan.insert.push({ ...write });
  plan.insert.sort((a, b) => a.start - b.start);
  return plan;
}

/**
 * Cuts the map at `newSize`: entries at or past it go, an entry straddling it is shortened.
 * `overlapping` holds the entries overlapping `[newSize, +∞)`.
 */
export function planTruncate(overlapping: readonly RangeRecord[], newSize: number): RangePlan {
  return planClear(overlapping, newSize, Number.POSITIVE_INFINITY);
}

/**
 * The pieces to stream for bytes `[start, end)`, in order: extent spans for written bytes and
 * `{ zeros: n }` for holes. Adjacent holes are merged, and so are spans that continue each other in
 * the same extent. An empty window gives no pieces.
 */
export function readPieces(overlapping: readonly RangeRecord[], start: number, end: number): ReadPiece[] {
  checkWindow(start, end);
  const pieces: ReadPiece[] = [];
  const add = (piece: ReadPiece): void => {
    const last = pieces[pieces.length - 1];
    if ("zeros" in piece) {
      if (piece.zeros <= 0) return;
      if (last && "zeros" in last) last.zeros += piece.zeros;
      else pieces.push(piece);
      return;
    }
    if (piece.length <= 0) return;
    if (
      last &&
      !("zeros" in last) &&
      last.extentId === piece.extentId &&
      last.offset + last.length === piece.offset
    ) {
      last.length += piece.length;
    } else {
      pieces.push(piece);
    }
  };
  let pos = start;
  for (const e of overlappingSorted(overlapping, start, end)) {
    const from = Math.max(e.start, pos);
    const to = Math.min(e.end, end);
    if (to <= from) continue;
    add({ zeros: from - pos });
    add({ extentId: e.extentId, offset: e.extentOffset + (from - e.start), length: to - from });
    pos = to;
  }
  add({ zeros: end - pos });
  return pieces;
}

/**
 * The written ranges within `[start, end)`, clipped to the window, with touching entries merged
 * into one range — what List Ranges reports (end exclusive here).
 */
export function listRanges(overlapping: readonly RangeRecord[], start: number, end: number): ByteRange[] {
  checkWindow(start, end);
  const out: ByteRange[] = [];
  for (const e of overlappingSorted(overlapping, start, end)) {
    const from = Math.max(e.start, start);
    const to = Math.min(e.end, end);
    if (to <= from) continue;
    const last = out[out.length - 1];
    if (last && last.end >= from) last.end = Math.max(last.end, to);
    else out.push({ start: from, end: to });
  }
  return out;
}
