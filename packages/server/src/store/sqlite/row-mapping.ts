/**
 * Row <-> record mapping for the SQL backends. SQLite and PostgreSQL use the same column names, so
 * both map rows here; numbers may arrive as JS numbers (SQLite) or decimal strings (PostgreSQL
 * BIGINT), and both are accepted.
 */
import type {
  CopyRecord,
  LeaseRecord,
  Metadata,
  NewNode,
  NewShare,
  NodeKind,
  NodeRecord,
  RangeRecord,
  ShareRecord,
  StoredLeaseState,
} from "../records.js";
import type { NodePatch, SharePatch } from "../transaction.js";

/** A value bound to a SQL parameter. */
export type SqlValue = string | number | null;

/** A result row as a driver returns it. */
export type SqlRow = Record<string, unknown>;

/** A column name and the value to write into it. */
export type ColumnValue = readonly [column: string, value: SqlValue];

/** Share columns in insert order (everything but `id`). */
export const SHARE_COLUMNS = [
  "account",
  "name",
  "snapshot",
  "quota_gib",
  "metadata",
  "etag",
  "last_modified",
  "access_tier",
  "access_tier_change_time",
  "enabled_protocols",
  "root_squash",
  "lease_id",
  "lease_state",
  "lease_duration",
  "lease_expires_at",
  "lease_break_at",
  "acl",
] as const;

/** Node columns in insert order (everything but `id`). */
export const NODE_COLUMNS = [
  "share_id",
  "parent_id",
  "kind",
  "name",
  "name_key",
  "metadata",
  "etag",
  "last_modified",
  "file_id",
  "size",
  "lease_id",
  "lease_state",
  "lease_duration",
  "lease_expires_at",
  "lease_break_at",
  "attributes",
  "creation_time",
  "last_write_time",
  "change_time",
  "permission_key",
  "content_type",
  "content_encoding",
  "content_language",
  "cache_control",
  "content_disposition",
  "content_md5",
  "copy_state",
] as const;

/** Range-map columns, as selected by both backends. */
export const RANGE_COLUMNS = ["range_start", "range_end", "extent_id", "extent_offset"] as const;

const LEASE_STATES: ReadonlySet<string> = new Set<StoredLeaseState>([
  "available",
  "leased",
  "breaking",
  "broken",
]);
const NODE_KINDS: ReadonlySet<string> = new Set<NodeKind>(["directory", "file"]);
const COPY_STATUSES: ReadonlySet<string> = new Set<CopyRecord["status"]>([
  "pending",
  "success",
  "aborted",
  "failed",
]);

/** Raised when a stored row cannot be turned back into a record (a damaged or foreign database). */
export class CorruptRowError extends Error {
  constructor(table: string, column: string, detail: string) {
    super(`sharelock metadata store: corrupt ${table}.${column}: ${detail}`);
    this.name = "CorruptRowError";
  }
}

// --- record -> columns ---------------------------------------------------------------------------

function leaseColumns(lease: LeaseRecord): ColumnValue[] {
  return [
    ["lease_id", lease.id],
    ["lease_state", lease.state],
    ["lease_duration", lease.durationSeconds],
    ["lease_expires_at", lease.expiresAt],
    ["lease_break_at", lease.breakAt],
  ];
}

/** Values for SHARE_COLUMNS, in that order. */
export function shareValues(share: NewShare): SqlValue[] {
  return [
    share.account,
    share.name,
    share.snapshot,
    share.quotaGiB,
    JSON.stringify(share.metadata),
    share.etag,
    share.lastModified,
    share.accessTier,
    share.accessTierChangeTime,
    share.enabledProtocols,
    share.rootSquash,
    share.lease.id,
    share.lease.state,
    share.lease.durationSeconds,
    share.lease.expiresAt,
    share.lease.breakAt,
    share.acl,
  ];
}

/** Values for NODE_COLUMNS, in that order. */
export function nodeValues(node: NewNode): SqlValue[] {
  return [
    node.shareId,
    node.parentId,
    node.kind,
    node.name,
    node.nameKey,
    JSON.stringify(node.metadata),
    node.etag,
    node.lastModified,
    node.fileId,
    node.size,
    node.lease.id,
    node.lease.state,
    node.lease.durationSeconds,
    node.lease.expiresAt,
    node.lease.breakAt,
    node.attributes,
    node.creationTime,
    node.lastWriteTime,
    node.changeTime,
    node.permissionKey,
    node.contentType,
    node.contentEncoding,
    node.contentLanguage,
    node.cacheControl,
    node.contentDisposition,
    node.contentMD5,
    copyText(node.copy),
  ];
}

