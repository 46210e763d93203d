import { errors } from "../errors/catalogue.js";
import {
  type CopyRecord,
  type Metadata,
  NO_LEASE,
  type NodeRecord,
  type ShareRecord,
  type SmbProperties,
} from "../store/records.js";
import type { Transaction } from "../store/transaction.js";
import type { EngineDeps } from "./deps.js";
import type { NodeAddress } from "./directories.js";
import { newEtag } from "./etag.js";
import { truncateRanges } from "./files.js";
import { checkWrite } from "./lease-machine.js";
import { requireFile, requireParentId, requireShare } from "./lookup.js";
import { nameKey, validateMetadata, validatePath } from "./names.js";
import { DEFAULT_SDDL, normaliseAttributes, resolveSmb, type SmbInput, storePermission } from "./smb.js";

/** The SMB options of Copy File (`x-ms-file-*` and `x-ms-file-copy-*` headers), values as sent. */
export interface CopySmbOptions {
  /** Attributes, "source", or absent for a new file's default (Archive). */
  attributes?: string;
  /** Each time: an ISO-8601 time, "source", "now", or absent for the time of the copy. */
  creationTime?: string;
  lastWriteTime?: string;
  changeTime?: string;
  /** `x-ms-file-permission-copy-mode`: absent = the default permission unless one is given. */
  permissionCopyMode?: "source" | "override";
  permission?: string;
  permissionKey?: string;
  /** `x-ms-file-copy-ignore-readonly`: a ReadOnly destination may be overwritten. */
  ignoreReadOnly: boolean;
  /** `x-ms-file-copy-set-archive`: the Archive attribute is set whatever else is asked. */
  setArchive: boolean;
}

/** What Copy File asks for, its headers already read and its source already authorized. */
export interface StartCopyInput {
  /** The source file: any share or share snapshot of the account(s) this server holds. */
  source: NodeAddress;
  /** The source URL for `x-ms-copy-source` (no SAS signature). */
  sourceUrl: string;
  /** The new copy id (a GUID). */
  copyId: string;
  /** Metadata for the destination, or undefined to copy the source's. */
  metadata?: Metadata;
  smb: CopySmbOptions;
  /** `x-ms-lease-id`: required when the destination exists with an active lease. */
  leaseId?: string;
}

const isReadOnly = (attributes: string) =>
  attributes.split("|").some((a) => a.trim().toLowerCase() === "readonly");

/** "source" → the source's value; anything else as sent. */
function fromSource(value: string | undefined, sourceValue: string): string | undefined {
  return value?.toLowerCase() === "source" ? sourceValue : value;
}

/** The destination's SMB properties: request values, "source" values, or a new file's defaults. */
async function copySmb(
  tx: Transaction,
  destShare: ShareRecord,
  sourceShare: ShareRecord,
  source: NodeRecord,
  opts: CopySmbOptions,
  now: number,
): Promise<SmbProperties> {
  const givenPermission = opts.permission !== undefined || opts.permissionKey !== undefined;
  if (opts.permissionCopyMode === "override" && !givenPermission)
    throw errors.missingRequiredHeader("x-ms-file-permission");
  if (opts.permissionCopyMode === "source" && givenPermission)
    throw errors.invalidHeaderValue("x-ms-file-permission-copy-mode", "source");
  const input: SmbInput = {
    creationTime: fromSource(opts.creationTime, source.creationTime) ?? "now",
    lastWriteTime: fromSource(opts.lastWriteTime, source.lastWriteTime) ?? "now",
    changeTime: fromSource(opts.changeTime, source.changeTime) ?? "now",
  };
  const attributes = fromSource(opts.attributes, source.attributes);
  if (attributes !== undefined) input.attributes = attributes;
  if (opts.permission !== undefined) input.permission = opts.permission;
  if (opts.permissionKey !== undefined) input.permissionKey = opts.permissionKey;
  if (opts.permissionCopyMode === "source") {
    if (sourceShare.id === destShare.id) input.permissionKey = source.permissionKey;
    else {
      const sddl = (await tx.getPermission(sourceShare.id, source.permissionKey)) ?? DEFAULT_SDDL;
      input.permissionKey = await storePermission(tx, destShare.id, sddl);
    }
  }
  const smb = await resolveSmb(tx, destShare.id, input, "file", now, undefined);
  if (opts.setArchive) smb.attributes = normaliseAttributes(`${smb.attributes}|Archive`, "file");
  return smb;
}

