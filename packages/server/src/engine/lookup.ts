import { errors } from "../errors/catalogue.js";
import type { NodeRecord, ShareRecord } from "../store/records.js";
import type { Transaction } from "../store/transaction.js";
import { nameKey } from "./names.js";

/** The share (or share snapshot) or 404 ShareNotFound / ShareSnapshotNotFound. */
export async function requireShare(
  tx: Transaction,
  account: string,
  name: string,
  snapshot = "",
): Promise<ShareRecord> {
  const share = await tx.getShare(account, name, snapshot);
  if (share) return share;
  if (snapshot && (await tx.getShare(account, name, ""))) throw errors.shareSnapshotNotFound();
  throw errors.shareNotFound();
}

/** The root directory of a share. */
export async function requireRoot(tx: Transaction, share: ShareRecord): Promise<NodeRecord> {
  const root = await tx.getRoot(share.id);
  if (!root) throw errors.internalError();
  return root;
}

/** The id of the directory holding the last segment of `path`, or 404 ParentNotFound. */
export async function requireParentId(tx: Transaction, share: ShareRecord, path: string[]): Promise<number> {
  let id = await tx.getRootId(share.id);
  if (id === null) throw errors.internalError();
  for (let i = 0; i < path.length - 1; i++) {
    const child = await tx.getChild(id, nameKey(path[i] as string));
    if (child?.kind !== "directory") throw errors.parentNotFound();
    id = child.id;
  }
  return id;
}

/** The node at `path` (the root for []), or null; throws ParentNotFound when a parent is missing. */
export async function findNode(
  tx: Transaction,
  share: ShareRecord,
  path: string[],
): Promise<NodeRecord | null> {
  if (path.length === 0) return requireRoot(tx, share);
  const parentId = await requireParentId(tx, share, path);
  return tx.getChild(parentId, nameKey(path[path.length - 1] as string));
}

/** The directory at `path`, or 404 (ResourceNotFound / ParentNotFound). */
export async function requireDirectory(
  tx: Transaction,
  share: ShareRecord,
  path: string[],
): Promise<NodeRecord> {
  const node = await findNode(tx, share, path);
  if (node?.kind !== "directory") throw errors.resourceNotFound();
  return node;
}

/** The file at `path`, or 404 (ResourceNotFound / ParentNotFound). */
export async function requireFile(tx: Transaction, share: ShareRecord, path: string[]): Promise<NodeRecord> {
  const node = await findNode(tx, share, path);
  if (node?.kind !== "file") throw errors.resourceNotFound();
  return node;
}