/** A copy record as stored: JSON text, or null. */
function copyText(copy: CopyRecord | null): string | null {
  return copy === null ? null : JSON.stringify(copy);
}

const SHARE_SCALAR_PATCH = {
  quotaGiB: "quota_gib",
  etag: "etag",
  lastModified: "last_modified",
  accessTier: "access_tier",
  accessTierChangeTime: "access_tier_change_time",
  rootSquash: "root_squash",
  acl: "acl",
} as const satisfies Partial<Record<keyof SharePatch, string>>;

const NODE_SCALAR_PATCH = {
  parentId: "parent_id",
  name: "name",
  nameKey: "name_key",
  etag: "etag",
  lastModified: "last_modified",
  size: "size",
  attributes: "attributes",
  creationTime: "creation_time",
  lastWriteTime: "last_write_time",
  changeTime: "change_time",
  permissionKey: "permission_key",
  contentType: "content_type",
  contentEncoding: "content_encoding",
  contentLanguage: "content_language",
  cacheControl: "cache_control",
  contentDisposition: "content_disposition",
  contentMD5: "content_md5",
} as const satisfies Partial<Record<keyof NodePatch, string>>;

function patchColumns(
  patch: { metadata?: Metadata | undefined; lease?: LeaseRecord | undefined },
  scalars: Readonly<Record<string, string>>,
): ColumnValue[] {
  const out: ColumnValue[] = [];
  const values = patch as Record<string, unknown>;
  for (const [field, column] of Object.entries(scalars)) {
    const value = values[field];
    if (value === undefined) continue;
    if (value !== null && typeof value !== "string" && typeof value !== "number") {
      throw new TypeError(`metadata store: patch field ${field} has type ${typeof value}`);
    }
    out.push([column, value]);
  }
  if (patch.metadata !== undefined) out.push(["metadata", JSON.stringify(patch.metadata)]);
  if (patch.lease !== undefined) out.push(...leaseColumns(patch.lease));
  return out;
}

/** The columns a share patch changes, in a fixed order (fields left undefined are not changed). */
export function sharePatchColumns(patch: SharePatch): ColumnValue[] {
  return patchColumns(patch, SHARE_SCALAR_PATCH);
}

/** The columns a node patch changes, in a fixed order (fields left undefined are not changed). */
export function nodePatchColumns(patch: NodePatch): ColumnValue[] {
  const out = patchColumns(patch, NODE_SCALAR_PATCH);
  if (patch.copy !== undefined) out.push(["copy_state", copyText(patch.copy)]);
  return out;
}

/** The five lease columns of a lease record. */
export function leasePatchColumns(lease: LeaseRecord): ColumnValue[] {
  return leaseColumns(lease);
}

// --- row -> record -------------------------------------------------------------------------------

/** Reads typed columns out of one row, naming the table in errors. */
class RowReader {
  constructor(
    private readonly table: string,
    private readonly row: SqlRow,
  ) {}

  str(column: string): string {
    const v = this.row[column];
    if (typeof v !== "string")
      throw new CorruptRowError(this.table, column, `expected text, got ${typeof v}`);
    return v;
  }

  optStr(column: string): string | null {
    return this.row[column] === null ? null : this.str(column);
  }

  num(column: string): number {
    const v = this.row[column];
    const n =
      typeof v === "number" ? v : typeof v === "string" || typeof v === "bigint" ? Number(v) : Number.NaN;
    if (!Number.isFinite(n))
      throw new CorruptRowError(this.table, column, `expected a number, got ${String(v)}`);
    return n;
  }

  optNum(column: string): number | null {
    return this.row[column] === null ? null : this.num(column);
  }

