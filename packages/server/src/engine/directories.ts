import { errors } from "../errors/catalogue.js";
import {
  type ListPage,
  type Metadata,
  NO_LEASE,
  type NodeRecord,
  type ShareRecord,
} from "../store/records.js";
import type { EngineDeps } from "./deps.js";
import { newEtag } from "./etag.js";
import { requireDirectory, requireParentId, requireShare } from "./lookup.js";
import { nameKey, validateMetadata, validatePath } from "./names.js";
import { resolveSmb, type SmbInput } from "./smb.js";

/** Where a directory or file operation points. */
export interface NodeAddress {
  account: string;
  share: string;
  /** Share snapshot ("" = base share). */
  snapshot: string;
  path: string[];
}

function refuseSnapshot(addr: NodeAddress): void {
  if (addr.snapshot) throw errors.shareSnapshotOperationNotSupported();
}

/** Create Directory. */
export async function createDirectory(
  deps: EngineDeps,
  addr: NodeAddress,
  input: { metadata: Metadata; smb: SmbInput },
): Promise<NodeRecord> {
  refuseSnapshot(addr);
  if (addr.path.length === 0) throw errors.resourceAlreadyExists();
  validatePath(addr.path);
  validateMetadata(input.metadata);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const parentId = await requireParentId(tx, share, addr.path);
    const name = addr.path[addr.path.length - 1] as string;
    if (await tx.getChild(parentId, nameKey(name))) throw errors.resourceAlreadyExists();
    const now = deps.clock.now();
    const smb = await resolveSmb(tx, share.id, input.smb, "directory", now, undefined);
    return tx.insertNode({
      shareId: share.id,
      parentId,
      kind: "directory",
      name,
      nameKey: nameKey(name),
      metadata: input.metadata,
      etag: newEtag(now),
      lastModified: now,
      fileId: await tx.nextFileId(),
      size: 0,
      lease: NO_LEASE,
      ...smb,
      contentType: null,
      contentEncoding: null,
      contentLanguage: null,
      cacheControl: null,
      contentDisposition: null,
      contentMD5: null,
      copy: null,
    });
  });
}

/** Get Directory Properties / Metadata. */
export async function getDirectory(deps: EngineDeps, addr: NodeAddress): Promise<NodeRecord> {
  validatePath(addr.path);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share, addr.snapshot);
    return requireDirectory(tx, share, addr.path);
  });
}

/** Delete Directory: only when empty. */
export async function deleteDirectory(deps: EngineDeps, addr: NodeAddress): Promise<void> {
  refuseSnapshot(addr);
  validatePath(addr.path);
  if (addr.path.length === 0) throw errors.invalidUri();
  await deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const dir = await requireDirectory(tx, share, addr.path);
    if (await tx.hasChildren(dir.id)) throw errors.directoryNotEmpty();
    await tx.deleteNode(dir.id);
  });
}

/** Set Directory Properties (SMB properties). */
export async function setDirectoryProperties(
  deps: EngineDeps,
  addr: NodeAddress,
  smbInput: SmbInput,
): Promise<NodeRecord> {
  refuseSnapshot(addr);
  validatePath(addr.path);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const dir = await requireDirectory(tx, share, addr.path);
    const now = deps.clock.now();
    const smb = await resolveSmb(tx, share.id, smbInput, "directory", now, dir);
    const patch = { ...smb, etag: newEtag(now), lastModified: now };
    await tx.updateNode(dir.id, patch);
    return { ...dir, ...patch };
  });
}

/** Set Directory Metadata. */
export async function setDirectoryMetadata(
  deps: EngineDeps,
  addr: NodeAddress,
  metadata: Metadata,
): Promise<NodeRecord> {
  refuseSnapshot(addr);
  validatePath(addr.path);
  validateMetadata(metadata);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const dir = await requireDirectory(tx, share, addr.path);
    const now = deps.clock.now();
    const patch = { metadata, etag: newEtag(now), lastModified: now };
    await tx.updateNode(dir.id, patch);
    return { ...dir, ...patch };
  });
}

/** List Directories and Files: one page of a directory's children in name order. */
export async function listDirectory(
  deps: EngineDeps,
  addr: NodeAddress,
  opts: { prefix?: string; marker?: string; maxResults: number },
): Promise<{ share: ShareRecord; directory: NodeRecord; page: ListPage<NodeRecord> }> {
  validatePath(addr.path);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share, addr.snapshot);
    const directory = await requireDirectory(tx, share, addr.path);
    const page = await tx.listChildren(directory.id, {
      limit: opts.maxResults,
      ...(opts.prefix ? { prefix: nameKey(opts.prefix) } : {}),
      ...(opts.marker ? { marker: opts.marker } : {}),
    });
    return { share, directory, page };
  });
}
