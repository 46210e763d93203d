import { errors } from "../errors/catalogue.js";
import type { EngineDeps } from "./deps.js";
import type { NodeAddress } from "./directories.js";
import { applyLeaseAction, type LeaseAction } from "./lease-machine.js";
import { requireFile, requireShare } from "./lookup.js";
import { validatePath } from "./names.js";

/** What a lease operation answers: the resource's (unchanged) ETag/Last-Modified and lease headers. */
export interface LeaseOutcome {
  etag: string;
  lastModified: number;
  leaseId?: string;
  leaseTimeSeconds?: number;
}

/** Lease Share (acquire / renew / change / release / break), on a share or one of its snapshots. */
export async function leaseShare(
  deps: EngineDeps,
  account: string,
  name: string,
  snapshot: string,
  action: LeaseAction,
): Promise<LeaseOutcome> {
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, account, name, snapshot);
    const result = applyLeaseAction(share.lease, action, {
      now: deps.clock.now(),
      target: "share",
      profile: deps.profile,
      newId: deps.newLeaseId,
    });
    await tx.setShareLease(share.id, result.lease);
    return outcome(share.etag, share.lastModified, result);
  });
}

/** Lease File (acquire / change / release / break; renew and break periods in the extended profile). */
export async function leaseFile(
  deps: EngineDeps,
  addr: NodeAddress,
  action: LeaseAction,
): Promise<LeaseOutcome> {
  validatePath(addr.path);
  if (addr.snapshot) throw errors.shareSnapshotOperationNotSupported();
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, addr.account, addr.share);
    const file = await requireFile(tx, share, addr.path);
    const result = applyLeaseAction(file.lease, action, {
      now: deps.clock.now(),
      target: "file",
      profile: deps.profile,
      newId: deps.newLeaseId,
    });
    await tx.setNodeLease(file.id, result.lease);
    return outcome(file.etag, file.lastModified, result);
  });
}

function outcome(
  etag: string,
  lastModified: number,
  result: { leaseId?: string; leaseTimeSeconds?: number },
): LeaseOutcome {
  return {
    etag,
    lastModified,
    ...(result.leaseId !== undefined ? { leaseId: result.leaseId } : {}),
    ...(result.leaseTimeSeconds !== undefined ? { leaseTimeSeconds: result.leaseTimeSeconds } : {}),
  };
}
