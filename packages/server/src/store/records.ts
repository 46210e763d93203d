/**
 * The rows of the metadata store, as plain data. The engine reads and writes these through a
 * `Transaction` (store/transaction.ts); the store holds no domain rules.
 */

/** Lease state as stored. "expired" is never stored: it is computed from `expiresAt` and the clock. */
export type StoredLeaseState = "available" | "leased" | "breaking" | "broken";

export interface LeaseRecord {
  /** The current (or last) lease id; null when no lease was ever taken or it was released. */
  id: string | null;
  state: StoredLeaseState;
  /** -1 for an infinite lease, else the fixed duration in seconds. */
  durationSeconds: number;
  /** Epoch ms when a fixed lease expires; null for infinite or no lease. */
  expiresAt: number | null;
  /** Epoch ms when a breaking lease becomes broken; null unless breaking. */
  breakAt: number | null;
}

export const NO_LEASE: LeaseRecord = {
  id: null,
  state: "available",
  durationSeconds: -1,
  expiresAt: null,
  breakAt: null,
};

export type Metadata = Record<string, string>;

export interface ShareRecord {
  id: number;
  account: string;
  name: string;
  /** "" for the base share, else the snapshot timestamp as Azure formats it. */
  snapshot: string;
  quotaGiB: number;
  metadata: Metadata;
  etag: string;
  /** Epoch ms. */
  lastModified: number;
  accessTier: string;
  accessTierChangeTime: number;
  enabledProtocols: string;
  rootSquash: string | null;
  lease: LeaseRecord;
  /** Stored access policies (Set Share ACL), as JSON text of SignedIdentifier[]. */
  acl: string;
}

export type NewShare = Omit<ShareRecord, "id">;

export type NodeKind = "directory" | "file";

/** HTTP content headers of a file. */
export interface ContentHeaders {
  contentType: string | null;
  contentEncoding: string | null;
  contentLanguage: string | null;
  cacheControl: string | null;
  contentDisposition: string | null;
  /** base64 MD5 as the client set it; never computed by the service for ranged writes. */
  contentMD5: string | null;
}

/** SMB properties shared by files and directories. Times are ISO-8601 strings with 7 fractional digits. */
export interface SmbProperties {
  attributes: string;
  creationTime: string;
  lastWriteTime: string;
  changeTime: string;
  permissionKey: string;
}

/** The state of the last Copy File into a file, as Get File reports it (`x-ms-copy-*`). */
export interface CopyRecord {
  /** `x-ms-copy-id`: a GUID. */
  id: string;
  /** `x-ms-copy-source`: the source URL, without any SAS signature. */
  source: string;
  status: "pending" | "success" | "aborted" | "failed";
  /** `x-ms-copy-progress`: "<bytes copied>/<bytes total>". */
  progress: string;
  /** Epoch ms the copy ended; null while pending. */
  completionTime: number | null;
  /** `x-ms-copy-status-description`, when there is one. */
  statusDescription: string | null;
}

/** A directory or a file. The root directory of a share has parentId null and name "". */
export interface NodeRecord extends SmbProperties, ContentHeaders {
  id: number;
  shareId: number;
  parentId: number | null;
  kind: NodeKind;
  /** The name as the client spelled it. */
  name: string;
  /** Lower-cased name: unique among siblings (Azure Files names are case-insensitive) and the listing order. */
  nameKey: string;
  metadata: Metadata;
  etag: string;
  /** Epoch ms. */
  lastModified: number;
  /** The Azure FileId, a decimal string unique in the account. */
  fileId: string;
  /** Content length of a file; 0 for directories. */
  size: number;
  lease: LeaseRecord;
  /** The last Copy File into this file (stored as JSON); null if none, or cleared by a later overwrite. */
  copy: CopyRecord | null;
}

export type NewNode = Omit<NodeRecord, "id">;

/** One entry of a file's range map: bytes [start, end) live in extent `extentId` from `extentOffset`. */
export interface RangeRecord {
  start: number;
  end: number;
  extentId: string;
  extentOffset: number;
}

/** Service properties of an account, as the XML document's parsed content (opaque JSON to the store). */
export interface ServicePropertiesRecord {
  json: string;
}

export interface ListPage<T> {
  items: T[];
  /** Key to continue after the last item, or null when the listing is complete. */
  nextMarker: string | null;
}
