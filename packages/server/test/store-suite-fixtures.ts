/**
 * Record builders and small helpers for the metadata store suite (store-suite.ts).
 */
import type { LeaseRecord, NewNode, NewShare, NodeKind } from "../src/store/records.js";
import { NO_LEASE } from "../src/store/records.js";

let counter = 0;

/** An account name no other test of this run uses (the stores are shared between tests). */
export function uniqueAccount(label: string): string {
  counter++;
  return `acct-${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** An extent id no other test of this run uses. */
export function uniqueExtent(label: string): string {
  counter++;
  return `ext-${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A base share (or snapshot) with every field set to something recognisable. */
export function newShare(
  account: string,
  name: string,
  snapshot = "",
  over: Partial<NewShare> = {},
): NewShare {
  return {
    account,
    name,
    snapshot,
    quotaGiB: 5120,
    metadata: { owner: "tests", Mixed_Case: "Value with spaces" },
    etag: `"0x8D${name.length}${snapshot.length}"`,
    lastModified: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    accessTier: "TransactionOptimized",
    accessTierChangeTime: Date.UTC(2026, 0, 1),
    enabledProtocols: "SMB",
    rootSquash: null,
    lease: { ...NO_LEASE },
    acl: "[]",
    ...over,
  };
}

/** A directory or file under `parentId` (null for a share root) with every field set. */
export function newNode(
  shareId: number,
  parentId: number | null,
  kind: NodeKind,
  name: string,
  over: Partial<NewNode> = {},
): NewNode {
  return {
    shareId,
    parentId,
    kind,
    name,
    nameKey: name.toLowerCase(),
    metadata: {},
    etag: `"0x8DC${name.length}"`,
    lastModified: Date.UTC(2026, 1, 3),
    fileId: String(1000 + name.length),
    size: 0,
    lease: { ...NO_LEASE },
    attributes: kind === "directory" ? "Directory" : "Archive",
    creationTime: "2026-02-03T04:05:06.1234567Z",
    lastWriteTime: "2026-02-03T04:05:06.1234567Z",
    changeTime: "2026-02-03T04:05:06.1234567Z",
    permissionKey: "4627362323742117221*1234567890123456789",
    contentType: kind === "file" ? "application/octet-stream" : null,
    contentEncoding: null,
    contentLanguage: null,
    cacheControl: null,
    contentDisposition: null,
    contentMD5: null,
    copy: null,
    ...over,
  };
}

/** A fixed lease that expires at `expiresAt`. */
export function fixedLease(id: string, seconds: number, expiresAt: number): LeaseRecord {
  return { id, state: "leased", durationSeconds: seconds, expiresAt, breakAt: null };
}

/** Orders strings by Unicode code point (the order both SQL backends list in). */
export function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
