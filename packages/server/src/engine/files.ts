import { errors } from "../errors/catalogue.js";
import { type ContentHeaders, type Metadata, NO_LEASE, type NodeRecord } from "../store/records.js";
import type { Transaction } from "../store/transaction.js";
import type { EngineDeps } from "./deps.js";
import type { NodeAddress } from "./directories.js";
import { newEtag } from "./etag.js";
import { checkRead, checkWrite } from "./lease-machine.js";
import { findNode, requireFile, requireParentId, requireShare } from "./lookup.js";
import { nameKey, validateMetadata, validatePath } from "./names.js";
import { planTruncate } from "./range-map.js";
import { resolveSmb, type SmbInput } from "./smb.js";

/** Largest file Azure Files allows: 4 TiB. */
export const MAX_FILE_SIZE = 4 * 1024 ** 4;

function validateSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_SIZE) {
    throw errors.invalidHeaderValue("x-ms-content-length", String(size));
  }
}

function refuseSnapshot(addr: NodeAddress): void {
  if (addr.snapshot) throw errors.shareSnapshotOperationNotSupported();
}

/** Removes every range entry at or after `size`. */
export async function truncateRanges(tx: Transaction, fileId: number, size: number): Promise<void> {
  const overlapping = await tx.rangesOverlapping(fileId, size, Number.MAX_SAFE_INTEGER);
  if (overlapping.length === 0) return;
  const plan = planTruncate(overlapping, size);
  await tx.deleteRanges(fileId, plan.deleteStarts);
  if (plan.insert.length > 0) await tx.insertRanges(fileId, plan.insert);
}

export interface CreateFileInput {
  size: number;
  headers: ContentHeaders;
  metadata: Metadata;
  smb: SmbInput;
  leaseId?: string;
}

/** Create File: a new file of `size` zero bytes, or the reset of an existing one (lease-gated). */
export async function createFile(
  deps: EngineDeps,
  addr: NodeAddress,
  input: CreateFileInput,
): Promise<NodeRecord> {
  refuseSnapshot(addr);
  if (addr.path.length === 0) throw errors.invalidUri();
  validatePath(addr.path);
  validateSize(input.size);
  validateMetadata(input.metadata);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const parentId = await requireParentId(tx, share, addr.path);
    const name = addr.path[addr.path.length - 1] as string;
    const existing = await tx.getChild(parentId, nameKey(name));
    const now = deps.clock.now();
    if (existing) {
      if (existing.kind !== "file") throw errors.resourceAlreadyExists();
      const lease = checkWrite(existing.lease, now, input.leaseId, "file");
      const smb = await resolveSmb(tx, share.id, input.smb, "file", now, existing);
      await truncateRanges(tx, existing.id, 0);
      const patch = {
        ...smb,
        ...input.headers,
        name,
        metadata: input.metadata,
        size: input.size,
        lease,
        copy: null,
        etag: newEtag(now),
        lastModified: now,
      };
      await tx.updateNode(existing.id, patch);
      return { ...existing, ...patch };
    }
    if (input.leaseId !== undefined) checkWrite(NO_LEASE, now, input.leaseId, "file");
    const smb = await resolveSmb(tx, share.id, input.smb, "file", now, undefined);
    return tx.insertNode({
      shareId: share.id,
      parentId,
      kind: "file",
      name,
      nameKey: nameKey(name),
      metadata: input.metadata,
      etag: newEtag(now),
      lastModified: now,
      fileId: await tx.nextFileId(),
      size: input.size,
      lease: NO_LEASE,
      ...smb,
      ...input.headers,
      copy: null,
    });
  });
}

/** Get File Properties / Metadata: the file, after the lease read check. */
export async function getFile(
  deps: EngineDeps,
  addr: NodeAddress,
  leaseId: string | undefined,
): Promise<NodeRecord> {
  validatePath(addr.path);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share, addr.snapshot);
    const file = await requireFile(tx, share, addr.path);
    checkRead(file.lease, deps.clock.now(), leaseId, "file");
    return file;
  });
}

/** A file or directory at a path, or 404. */
export async function getNode(deps: EngineDeps, addr: NodeAddress): Promise<NodeRecord> {
  validatePath(addr.path);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share, addr.snapshot);
    const node = await findNode(tx, share, addr.path);
    if (!node) throw errors.resourceNotFound();
    return node;
  });
}

/** Delete File (lease-gated). */
export async function deleteFile(
  deps: EngineDeps,
  addr: NodeAddress,
  leaseId: string | undefined,
): Promise<void> {
  refuseSnapshot(addr);
  validatePath(addr.path);
  await deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const file = await requireFile(tx, share, addr.path);
    checkWrite(file.lease, deps.clock.now(), leaseId, "file");
    await tx.deleteNode(file.id);
  });
}

export interface SetFilePropertiesInput {
  /** All content headers are replaced (absent ones cleared), as Azure does. */
  headers: ContentHeaders;
  /** New size (resize), or undefined to keep it. */
  size?: number;
  smb: SmbInput;
  leaseId?: string;
}

/** Set File Properties: HTTP headers, SMB properties and optionally a resize (truncating). */
export async function setFileProperties(
  deps: EngineDeps,
  addr: NodeAddress,
  input: SetFilePropertiesInput,
): Promise<NodeRecord> {
  refuseSnapshot(addr);
  validatePath(addr.path);
  if (input.size !== undefined) validateSize(input.size);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const file = await requireFile(tx, share, addr.path);
    const now = deps.clock.now();
    const lease = checkWrite(file.lease, now, input.leaseId, "file");
    const smb = await resolveSmb(tx, share.id, input.smb, "file", now, file);
    if (input.size !== undefined && input.size < file.size) await truncateRanges(tx, file.id, input.size);
    const patch = {
      ...smb,
      ...input.headers,
      lease,
      size: input.size ?? file.size,
      copy: null,
      etag: newEtag(now),
      lastModified: now,
    };
    await tx.updateNode(file.id, patch);
    return { ...file, ...patch };
  });
}

/** Set File Metadata (replaces all metadata; lease-gated). */
export async function setFileMetadata(
  deps: EngineDeps,
  addr: NodeAddress,
  metadata: Metadata,
  leaseId: string | undefined,
): Promise<NodeRecord> {
  refuseSnapshot(addr);
  validatePath(addr.path);
  validateMetadata(metadata);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const file = await requireFile(tx, share, addr.path);
    const now = deps.clock.now();
    const lease = checkWrite(file.lease, now, leaseId, "file");
    const patch = { metadata, lease, etag: newEtag(now), lastModified: now };
    await tx.updateNode(file.id, patch);
    return { ...file, ...patch };
  });
}
