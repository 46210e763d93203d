import { errors } from "../errors/catalogue.js";
import {
  type LeaseRecord,
  type ListPage,
  type Metadata,
  NO_LEASE,
  type ShareRecord,
} from "../store/records.js";
import type { Transaction } from "../store/transaction.js";
import type { EngineDeps } from "./deps.js";
import { newEtag } from "./etag.js";
import { checkRead, checkWrite, leaseView } from "./lease-machine.js";
import { requireShare } from "./lookup.js";
import { validateMetadata, validateShareName } from "./names.js";
import { DEFAULT_SDDL, storePermission } from "./smb.js";
import { smbTime } from "./times.js";

export const MAX_QUOTA_GIB = 102400;
const DEFAULT_QUOTA_GIB = 102400;
const ACCESS_TIERS = new Map(
  ["TransactionOptimized", "Hot", "Cool", "Premium"].map((t) => [t.toLowerCase(), t]),
);

export interface CreateShareInput {
  account: string;
  name: string;
  quotaGiB?: number;
  metadata: Metadata;
  accessTier?: string;
  enabledProtocols?: string;
  rootSquash?: string;
}

function validateQuota(quota: number): void {
  if (!Number.isInteger(quota) || quota < 1 || quota > MAX_QUOTA_GIB) {
    throw errors.invalidHeaderValue("x-ms-share-quota", String(quota));
  }
}

function normaliseTier(tier: string): string {
  const t = ACCESS_TIERS.get(tier.toLowerCase());
  if (!t) throw errors.invalidHeaderValue("x-ms-access-tier", tier);
  return t;
}

/** Create Share: a new share with its root directory. */
export async function createShare(deps: EngineDeps, input: CreateShareInput): Promise<ShareRecord> {
  validateShareName(input.name);
  validateMetadata(input.metadata);
  if (input.quotaGiB !== undefined) validateQuota(input.quotaGiB);
  const tier = input.accessTier === undefined ? "TransactionOptimized" : normaliseTier(input.accessTier);
  const protocols = input.enabledProtocols ?? "SMB";
  if (!/^(SMB|NFS)$/i.test(protocols)) throw errors.invalidHeaderValue("x-ms-enabled-protocols", protocols);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    if (await tx.getShare(input.account, input.name, "")) throw errors.shareAlreadyExists();
    const share = await tx.insertShare({
      account: input.account,
      name: input.name,
      snapshot: "",
      quotaGiB: input.quotaGiB ?? DEFAULT_QUOTA_GIB,
      metadata: input.metadata,
      etag: newEtag(now),
      lastModified: now,
      accessTier: tier,
      accessTierChangeTime: now,
      enabledProtocols: protocols.toUpperCase(),
      rootSquash: input.rootSquash ?? null,
      lease: NO_LEASE,
      acl: "[]",
    });
    const permissionKey = await storePermission(tx, share.id, DEFAULT_SDDL);
    const t = smbTime(now);
    await tx.insertNode({
      shareId: share.id,
      parentId: null,
      kind: "directory",
      name: "",
      nameKey: "",
      metadata: {},
      etag: newEtag(now),
      lastModified: now,
      fileId: "0",
      size: 0,
      lease: NO_LEASE,
      attributes: "Directory",
      creationTime: t,
      lastWriteTime: t,
      changeTime: t,
      permissionKey,
      contentType: null,
      contentEncoding: null,
      contentLanguage: null,
      cacheControl: null,
      contentDisposition: null,
      contentMD5: null,
      copy: null,
    });
    return share;
  });
}

/** Get Share Properties (and Get Share Metadata): the share, after the lease read check. */
export async function getShare(
  deps: EngineDeps,
  account: string,
  name: string,
  snapshot: string,
  leaseId: string | undefined,
): Promise<ShareRecord> {
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, account, name, snapshot);
    checkRead(share.lease, deps.clock.now(), leaseId, "share");
    return share;
  });
}

/** Runs a share-changing operation behind the share lease; the work stores the lease the gate returns. */
export async function withShareWriteGate<T>(
  deps: EngineDeps,
  account: string,
  name: string,
  leaseId: string | undefined,
  work: (tx: Transaction, share: ShareRecord, lease: LeaseRecord, now: number) => Promise<T>,
  snapshot = "",
): Promise<T> {
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, account, name, snapshot);
    const now = deps.clock.now();
    const lease = checkWrite(share.lease, now, leaseId, "share");
    return work(tx, share, lease, now);
  });
}

