/**
 * Every SQL statement the SQLite store runs, prepared once per connection. Statements whose shape
 * depends on the call (updates of a set of columns, listings with or without prefix/marker) are
 * prepared on first use and cached by shape.
 */
import type Database from "better-sqlite3";
import type { RangeRecord } from "../records.js";
import { NODE_ROW_COLUMNS, SHARE_ROW_COLUMNS } from "./raw-rows.js";
import { NODE_COLUMNS, RANGE_COLUMNS, SHARE_COLUMNS } from "./row-mapping.js";

type Stmt = Database.Statement<unknown[], unknown>;

// Share and node SELECTs run in raw mode (value arrays in these column orders; see raw-rows.ts).
const SHARE_SELECT = `SELECT ${SHARE_ROW_COLUMNS.join(", ")} FROM shares`;
const NODE_SELECT = `SELECT ${NODE_ROW_COLUMNS.join(", ")} FROM nodes`;
const RANGE_LIST = RANGE_COLUMNS.join(", ");

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})
    ON CONFLICT DO NOTHING RETURNING id`;
}

/** The shape of a listShares query. */
export interface ShareListShape {
  snapshots: boolean;
  marker: boolean;
  prefix: boolean;
  upper: boolean;
}

/** The shape of a listChildren query. */
export interface ChildListShape {
  marker: boolean;
  prefix: boolean;
  upper: boolean;
}

/** The prepared statements of one SQLite connection. */
export class SqliteStatements {
  readonly begin: Stmt;
  readonly commit: Stmt;
  readonly rollback: Stmt;
  readonly savepoint: Stmt;
  readonly releaseSavepoint: Stmt;
  readonly rollbackToSavepoint: Stmt;

  readonly getServiceProperties: Stmt;
  readonly setServiceProperties: Stmt;

  readonly getShare: Stmt;
  readonly insertShare: Stmt;
  readonly deleteShare: Stmt;
  readonly listSnapshots: Stmt;
  readonly shareUsageBytes: Stmt;

  readonly getRoot: Stmt;
  readonly getRootId: Stmt;
  readonly getChild: Stmt;
  readonly getNode: Stmt;
  readonly insertNode: Stmt;
  readonly deleteNode: Stmt;
  readonly hasChildren: Stmt;
  readonly nextFileId: Stmt;

  readonly rangeAtOrBefore: Stmt;
  readonly rangesStartingIn: Stmt;
  readonly deleteRange: Stmt;
  readonly insertRange: Stmt;
  /** Inserts entries all or nothing: inside the store's BEGIN it runs as a SAVEPOINT. */
  readonly insertRangeBatch: (fileId: number, ranges: readonly RangeRecord[]) => void;
  readonly copyRanges: Stmt;
  readonly liveBytesByExtent: Stmt;
  readonly rangesInExtent: Stmt;

  readonly putPermission: Stmt;
  readonly getPermission: Stmt;

  private readonly shaped = new Map<string, Stmt>();

  constructor(private readonly db: Database.Database) {
    const p = (sql: string): Stmt => db.prepare(sql);
    const raw = (sql: string): Stmt => db.prepare(sql).raw();
    this.begin = p("BEGIN IMMEDIATE");
    this.commit = p("COMMIT");
    this.rollback = p("ROLLBACK");
    this.savepoint = p("SAVEPOINT member");
    this.releaseSavepoint = p("RELEASE member");
    this.rollbackToSavepoint = p("ROLLBACK TO member");

    this.getServiceProperties = p("SELECT json FROM service_properties WHERE account = ?");
    this.setServiceProperties = p(
      "INSERT INTO service_properties (account, json) VALUES (?, ?) ON CONFLICT (account) DO UPDATE SET json = excluded.json",
    );

    this.getShare = raw(`${SHARE_SELECT} WHERE account = ? AND name = ? AND snapshot = ?`);
    this.insertShare = p(insertSql("shares", SHARE_COLUMNS));
    this.deleteShare = p("DELETE FROM shares WHERE id = ?");
    this.listSnapshots = raw(
      `${SHARE_SELECT} WHERE account = ? AND name = ? AND snapshot > '' ORDER BY snapshot`,
    );
    this.shareUsageBytes = p(
      "SELECT coalesce(sum(size), 0) AS bytes FROM nodes WHERE share_id = ? AND kind = 'file'",
    );

    this.getRoot = raw(`${NODE_SELECT} WHERE share_id = ? AND parent_id IS NULL`);
    this.getRootId = p("SELECT id FROM nodes WHERE share_id = ? AND parent_id IS NULL").pluck();
    this.getChild = raw(`${NODE_SELECT} WHERE parent_id = ? AND name_key = ?`);
    this.getNode = raw(`${NODE_SELECT} WHERE id = ?`);
    this.insertNode = p(insertSql("nodes", NODE_COLUMNS));
    this.deleteNode = p("DELETE FROM nodes WHERE id = ?");
    this.hasChildren = p("SELECT 1 AS present FROM nodes WHERE parent_id = ? LIMIT 1");
    this.nextFileId = p("UPDATE counters SET value = value + 1 WHERE name = 'file_id' RETURNING value");

    // The map is sorted and non-overlapping: only the last entry starting at or before the window
    // can reach into it; every other overlapping entry starts inside it. Both are PK range scans.
    this.rangeAtOrBefore = p(
      `SELECT ${RANGE_LIST} FROM ranges WHERE node_id = ? AND range_start <= ? ORDER BY range_start DESC LIMIT 1`,
    );
    this.rangesStartingIn = p(
      `SELECT ${RANGE_LIST} FROM ranges WHERE node_id = ? AND range_start > ? AND range_start < ? ORDER BY range_start`,
    );
    this.deleteRange = p("DELETE FROM ranges WHERE node_id = ? AND range_start = ?");
    this.insertRange = p(`INSERT INTO ranges (node_id, ${RANGE_LIST}) VALUES (?, ?, ?, ?, ?)`);
    const insertRange = this.insertRange;
    this.insertRangeBatch = db.transaction((fileId: number, ranges: readonly RangeRecord[]) => {
      for (const r of ranges) insertRange.run(fileId, r.start, r.end, r.extentId, r.extentOffset);
    });
    this.copyRanges = p(
      `INSERT INTO ranges (node_id, ${RANGE_LIST}) SELECT ?, ${RANGE_LIST} FROM ranges WHERE node_id = ?`,
    );
    this.liveBytesByExtent = p(
      "SELECT extent_id, sum(range_end - range_start) AS bytes FROM ranges GROUP BY extent_id ORDER BY extent_id",
    );
    this.rangesInExtent = p(
      `SELECT node_id, ${RANGE_LIST} FROM ranges WHERE extent_id = ? ORDER BY node_id, range_start`,
    );

    this.putPermission = p(
      "INSERT INTO permissions (share_id, key, sddl) VALUES (?, ?, ?) ON CONFLICT (share_id, key) DO UPDATE SET sddl = excluded.sddl",
    );
    this.getPermission = p("SELECT sddl FROM permissions WHERE share_id = ? AND key = ?");
  }

  /** `UPDATE <table> SET <columns> WHERE id = ?`, prepared once per column set. */
  update(table: "shares" | "nodes", columns: readonly string[]): Stmt {
    const key = `update ${table} ${columns.join(",")}`;
    return this.cached(
      key,
      () => `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`,
    );
  }

  /**
   * listShares for one shape. Parameters, in order: account, [marker name, marker snapshot],
   * [prefix lower], [prefix upper], limit.
   */
  listShares(shape: ShareListShape): Stmt {
    const key = `shares ${shape.snapshots} ${shape.marker} ${shape.prefix} ${shape.upper}`;
    return this.cached(
      key,
      () => {
        const where = ["account = ?"];
        if (shape.marker) where.push("(name, snapshot) > (?, ?)");
        if (shape.prefix) where.push("name >= ?");
        if (shape.upper) where.push("name < ?");
        if (!shape.snapshots) where.push("snapshot = ''");
        return `${SHARE_SELECT} WHERE ${where.join(" AND ")} ORDER BY name, snapshot LIMIT ?`;
      },
      true,
    );
  }

  /**
   * listChildren for one shape. Parameters, in order: parent id, [marker], [prefix lower],
   * [prefix upper], limit.
   */
  listChildren(shape: ChildListShape): Stmt {
    const key = `children ${shape.marker} ${shape.prefix} ${shape.upper}`;
    return this.cached(
      key,
      () => {
        const where = ["parent_id = ?"];
        if (shape.marker) where.push("name_key > ?");
        if (shape.prefix) where.push("name_key >= ?");
        if (shape.upper) where.push("name_key < ?");
        return `${NODE_SELECT} WHERE ${where.join(" AND ")} ORDER BY name_key LIMIT ?`;
      },
      true,
    );
  }

  /** The statement prepared for `key` (in raw mode for share and node SELECTs). */
  private cached(key: string, sql: () => string, raw = false): Stmt {
    let stmt = this.shaped.get(key);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql());
      if (raw) stmt.raw();
      this.shaped.set(key, stmt);
    }
    return stmt;
  }
}
