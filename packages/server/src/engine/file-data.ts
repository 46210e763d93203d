import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadPiece } from "../content/content-store.js";
import { errors } from "../errors/catalogue.js";
import type { NodeRecord } from "../store/records.js";
import type { Transaction } from "../store/transaction.js";
import type { EngineDeps } from "./deps.js";
import type { NodeAddress } from "./directories.js";
import { newEtag } from "./etag.js";
import { checkRead, checkWrite } from "./lease-machine.js";
import { findNode, requireFile, requireShare } from "./lookup.js";
import { validatePath } from "./names.js";
import { diffRanges } from "./range-diff.js";
import { listRanges, planClear, planWrite, readPieces } from "./range-map.js";
import { smbTime } from "./times.js";

/** Largest Put Range body: 4 MiB. */
export const MAX_RANGE_BYTES = 4 * 1024 * 1024;

/** Whether a data write moves the file's SMB last-write time (`x-ms-file-last-write-time`). */
export type LastWriteMode = "now" | "preserve";

/** What every data write changes: ETag, Last-Modified, change time and (unless preserved) last-write time. */
function writePatch(file: NodeRecord, now: number, mode: LastWriteMode) {
  const t = smbTime(now);
  return {
    etag: newEtag(now),
    lastModified: now,
    changeTime: t,
    lastWriteTime: mode === "preserve" ? file.lastWriteTime : t,
  };
}

/** An inclusive byte range as HTTP states it. */
export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

async function writableFile(
  tx: Transaction,
  deps: EngineDeps,
  addr: NodeAddress,
  leaseId: string | undefined,
  range: ByteRange,
): Promise<{ file: NodeRecord; now: number }> {
  const share = await requireShare(tx, addr.account, addr.share);
  const file = await requireFile(tx, share, addr.path);
  const now = deps.clock.now();
  const lease = checkWrite(file.lease, now, leaseId, "file");
  if (range.end >= file.size) throw errors.invalidRange();
  if (lease !== file.lease) await tx.setNodeLease(file.id, lease);
  return { file: { ...file, lease }, now };
}

function checkAddress(addr: NodeAddress, range: ByteRange): void {
  if (addr.snapshot) throw errors.shareSnapshotOperationNotSupported();
  validatePath(addr.path);
  if (range.start < 0 || range.end < range.start) throw errors.invalidRange();
}

/**
 * Put Range (update): checks first, appends the bytes durably to the content store, then commits
 * the range-map change in one transaction (re-checked), so a crash leaves old or new content.
 */
export async function putRange(
  deps: EngineDeps,
  addr: NodeAddress,
  range: ByteRange,
  data: Buffer,
  leaseId: string | undefined,
  lastWriteMode: LastWriteMode = "now",
): Promise<NodeRecord> {
  checkAddress(addr, range);
  if (data.length !== range.end - range.start + 1)
    throw errors.invalidHeaderValue("Content-Length", String(data.length));
  if (data.length > MAX_RANGE_BYTES) throw errors.requestBodyTooLarge();
  await deps.store.transaction((tx) => writableFile(tx, deps, addr, leaseId, range));
  const span = await deps.content.append(data);
  return deps.store.transaction(async (tx) => {
    const { file, now } = await writableFile(tx, deps, addr, leaseId, range);
    const end = range.end + 1;
    const overlapping = await tx.rangesOverlapping(file.id, range.start, end);
    const plan = planWrite(overlapping, {
      start: range.start,
      end,
      extentId: span.extentId,
      extentOffset: span.offset,
    });
    await tx.deleteRanges(file.id, plan.deleteStarts);
    await tx.insertRanges(file.id, plan.insert);
    const patch = writePatch(file, now, lastWriteMode);
    await tx.updateNode(file.id, patch);
    return { ...file, ...patch };
  });
}