export interface SetSharePropertiesInput {
  quotaGiB?: number;
  accessTier?: string;
  rootSquash?: string;
  leaseId?: string;
}

/** Set Share Properties (quota, tier, root squash). */
export async function setShareProperties(
  deps: EngineDeps,
  account: string,
  name: string,
  input: SetSharePropertiesInput,
): Promise<ShareRecord> {
  if (input.quotaGiB !== undefined) validateQuota(input.quotaGiB);
  const tier = input.accessTier === undefined ? undefined : normaliseTier(input.accessTier);
  return withShareWriteGate(deps, account, name, input.leaseId, async (tx, share, lease, now) => {
    const patch = {
      lease,
      etag: newEtag(now),
      lastModified: now,
      ...(input.quotaGiB !== undefined ? { quotaGiB: input.quotaGiB } : {}),
      ...(tier !== undefined && tier !== share.accessTier
        ? { accessTier: tier, accessTierChangeTime: now }
        : {}),
      ...(input.rootSquash !== undefined ? { rootSquash: input.rootSquash } : {}),
    };
    await tx.updateShare(share.id, patch);
    return { ...share, ...patch };
  });
}

/** Set Share Metadata (replaces all metadata). */
export async function setShareMetadata(
  deps: EngineDeps,
  account: string,
  name: string,
  metadata: Metadata,
  leaseId: string | undefined,
): Promise<ShareRecord> {
  validateMetadata(metadata);
  return withShareWriteGate(deps, account, name, leaseId, async (tx, share, lease, now) => {
    const patch = { lease, metadata, etag: newEtag(now), lastModified: now };
    await tx.updateShare(share.id, patch);
    return { ...share, ...patch };
  });
}

export type DeleteSnapshotsOption = "none" | "include" | "include-leased";

/** Delete Share (a base share with its snapshots as asked, or one snapshot). */
export async function deleteShare(
  deps: EngineDeps,
  account: string,
  name: string,
  snapshot: string,
  deleteSnapshots: DeleteSnapshotsOption,
  leaseId: string | undefined,
): Promise<void> {
  await withShareWriteGate(
    deps,
    account,
    name,
    leaseId,
    async (tx, share, _lease, now) => {
      if (!snapshot) {
        const snapshots = await tx.listSnapshots(account, name);
        if (snapshots.length > 0) {
          if (deleteSnapshots === "none") throw errors.shareHasSnapshots();
          if (deleteSnapshots === "include") {
            if (snapshots.some((s) => leaseView(s.lease, now).status === "locked"))
              throw errors.deleteShareWhenSnapshotLeased();
          }
          for (const s of snapshots) await tx.deleteShare(s.id);
        }
      }
      await tx.deleteShare(share.id);
    },
    snapshot,
  );
}

/** Get Share Stats: bytes used by the share's files. */
export async function getShareUsage(
  deps: EngineDeps,
  account: string,
  name: string,
  leaseId: string | undefined,
): Promise<{ share: ShareRecord; usageBytes: number }> {
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, account, name);
    checkRead(share.lease, deps.clock.now(), leaseId, "share");
    return { share, usageBytes: await tx.shareUsageBytes(share.id) };
  });
}

export interface ListSharesInput {
  account: string;
  prefix?: string;
  marker?: string;
  maxResults: number;
  includeSnapshots: boolean;
}

/** List Shares: one page, index-ordered. */
export async function listShares(deps: EngineDeps, input: ListSharesInput): Promise<ListPage<ShareRecord>> {
  return deps.store.transaction((tx) =>
    tx.listShares(input.account, {
      limit: input.maxResults,
      includeSnapshots: input.includeSnapshots,
      ...(input.prefix ? { prefix: input.prefix } : {}),
      ...(input.marker ? { marker: input.marker } : {}),
    }),
  );
}

/** Create Permission: stores an SDDL for the share and returns its key. */
export async function createPermission(
  deps: EngineDeps,
  account: string,
  name: string,
  sddl: string,
): Promise<string> {
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, account, name);
    return storePermission(tx, share.id, sddl);
  });
}

/** Get Permission: the SDDL stored under a key. */
export async function getPermission(
  deps: EngineDeps,
  account: string,
  name: string,
  key: string,
): Promise<string> {
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, account, name);
    const sddl = await tx.getPermission(share.id, key);
    if (sddl === null) throw errors.invalidHeaderValue("x-ms-file-permission-key", key);
    return sddl;
  });
}
