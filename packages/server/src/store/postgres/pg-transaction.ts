/**
 * The PostgreSQL `Transaction`: statements on one pooled client inside BEGIN … COMMIT. The getters
 * the engine reads before it writes (getShare, getRoot, getChild, getNode) lock their row until
 * commit. The first statement error is remembered: PostgreSQL aborts the transaction on any error,
 * so the store must roll back (or retry) even if `work` swallowed it.
 */
import type { PoolClient } from "pg";
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
import { DuplicateKeyError } from "../sqlite/duplicate-key-error.js";
import {
  decodeShareMarker,
  encodeShareMarker,
  fetchCount,
  prefixBounds,
  toPage,
} from "../sqlite/list-keys.js";
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
} from "../sqlite/row-mapping.js";
import type { ListOptions, NodePatch, SharePatch, Transaction } from "../transaction.js";
import type { PgStatement, PgStatements } from "./pg-statements.js";

/** Transaction over one PostgreSQL client; valid from BEGIN until `end()`. */
export class PgTransaction implements Transaction {
  private open = true;
  private firstError: unknown = undefined;

  constructor(
    private readonly client: PoolClient,
    private readonly s: PgStatements,
  ) {}

  /** Marks the transaction finished; later calls reject. */
  end(): void {
    this.open = false;
  }

  /** The first error a statement raised in this transaction, if any (then it cannot commit). */
  get failure(): unknown {
    return this.firstError;
  }

  // -- service -------------------------------------------------------------------------------------

  async getServiceProperties(account: string): Promise<ServicePropertiesRecord | null> {
    const row = (await this.query(this.s.getServiceProperties, [account]))[0];
    return row === undefined ? null : { json: String(row.json) };
  }

  async setServiceProperties(account: string, props: ServicePropertiesRecord): Promise<void> {
    await this.query(this.s.setServiceProperties, [account, props.json]);
  }

  // -- shares --------------------------------------------------------------------------------------

  async getShare(account: string, name: string, snapshot: string): Promise<ShareRecord | null> {
    const row = (await this.query(this.s.getShare, [account, name, snapshot]))[0];
    return row === undefined ? null : rowToShare(row);
  }

  async insertShare(share: NewShare): Promise<ShareRecord> {
    const row = (await this.query(this.s.insertShare, shareValues(share)))[0];
    if (row === undefined) {
      throw new DuplicateKeyError(
        "shares",
        `share ${share.account}/${share.name} snapshot "${share.snapshot}"`,
      );
    }
    return insertedShare(rowNumber(row, "id"), share);
  }

  async updateShare(id: number, patch: SharePatch): Promise<void> {
    await this.update("shares", id, sharePatchColumns(patch));
  }

  async deleteShare(id: number): Promise<void> {
    await this.query(this.s.deleteShare, [id]);
  }

  async listShares(
    account: string,
    opts: ListOptions & { includeSnapshots: boolean },
  ): Promise<ListPage<ShareRecord>> {
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
    const rows = (await this.query(stmt, params)).map(rowToShare);
    return toPage(rows, opts.limit, (s) => encodeShareMarker(s));
  }

  async listSnapshots(account: string, name: string): Promise<ShareRecord[]> {
    return (await this.query(this.s.listSnapshots, [account, name])).map(rowToShare);
  }

  async shareUsageBytes(shareId: number): Promise<number> {
    const row = (await this.query(this.s.shareUsageBytes, [shareId]))[0];
    return row === undefined ? 0 : rowNumber(row, "bytes");
  }

  // -- directories and files -----------------------------------------------------------------------

  async getRoot(shareId: number): Promise<NodeRecord | null> {
    return this.oneNode(await this.query(this.s.getRoot, [shareId]));
  }

  async getRootId(shareId: number): Promise<number | null> {
    const row = (await this.query(this.s.getRootId, [shareId]))[0];
    return row === undefined ? null : rowNumber(row, "id", "nodes");
  }

  async getChild(parentId: number, nameKey: string): Promise<NodeRecord | null> {
    return this.oneNode(await this.query(this.s.getChild, [parentId, nameKey]));
  }

  async getNode(id: number): Promise<NodeRecord | null> {
    return this.oneNode(await this.query(this.s.getNode, [id]));
  }

