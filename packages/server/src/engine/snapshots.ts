import { errors } from "../errors/catalogue.js";
import { type Metadata, NO_LEASE, type ShareRecord } from "../store/records.js";
import type { Transaction } from "../store/transaction.js";
import type { EngineDeps } from "./deps.js";
import { newEtag } from "./etag.js";
import { requireRoot, requireShare } from "./lookup.js";
import { validateMetadata } from "./names.js";
import { smbTime } from "./times.js";

/** Azure's limit of snapshots per share. */
export const MAX_SNAPSHOTS = 200;
const PAGE = 1000;

/**
 * Create Share Snapshot: a read-only copy of the share's tree. Directory and file rows are copied;
 * file bytes are not — the snapshot's range maps point at the same extents.
 */
export async function createSnapshot(
  deps: EngineDeps,
  account: string,
  name: string,
  metadata: Metadata | undefined,
): Promise<ShareRecord> {
  if (metadata) validateMetadata(metadata);
  return deps.store.transaction(async (tx) => {
    const base = await requireShare(tx, account, name);
    const existing = await tx.listSnapshots(account, name);
    if (existing.length >= MAX_SNAPSHOTS) throw errors.shareSnapshotCountExceeded();
    let at = deps.clock.now();
    const taken = new Set(existing.map((s) => s.snapshot));
    while (taken.has(smbTime(at))) at += 1;
    const snapshot = await tx.insertShare({
      ...base,
      snapshot: smbTime(at),
      metadata: metadata ?? base.metadata,
      lease: NO_LEASE,
      etag: newEtag(at),
    });
    await copyTree(tx, base, snapshot);
    return snapshot;
  });
}

/** Copies every node of `from` under the root of `to`, breadth first, page by page. */
async function copyTree(tx: Transaction, from: ShareRecord, to: ShareRecord): Promise<void> {
  const root = await requireRoot(tx, from);
  const { id: _id, ...rootFields } = root;
  const newRoot = await tx.insertNode({ ...rootFields, shareId: to.id, lease: NO_LEASE });
  const queue: Array<[number, number]> = [[root.id, newRoot.id]];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [oldParent, newParent] = next;
    let marker: string | undefined;
    do {
      const page = await tx.listChildren(oldParent, { limit: PAGE, ...(marker ? { marker } : {}) });
      for (const node of page.items) {
        const { id, ...fields } = node;
        const copy = await tx.insertNode({ ...fields, shareId: to.id, parentId: newParent, lease: NO_LEASE });
        if (node.kind === "file") await tx.copyRanges(id, copy.id);
        else queue.push([id, copy.id]);
      }
      marker = page.nextMarker ?? undefined;
    } while (marker);
  }
}