/**
 * Copy File, done at once in one transaction: the destination (new, or the existing file
 * overwritten) gets the source's size, content headers and metadata (unless the request gives
 * metadata) and a copy of its range map — the bytes are shared, not copied — with copy state
 * `success`. Destination checks: share and parent (404), an existing directory (409
 * ResourceAlreadyExists), its lease (412, also for an id on a file without a lease), ReadOnly (409
 * ReadOnlyAttribute unless ignore-readonly). The source must be a file (404 ShareNotFound /
 * ShareSnapshotNotFound / ParentNotFound / ResourceNotFound).
 */
export async function startCopy(
  deps: EngineDeps,
  destination: NodeAddress,
  input: StartCopyInput,
): Promise<NodeRecord> {
  if (destination.snapshot) throw errors.shareSnapshotOperationNotSupported();
  if (destination.path.length === 0) throw errors.invalidUri();
  validatePath(destination.path);
  validatePath(input.source.path);
  if (input.metadata) validateMetadata(input.metadata);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, destination.account, destination.share);
    const parentId = await requireParentId(tx, share, destination.path);
    const src = input.source;
    const sourceShare = await requireShare(tx, src.account, src.share, src.snapshot);
    const source = await requireFile(tx, sourceShare, src.path);
    const name = destination.path[destination.path.length - 1] as string;
    const existing = await tx.getChild(parentId, nameKey(name));
    const now = deps.clock.now();
    if (existing?.kind === "directory") throw errors.resourceAlreadyExists();
    const lease = checkWrite(existing?.lease ?? NO_LEASE, now, input.leaseId, "file");
    if (existing && isReadOnly(existing.attributes) && !input.smb.ignoreReadOnly)
      throw errors.readOnlyAttribute();

    const smb = await copySmb(tx, share, sourceShare, source, input.smb, now);
    const copy: CopyRecord = {
      id: input.copyId,
      source: input.sourceUrl,
      status: "success",
      progress: `${source.size}/${source.size}`,
      completionTime: now,
      statusDescription: null,
    };
    const fields = {
      ...smb,
      name,
      metadata: input.metadata ?? source.metadata,
      size: source.size,
      contentType: source.contentType,
      contentEncoding: source.contentEncoding,
      contentLanguage: source.contentLanguage,
      cacheControl: source.cacheControl,
      contentDisposition: source.contentDisposition,
      contentMD5: source.contentMD5,
      copy,
      etag: newEtag(now),
      lastModified: now,
    };
    if (existing) {
      const patch = { ...fields, lease };
      if (existing.id !== source.id) {
        await truncateRanges(tx, existing.id, 0);
        await tx.copyRanges(source.id, existing.id);
      }
      await tx.updateNode(existing.id, patch);
      return { ...existing, ...patch };
    }
    const created = await tx.insertNode({
      ...fields,
      shareId: share.id,
      parentId,
      kind: "file",
      nameKey: nameKey(name),
      fileId: await tx.nextFileId(),
      lease: NO_LEASE,
    });
    await tx.copyRanges(source.id, created.id);
    return created;
  });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Abort Copy File. Copies complete before Copy File answers, so none is ever pending: after the
 * copy id format (400 InvalidQueryParameterValue), the file (404) and its lease (412) are checked,
 * the answer is 409 NoPendingCopyOperation.
 */
export async function abortCopy(
  deps: EngineDeps,
  addr: NodeAddress,
  copyId: string,
  leaseId: string | undefined,
): Promise<never> {
  if (!GUID.test(copyId)) throw errors.invalidQueryParameterValue("copyid", copyId);
  if (addr.snapshot) throw errors.shareSnapshotOperationNotSupported();
  validatePath(addr.path);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const file = await requireFile(tx, share, addr.path);
    checkWrite(file.lease, deps.clock.now(), leaseId, "file");
    throw errors.noPendingCopyOperation();
  });
}