  async insertNode(node: NewNode): Promise<NodeRecord> {
    const row = (await this.query(this.s.insertNode, nodeValues(node)))[0];
    if (row === undefined) {
      const where =
        node.parentId === null ? `root of share ${node.shareId}` : `"${node.nameKey}" in ${node.parentId}`;
      throw new DuplicateKeyError("nodes", where);
    }
    return insertedNode(rowNumber(row, "id"), node);
  }

  async updateNode(id: number, patch: NodePatch): Promise<void> {
    await this.update("nodes", id, nodePatchColumns(patch));
  }

  async deleteNode(id: number): Promise<void> {
    await this.query(this.s.deleteNode, [id]);
  }

  async hasChildren(id: number): Promise<boolean> {
    return (await this.query(this.s.hasChildren, [id])).length > 0;
  }

  async listChildren(parentId: number, opts: ListOptions): Promise<ListPage<NodeRecord>> {
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
    const rows = (await this.query(stmt, params)).map(rowToNode);
    return toPage(rows, opts.limit, (n) => n.nameKey);
  }

  async nextFileId(): Promise<string> {
    const row = (await this.query(this.s.nextFileId, []))[0];
    if (row === undefined || typeof row.value !== "string")
      throw new Error("metadata store: nextval returned nothing");
    return row.value;
  }

  // -- range maps ----------------------------------------------------------------------------------

  async rangesOverlapping(fileId: number, start: number, end: number): Promise<RangeRecord[]> {
    if (end <= start) {
      this.check();
      return [];
    }
    return (await this.query(this.s.rangesOverlapping, [fileId, start, end])).map(rowToRange);
  }

  async deleteRanges(fileId: number, starts: number[]): Promise<void> {
    if (starts.length === 0) return this.check();
    await this.query(this.s.deleteRanges, [fileId, starts]);
  }

  async insertRanges(fileId: number, ranges: RangeRecord[]): Promise<void> {
    if (ranges.length === 0) return this.check();
    await this.query(this.s.insertRanges, [
      fileId,
      ranges.map((r) => r.start),
      ranges.map((r) => r.end),
      ranges.map((r) => r.extentId),
      ranges.map((r) => r.extentOffset),
    ]);
  }

  async copyRanges(fromFileId: number, toFileId: number): Promise<void> {
    await this.query(this.s.copyRanges, [fromFileId, toFileId]);
  }

  async liveBytesByExtent(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const row of await this.query(this.s.liveBytesByExtent, [])) {
      out.set(String(row.extent_id), rowNumber(row, "bytes", "ranges"));
    }
    return out;
  }

  async rangesInExtent(extentId: string): Promise<Array<RangeRecord & { fileId: number }>> {
    return (await this.query(this.s.rangesInExtent, [extentId])).map(rowToExtentRange);
  }

  // -- permissions ---------------------------------------------------------------------------------

  async putPermission(shareId: number, key: string, sddl: string): Promise<void> {
    await this.query(this.s.putPermission, [shareId, key, sddl]);
  }

  async getPermission(shareId: number, key: string): Promise<string | null> {
    const row = (await this.query(this.s.getPermission, [shareId, key]))[0];
    return row === undefined ? null : String(row.sddl);
  }

  // -- leases --------------------------------------------------------------------------------------

  async setShareLease(id: number, lease: LeaseRecord): Promise<void> {
    await this.update("shares", id, leasePatchColumns(lease));
  }

  async setNodeLease(id: number, lease: LeaseRecord): Promise<void> {
    await this.update("nodes", id, leasePatchColumns(lease));
  }

  // -- helpers -------------------------------------------------------------------------------------

  private check(): void {
    if (!this.open) throw new Error("metadata store: this transaction has already ended");
  }

  private async query(stmt: PgStatement, values: unknown[]): Promise<SqlRow[]> {
    this.check();
    try {
      const res = await this.client.query<SqlRow>({ name: stmt.name, text: stmt.text, values });
      return res.rows;
    } catch (err) {
      if (this.firstError === undefined) this.firstError = err;
      throw err;
    }
  }

  private oneNode(rows: SqlRow[]): NodeRecord | null {
    const row = rows[0];
    return row === undefined ? null : rowToNode(row);
  }

  private async update(table: "shares" | "nodes", id: number, columns: ColumnValue[]): Promise<void> {
    if (columns.length === 0) return this.check();
    const stmt = this.s.update(
      table,
      columns.map(([c]) => c),
    );
    await this.query(stmt, [...columns.map(([, v]) => v), id]);
  }
}
