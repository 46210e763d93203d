/**
 * The SQLite `Transaction`: synchronous better-sqlite3 calls on the connection's cached statements,
 * returned as resolved promises. One instance per store transaction; it refuses calls once that
 * transaction has ended (a `work` that forgot to await would otherwise write outside it).
 */
import type {
  LeaseRecord,
  ListPage,
  NewNode,
  NewShare,
  NodeRecord,
  RangeRecord,
  ServicePropertiesRecord,
  ShareRecord,
} from "../records.js";
import type { ListOptions, NodePatch, SharePatch, Transaction } from "../transaction.js";
import { DuplicateKeyError } from "./duplicate-key-error.js";
import { decodeShareMarker, encodeShareMarker, fetchCount, prefixBounds, toPage } from "./list-keys.js";
import { nodeRow, shareRow } from "./raw-rows.js";
import {
  type ColumnValue,
  insertedNode,
  insertedShare,
  leasePatchColumns,
  nodePatchColumns,
  nodeValues,
  rowNumber,
  rowToExtentRange,
  rowToNode,
  rowToRange,
  rowToShare,
  type SqlRow,
  type SqlValue,
  sharePatchColumns,
  shareValues,
} from "./row-mapping.js";
import type { ShareCache } from "./share-cache.js";
import type { SqliteStatements } from "./sqlite-statements.js";

/** Transaction over one SQLite connection; valid from construction until `end()`. */
export class SqliteTransaction implements Transaction {
  private open = true;

  constructor(
    private readonly s: SqliteStatements,
    private readonly shares: ShareCache,
  ) {}

  /** Marks the transaction finished; later calls reject. */
  end(): void {
    this.open = false;
  }

  // -- service -------------------------------------------------------------------------------------

  async getServiceProperties(account: string): Promise<ServicePropertiesRecord | null> {
    this.check();
    const row = this.s.getServiceProperties.get(account) as { json: string } | undefined;
    return row === undefined ? null : { json: row.json };
  }

  async setServiceProperties(account: string, props: ServicePropertiesRecord): Promise<void> {
    this.check();
    this.s.setServiceProperties.run(account, props.json);
  }

  // -- shares --------------------------------------------------------------------------------------

  async getShare(account: string, name: string, snapshot: string): Promise<ShareRecord | null> {
    this.check();
    const cached = this.shares.get(account, name, snapshot);
    if (cached !== undefined) return cached;
    const values = this.s.getShare.get(account, name, snapshot) as unknown[] | undefined;
    return values === undefined ? null : this.shares.remember(rowToShare(shareRow(values)));
  }

  async insertShare(share: NewShare): Promise<ShareRecord> {
    this.check();
    this.shares.clear();
    const row = this.s.insertShare.get(...shareValues(share)) as SqlRow | undefined;
    if (row === undefined) {
      throw new DuplicateKeyError(
        "shares",
        `share ${share.account}/${share.name} snapshot "${share.snapshot}"`,
      );
    }
    return insertedShare(rowNumber(row, "id"), share);
  }

  async updateShare(id: number, patch: SharePatch): Promise<void> {
    this.check();
    this.update("shares", id, sharePatchColumns(patch));
  }

  async deleteShare(id: number): Promise<void> {
    this.check();
    this.shares.clear();
    this.s.deleteShare.run(id);
  }

  async listShares(
    account: string,
    opts: ListOptions & { includeSnapshots: boolean },
  ): Promise<ListPage<ShareRecord>> {
    this.check();
    const bounds = prefixBounds(opts.prefix);
    const marker = opts.marker === undefined ? null : decodeShareMarker(opts.marker);
    const params: SqlValue[] = [account];
    if (marker !== null) params.push(marker.name, marker.snapshot);
    if (bounds !== null) params.push(bounds.lower);
    if (bounds?.upper != null) params.push(bounds.upper);
    params.push(fetchCount(opts.limit));
    const stmt = this.s.listShares({
      snapshots: opts.includeSnapshots,
      marker: marker !== null,
      prefix: bounds !== null,
      upper: bounds?.upper != null,
    });
    const rows = (stmt.all(...params) as unknown[][]).map((values) => rowToShare(shareRow(values)));
    return toPage(rows, opts.limit, (s) => encodeShareMarker(s));
  }

  async listSnapshots(account: string, name: string): Promise<ShareRecord[]> {
    this.check();
    return (this.s.listSnapshots.all(account, name) as unknown[][]).map((values) =>
      rowToShare(shareRow(values)),
    );
  }

  async shareUsageBytes(shareId: number): Promise<number> {
    this.check();
    return rowNumber(this.s.shareUsageBytes.get(shareId) as SqlRow, "bytes");
  }

  // -- directories and files -----------------------------------------------------------------------

  async getRoot(shareId: number): Promise<NodeRecord | null> {
    this.check();
    return this.oneNode(this.s.getRoot.get(shareId));
  }

  async getRootId(shareId: number): Promise<number | null> {
    this.check();
    const id = this.s.getRootId.get(shareId) as number | undefined;
    return id ?? null;
  }

  async getChild(parentId: number, nameKey: string): Promise<NodeRecord | null> {
    this.check();
    return this.oneNode(this.s.getChild.get(parentId, nameKey));
  }

