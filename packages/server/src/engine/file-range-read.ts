import type { Readable } from "node:stream";
import { errors } from "../errors/catalogue.js";
import type { EngineDeps } from "./deps.js";
import type { NodeAddress } from "./directories.js";
import type { ByteRange } from "./file-data.js";
import { checkWrite } from "./lease-machine.js";
import { requireFile, requireShare } from "./lookup.js";
import { validatePath } from "./names.js";
import { readPieces } from "./range-map.js";

/**
 * The bytes of `range` (inclusive) of a file in a share or share snapshot, read from its range map
 * (unwritten parts read as zeros). The caller bounds the length (Put Range From URL: 4 MiB).
 * @throws StorageError 404 for a missing share, snapshot, parent or file; 416 InvalidRange when the
 * range ends past the end of the file.
 */
export async function readFileRange(deps: EngineDeps, addr: NodeAddress, range: ByteRange): Promise<Buffer> {
  validatePath(addr.path);
  // The stream is made inside the transaction so its extents are held before any later
  // transaction (a compaction) could drop them.
  const stream: Readable = await deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share, addr.snapshot);
    const file = await requireFile(tx, share, addr.path);
    if (range.start < 0 || range.end < range.start || range.end >= file.size) throw errors.invalidRange();
    const end = range.end + 1;
    const overlapping = await tx.rangesOverlapping(file.id, range.start, end);
    return deps.content.createReadStream(readPieces(overlapping, range.start, end));
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The checks a ranged write makes on its destination before any byte is read or appended: a file
 * of the base share (400 on a snapshot, 404), the lease (412), and a range inside the file (416).
 */
export async function checkRangeDestination(
  deps: EngineDeps,
  addr: NodeAddress,
  range: ByteRange,
  leaseId: string | undefined,
): Promise<void> {
  if (addr.snapshot) throw errors.shareSnapshotOperationNotSupported();
  validatePath(addr.path);
  await deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const file = await requireFile(tx, share, addr.path);
    checkWrite(file.lease, deps.clock.now(), leaseId, "file");
    if (range.start < 0 || range.end < range.start || range.end >= file.size) throw errors.invalidRange();
  });
}
