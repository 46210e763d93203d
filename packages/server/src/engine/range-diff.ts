import type { RangeRecord } from "../store/records.js";
import type { ByteRange } from "./range-map.js";

/** What changed in a window between an earlier range map (a snapshot's) and the current one. */
export interface RangeDiff {
  /** Bytes written since (end exclusive). */
  changed: ByteRange[];
  /** Bytes that held data then and are cleared now (end exclusive). */
  cleared: ByteRange[];
}

/** The entry covering `at`, if any (entries sorted and non-overlapping). */
function covering(entries: readonly RangeRecord[], at: number): RangeRecord | undefined {
  return entries.find((e) => e.start <= at && at < e.end);
}

/** Where byte `at` lives, as a comparable key, or null for a hole. */
function sourceOf(entries: readonly RangeRecord[], at: number): string | null {
  const e = covering(entries, at);
  return e ? `${e.extentId}@${e.extentOffset + (at - e.start)}` : null;
}

function push(list: ByteRange[], from: number, to: number): void {
  const last = list[list.length - 1];
  if (last && last.end === from) last.end = to;
  else list.push({ start: from, end: to });
}

/**
 * Get Range List with `prevsharesnapshot`: compares, segment by segment, where each byte's content
 * lives now and in the snapshot. A snapshot shares its maps' extents with the base file, so bytes
 * untouched since the snapshot point at the same extent offset; any write since points elsewhere.
 */
export function diffRanges(
  current: readonly RangeRecord[],
  previous: readonly RangeRecord[],
  start: number,
  end: number,
): RangeDiff {
  const cuts = new Set<number>([start, end]);
  for (const e of [...current, ...previous]) {
    if (e.start > start && e.start < end) cuts.add(e.start);
    if (e.end > start && e.end < end) cuts.add(e.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const diff: RangeDiff = { changed: [], cleared: [] };
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i] as number;
    const to = points[i + 1] as number;
    const now = sourceOf(current, from);
    const then = sourceOf(previous, from);
    if (now !== null && now !== then) push(diff.changed, from, to);
    else if (now === null && then !== null) push(diff.cleared, from, to);
  }
  return diff;
}