  metadata(column: string): Metadata {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.str(column));
    } catch (e) {
      if (e instanceof CorruptRowError) throw e;
      throw new CorruptRowError(this.table, column, "not JSON");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new CorruptRowError(this.table, column, "not a JSON object");
    }
    const out: Metadata = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== "string")
        throw new CorruptRowError(this.table, column, `value of ${k} is not a string`);
      out[k] = v;
    }
    return out;
  }

  lease(): LeaseRecord {
    const state = this.str("lease_state");
    if (!LEASE_STATES.has(state))
      throw new CorruptRowError(this.table, "lease_state", `unknown state ${state}`);
    return {
      id: this.optStr("lease_id"),
      state: state as StoredLeaseState,
      durationSeconds: this.num("lease_duration"),
      expiresAt: this.optNum("lease_expires_at"),
      breakAt: this.optNum("lease_break_at"),
    };
  }

  copy(column: string): CopyRecord | null {
    const text = this.optStr(column);
    if (text === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CorruptRowError(this.table, column, "not JSON");
    }
    const c = parsed as Partial<Record<keyof CopyRecord, unknown>> | null;
    const optional = (v: unknown, type: "string" | "number") => v === null || typeof v === type;
    if (
      c === null ||
      typeof c !== "object" ||
      typeof c.id !== "string" ||
      typeof c.source !== "string" ||
      !COPY_STATUSES.has(c.status as string) ||
      typeof c.progress !== "string" ||
      !optional(c.completionTime, "number") ||
      !optional(c.statusDescription, "string")
    ) {
      throw new CorruptRowError(this.table, column, "not a copy record");
    }
    return {
      id: c.id,
      source: c.source,
      status: c.status as CopyRecord["status"],
      progress: c.progress,
      completionTime: c.completionTime as number | null,
      statusDescription: c.statusDescription as string | null,
    };
  }

  kind(): NodeKind {
    const kind = this.str("kind");
    if (!NODE_KINDS.has(kind)) throw new CorruptRowError(this.table, "kind", `unknown kind ${kind}`);
    return kind as NodeKind;
  }
}

/** A `shares` row as a ShareRecord. */
export function rowToShare(row: SqlRow): ShareRecord {
  const r = new RowReader("shares", row);
  return {
    id: r.num("id"),
    account: r.str("account"),
    name: r.str("name"),
    snapshot: r.str("snapshot"),
    quotaGiB: r.num("quota_gib"),
    metadata: r.metadata("metadata"),
    etag: r.str("etag"),
    lastModified: r.num("last_modified"),
    accessTier: r.str("access_tier"),
    accessTierChangeTime: r.num("access_tier_change_time"),
    enabledProtocols: r.str("enabled_protocols"),
    rootSquash: r.optStr("root_squash"),
    lease: r.lease(),
    acl: r.str("acl"),
  };
}

/** A `nodes` row as a NodeRecord. */
export function rowToNode(row: SqlRow): NodeRecord {
  const r = new RowReader("nodes", row);
  return {
    id: r.num("id"),
    shareId: r.num("share_id"),
    parentId: r.optNum("parent_id"),
    kind: r.kind(),
    name: r.str("name"),
    nameKey: r.str("name_key"),
    metadata: r.metadata("metadata"),
    etag: r.str("etag"),
    lastModified: r.num("last_modified"),
    fileId: r.str("file_id"),
    size: r.num("size"),
    lease: r.lease(),
    attributes: r.str("attributes"),
    creationTime: r.str("creation_time"),
    lastWriteTime: r.str("last_write_time"),
    changeTime: r.str("change_time"),
    permissionKey: r.str("permission_key"),
    contentType: r.optStr("content_type"),
    contentEncoding: r.optStr("content_encoding"),
    contentLanguage: r.optStr("content_language"),
    cacheControl: r.optStr("cache_control"),
    contentDisposition: r.optStr("content_disposition"),
    contentMD5: r.optStr("content_md5"),
    copy: r.copy("copy_state"),
  };
}

/** A `ranges` row as a RangeRecord. */
export function rowToRange(row: SqlRow): RangeRecord {
  const r = new RowReader("ranges", row);
  return {
    start: r.num("range_start"),
    end: r.num("range_end"),
    extentId: r.str("extent_id"),
    extentOffset: r.num("extent_offset"),
  };
}

/** A `ranges` row (selected with `node_id`) as a RangeRecord with its file's node id. */
export function rowToExtentRange(row: SqlRow): RangeRecord & { fileId: number } {
  return { ...rowToRange(row), fileId: new RowReader("ranges", row).num("node_id") };
}

/** Reads a numeric aggregate or id column (number, bigint or decimal string). */
export function rowNumber(row: SqlRow, column: string, table = "result"): number {
  return new RowReader(table, row).num(column);
}

// --- records returned by inserts ------------------------------------------------------------------

/** The record an insert returns: the input with its new id, detached from the caller's objects. */
export function insertedShare(id: number, share: NewShare): ShareRecord {
  return { ...share, id, metadata: { ...share.metadata }, lease: { ...share.lease } };
}

/** The record an insert returns: the input with its new id, detached from the caller's objects. */
export function insertedNode(id: number, node: NewNode): NodeRecord {
  return {
    ...node,
    id,
    metadata: { ...node.metadata },
    lease: { ...node.lease },
    copy: node.copy === null ? null : { ...node.copy },
  };
}