/** Put Range (clear): the range reads as zeros again and leaves List Ranges. */
export async function clearRange(
  deps: EngineDeps,
  addr: NodeAddress,
  range: ByteRange,
  leaseId: string | undefined,
  lastWriteMode: LastWriteMode = "now",
): Promise<NodeRecord> {
  checkAddress(addr, range);
  return deps.store.transaction(async (tx) => {
    const { file, now } = await writableFile(tx, deps, addr, leaseId, range);
    const end = range.end + 1;
    const overlapping = await tx.rangesOverlapping(file.id, range.start, end);
    const plan = planClear(overlapping, range.start, end);
    await tx.deleteRanges(file.id, plan.deleteStarts);
    if (plan.insert.length > 0) await tx.insertRanges(file.id, plan.insert);
    const patch = writePatch(file, now, lastWriteMode);
    await tx.updateNode(file.id, patch);
    return { ...file, ...patch };
  });
}

/** What Get File serves: the file, the byte window (inclusive end) and the content stream. */
export interface Download {
  file: NodeRecord;
  /** null when the whole file is served. */
  range: ByteRange | null;
  length: number;
  stream: Readable;
  /** MD5 of the range, when asked for. */
  rangeMD5?: string;
}

/**
 * Get File: resolves the window (a range past the end is clipped; one starting past the end is
 * 416) and opens the content stream from the range map.
 */
export async function openDownload(
  deps: EngineDeps,
  addr: NodeAddress,
  requested: { start: number; end?: number } | null,
  leaseId: string | undefined,
  wantRangeMD5: boolean,
): Promise<Download> {
  validatePath(addr.path);
  // The stream is created inside the transaction so its extents are retained before any
  // later transaction (a compaction) can drop them.
  const { file, range, length, stream } = await deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share, addr.snapshot);
    const file = await requireFile(tx, share, addr.path);
    checkRead(file.lease, deps.clock.now(), leaseId, "file");
    let range: ByteRange | null = null;
    if (requested) {
      if (requested.start >= file.size) throw errors.invalidRange();
      range = { start: requested.start, end: Math.min(requested.end ?? file.size - 1, file.size - 1) };
    }
    const length = range ? range.end - range.start + 1 : file.size;
    if (wantRangeMD5 && (!range || length > MAX_RANGE_BYTES)) {
      throw errors.outOfRangeInput("The range-get-content-md5 option needs a range of at most 4 MiB.");
    }
    const start = range?.start ?? 0;
    const end = start + length;
    const overlapping = end > start ? await tx.rangesOverlapping(file.id, start, end) : [];
    const pieces: ReadPiece[] = end > start ? readPieces(overlapping, start, end) : [];
    return { file, range, length, stream: deps.content.createReadStream(pieces) };
  });
  if (!wantRangeMD5) return { file, range, length, stream };
  // At most 4 MiB: read it once, hash it, and serve the same bytes.
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks, length);
  const rangeMD5 = createHash("md5").update(bytes).digest("base64");
  return { file, range, length, stream: Readable.from([bytes]), rangeMD5 };
}

/** List Ranges: the written ranges (inclusive ends) within an optional window. */
export async function getRangeList(
  deps: EngineDeps,
  addr: NodeAddress,
  window: ByteRange | null,
  leaseId: string | undefined,
  previousSnapshot?: string,
): Promise<{ file: NodeRecord; ranges: ByteRange[]; cleared: ByteRange[] }> {
  validatePath(addr.path);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share, addr.snapshot);
    const file = await requireFile(tx, share, addr.path);
    checkRead(file.lease, deps.clock.now(), leaseId, "file");
    const start = window?.start ?? 0;
    const end = Math.min(window ? window.end + 1 : file.size, file.size);
    if (end <= start) return { file, ranges: [], cleared: [] };
    const overlapping = await tx.rangesOverlapping(file.id, start, end);
    const inclusive = (r: ByteRange) => ({ start: r.start, end: r.end - 1 });
    if (previousSnapshot === undefined) {
      return { file, ranges: listRanges(overlapping, start, end).map(inclusive), cleared: [] };
    }
    // Range diff: the same path in the earlier snapshot (a file that did not exist then had no data).
    const then = await requireShare(tx, addr.account, addr.share, previousSnapshot);
    const old = await findNode(tx, then, addr.path);
    const before = old?.kind === "file" ? await tx.rangesOverlapping(old.id, start, end) : [];
    const diff = diffRanges(overlapping, before, start, end);
    return { file, ranges: diff.changed.map(inclusive), cleared: diff.cleared.map(inclusive) };
  });
}
