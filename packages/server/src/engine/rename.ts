import { errors } from "../errors/catalogue.js";
import { type Metadata, NO_LEASE, type NodeKind, type NodeRecord } from "../store/records.js";
import type { NodePatch, Transaction } from "../store/transaction.js";
import type { EngineDeps } from "./deps.js";
import type { NodeAddress } from "./directories.js";
import { newEtag } from "./etag.js";
import { checkWrite } from "./lease-machine.js";
import { findNode, requireParentId, requireShare } from "./lookup.js";
import { nameKey, validateMetadata, validatePath } from "./names.js";
import { resolveSmb, type SmbInput } from "./smb.js";

/** What Rename File / Rename Directory asks for, its headers already read. */
export interface RenameInput {
  /** "file" for Rename File, "directory" for Rename Directory: the source must be of this kind. */
  kind: NodeKind;
  /** Path of the source in the destination's share (`x-ms-file-rename-source`). */
  sourcePath: string[];
  /** `x-ms-file-rename-replace-if-exists`. */
  replaceIfExists: boolean;
  /** `x-ms-file-rename-ignore-readonly`: a ReadOnly file at the destination may be replaced. */
  ignoreReadOnly: boolean;
  /** `x-ms-source-lease-id`. */
  sourceLeaseId?: string;
  /** `x-ms-destination-lease-id`. */
  destinationLeaseId?: string;
  /** SMB properties for the renamed node; absent ones are kept, the change time moves to now. */
  smb: SmbInput;
  /** New metadata, or undefined to keep the source's. */
  metadata?: Metadata;
  /** `x-ms-content-type` (files), or undefined to keep it. */
  contentType?: string;
}

function isReadOnly(attributes: string): boolean {
  return attributes.split("|").some((a) => a.trim().toLowerCase() === "readonly");
}

/** Refuses a directory move into itself or below itself: `source` must not be `parent` or its ancestor. */
async function refuseMoveIntoItself(tx: Transaction, source: NodeRecord, parentId: number): Promise<void> {
  for (let id: number | null = parentId; id !== null; ) {
    if (id === source.id)
      throw errors.invalidInput("A directory cannot be moved into itself or one of its subdirectories.");
    id = (await tx.getNode(id))?.parentId ?? null;
  }
}

/**
 * Rename File / Rename Directory, within one share, in one transaction: the source row is
 * re-parented and renamed (a directory takes its whole subtree along), keeping its FileId, content
 * and lease. Checks, in order: source (404 ResourceNotFound), source lease (412), destination parent
 * (404 ParentNotFound), no move of a directory into itself (400 InvalidInput), destination lease
 * (412, also when an id is given for a destination without a lease), an existing destination (409
 * ResourceAlreadyExists without replace; an existing directory is never replaced: 409
 * ResourceTypeMismatch for a file source, ResourceAlreadyExists for a directory source; 409
 * ReadOnlyAttribute for a ReadOnly file without ignore-readonly). A replaced file is deleted.
 */
export async function renameNode(
  deps: EngineDeps,
  destination: NodeAddress,
  input: RenameInput,
): Promise<NodeRecord> {
  if (destination.snapshot) throw errors.shareSnapshotOperationNotSupported();
  if (destination.path.length === 0) throw errors.invalidUri();
  validatePath(destination.path);
  validatePath(input.sourcePath);
  if (input.metadata) validateMetadata(input.metadata);
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, destination.account, destination.share);
    const source = await findNode(tx, share, input.sourcePath);
    if (!source || source.kind !== input.kind || source.parentId === null) throw errors.resourceNotFound();
    const now = deps.clock.now();
    const lease = checkWrite(source.lease, now, input.sourceLeaseId, "file");

    const parentId = await requireParentId(tx, share, destination.path);
    if (source.kind === "directory") await refuseMoveIntoItself(tx, source, parentId);
    const name = destination.path[destination.path.length - 1] as string;
    const existing = await tx.getChild(parentId, nameKey(name));
    if (existing && existing.id !== source.id) {
      checkWrite(existing.lease, now, input.destinationLeaseId, "file");
      if (!input.replaceIfExists) throw errors.resourceAlreadyExists();
      if (existing.kind === "directory") {
        throw source.kind === "file" ? errors.resourceTypeMismatch() : errors.resourceAlreadyExists();
      }
      if (isReadOnly(existing.attributes) && !input.ignoreReadOnly) throw errors.readOnlyAttribute();
      await tx.deleteNode(existing.id);
    } else {
      checkWrite(existing?.lease ?? NO_LEASE, now, input.destinationLeaseId, "file");
    }

    const smb = await resolveSmb(tx, share.id, input.smb, source.kind, now, source);
    const patch: NodePatch = {
      ...smb,
      parentId,
      name,
      nameKey: nameKey(name),
      lease,
      etag: newEtag(now),
      lastModified: now,
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      ...(input.contentType !== undefined && source.kind === "file"
        ? { contentType: input.contentType }
        : {}),
    };
    await tx.updateNode(source.id, patch);
    return { ...source, ...patch };
  });
}