  async getNode(id: number): Promise<NodeRecord | null> {
    this.check();
    return this.oneNode(this.s.getNode.get(id));
  }

  async insertNode(node: NewNode): Promise<NodeRecord> {
    this.check();
    const row = this.s.insertNode.get(...nodeValues(node)) as SqlRow | undefined;
    if (row === undefined) {
      const where =
        node.parentId === null ? `root of share ${node.shareId}` : `"${node.nameKey}" in ${node.parentId}`;
      throw new DuplicateKeyError("nodes", where);
    }
    return insertedNode(rowNumber(row, "id"), node);
  }

  async updateNode(id: number, patch: NodePatch): Promise<void> {
    this.check();
    this.update("nodes", id, nodePatchColumns(patch));
  }

  async deleteNode(id: number): Promise<void> {
    this.check();
    this.s.deleteNode.run(id);
  }

  async hasChildren(id: number): Promise<boolean> {
    this.check();
    return this.s.hasChildren.get(id) !== undefined;
  }

  async listChildren(parentId: number, opts: ListOptions): Promise<ListPage<NodeRecord>> {
    this.check();
    const bounds = prefixBounds(opts.prefix);
    const params: SqlValue[] = [parentId];
    if (opts.marker !== undefined) params.push(opts.marker);
    if (bounds !== null) params.push(bounds.lower);
    if (bounds?.upper != null) params.push(bounds.upper);
    params.push(fetchCount(opts.limit));
    const stmt = this.s.listChildren({
      marker: opts.marker !== undefined,
      prefix: bounds !== null,
      upper: bounds?.upper != null,
    });
    const rows = (stmt.all(...params) as unknown[][]).map((values) => rowToNode(nodeRow(values)));
    return toPage(rows, opts.limit, (n) => n.nameKey);
  }

  async nextFileId(): Promise<string> {
    this.check();
    const row = this.s.nextFileId.get() as SqlRow | undefined;
    if (row === undefined) throw new Error("metadata store: the file id counter is missing");
    return String(rowNumber(row, "value", "counters"));
  }

  // -- range maps ----------------------------------------------------------------------------------

  async rangesOverlapping(fileId: number, start: number, end: number): Promise<RangeRecord[]> {
    this.check();
    if (end <= start) return [];
    const out: RangeRecord[] = [];
    const before = this.s.rangeAtOrBefore.get(fileId, start) as SqlRow | undefined;
    if (before !== undefined) {
      const r = rowToRange(before);
      if (r.end > start) out.push(r);
    }
    for (const row of this.s.rangesStartingIn.all(fileId, start, end) as SqlRow[]) out.push(rowToRange(row));
    return out;
  }

  async deleteRanges(fileId: number, starts: number[]): Promise<void> {
    this.check();
    for (const start of starts) this.s.deleteRange.run(fileId, start);
  }

  async insertRanges(fileId: number, ranges: RangeRecord[]): Promise<void> {
    this.check();
    if (ranges.length > 0) this.s.insertRangeBatch(fileId, ranges);
  }

  async copyRanges(fromFileId: number, toFileId: number): Promise<void> {
    this.check();
    this.s.copyRanges.run(toFileId, fromFileId);
  }

  async liveBytesByExtent(): Promise<Map<string, number>> {
    this.check();
    const out = new Map<string, number>();
    for (const row of this.s.liveBytesByExtent.all() as SqlRow[]) {
      out.set(String(row.extent_id), rowNumber(row, "bytes", "ranges"));
    }
    return out;
  }

  async rangesInExtent(extentId: string): Promise<Array<RangeRecord & { fileId: number }>> {
    this.check();
    return (this.s.rangesInExtent.all(extentId) as SqlRow[]).map(rowToExtentRange);
  }

  // -- permissions ---------------------------------------------------------------------------------

  async putPermission(shareId: number, key: string, sddl: string): Promise<void> {
    this.check();
    this.s.putPermission.run(shareId, key, sddl);
  }

  async getPermission(shareId: number, key: string): Promise<string | null> {
    this.check();
    const row = this.s.getPermission.get(shareId, key) as { sddl: string } | undefined;
    return row === undefined ? null : row.sddl;
  }

  // -- leases --------------------------------------------------------------------------------------

  async setShareLease(id: number, lease: LeaseRecord): Promise<void> {
    this.check();
    this.update("shares", id, leasePatchColumns(lease));
  }

  async setNodeLease(id: number, lease: LeaseRecord): Promise<void> {
    this.check();
    this.update("nodes", id, leasePatchColumns(lease));
  }

  // -- helpers -------------------------------------------------------------------------------------

  private check(): void {
    if (!this.open) throw new Error("metadata store: this transaction has already ended");
  }

  /** A raw node row (or undefined) as a NodeRecord (or null). */
  private oneNode(values: unknown): NodeRecord | null {
    return values === undefined ? null : rowToNode(nodeRow(values as unknown[]));
  }

  private update(table: "shares" | "nodes", id: number, columns: ColumnValue[]): void {
    if (columns.length === 0) return;
    if (table === "shares") this.shares.clear();
    const stmt = this.s.update(
      table,
      columns.map(([c]) => c),
    );
    stmt.run(...columns.map(([, v]) => v), id);
  }
}
