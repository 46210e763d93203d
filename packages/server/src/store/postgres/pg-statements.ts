/**
 * Every SQL statement the PostgreSQL store runs, as named statements (each connection parses and
 * plans a name once). Built once per store for its schema; statements whose shape depends on the
 * call (updates of a set of columns, listings with or without prefix/marker) are built on first use.
 */
import { NODE_COLUMNS, RANGE_COLUMNS, SHARE_COLUMNS } from "../sqlite/row-mapping.js";
import { quoteIdent, quoteLiteral } from "./pg-schema.js";

/** A named statement: `pg` prepares it once per connection. */
export interface PgStatement {
  readonly name: string;
  readonly text: string;
}

/** The shape of a listShares query. */
export interface PgShareListShape {
  snapshots: boolean;
  marker: boolean;
  prefix: boolean;
  upper: boolean;
}

/** The shape of a listChildren query. */
export interface PgChildListShape {
  marker: boolean;
  prefix: boolean;
  upper: boolean;
}

/**
 * Row lock taken by the getters the engine reads before it writes. NO KEY UPDATE conflicts with
 * every other writer of the row but not with the key-share locks that foreign-key checks take, so
 * adding children to a locked directory (or ranges to a locked file) does not wait on it.
 */
const LOCK = "FOR NO KEY UPDATE";

function placeholders(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(", ");
}

/** The statements of one PostgreSQL store (one schema). */
export class PgStatements {
  readonly getServiceProperties: PgStatement;
  readonly setServiceProperties: PgStatement;

  readonly getShare: PgStatement;
  readonly insertShare: PgStatement;
  readonly deleteShare: PgStatement;
  readonly listSnapshots: PgStatement;
  readonly shareUsageBytes: PgStatement;

  readonly getRoot: PgStatement;
  readonly getRootId: PgStatement;
  readonly getChild: PgStatement;
  readonly getNode: PgStatement;
  readonly insertNode: PgStatement;
  readonly deleteNode: PgStatement;
  readonly hasChildren: PgStatement;
  readonly nextFileId: PgStatement;

  readonly rangesOverlapping: PgStatement;
  readonly deleteRanges: PgStatement;
  readonly insertRanges: PgStatement;
  readonly copyRanges: PgStatement;
  readonly liveBytesByExtent: PgStatement;
  readonly rangesInExtent: PgStatement;

  readonly putPermission: PgStatement;
  readonly getPermission: PgStatement;

  private readonly shaped = new Map<string, PgStatement>();
  private readonly t: (table: string) => string;

  constructor(schema: string) {
    const s = quoteIdent(schema);
    const t = (table: string): string => `${s}.${table}`;
    this.t = t;
    const shareSelect = `SELECT id, ${SHARE_COLUMNS.join(", ")} FROM ${t("shares")}`;
    const nodeSelect = `SELECT id, ${NODE_COLUMNS.join(", ")} FROM ${t("nodes")}`;
    const ranges = RANGE_COLUMNS.join(", ");
    const st = (name: string, text: string): PgStatement => ({ name: `sl_${name}`, text });

    this.getServiceProperties = st(
      "get_service",
      `SELECT json FROM ${t("service_properties")} WHERE account = $1`,
    );
    this.setServiceProperties = st(
      "set_service",
      `INSERT INTO ${t("service_properties")} (account, json) VALUES ($1, $2)
       ON CONFLICT (account) DO UPDATE SET json = excluded.json`,
    );

    this.getShare = st(
      "get_share",
      `${shareSelect} WHERE account = $1 AND name = $2 AND snapshot = $3 ${LOCK}`,
    );
    this.insertShare = st(
      "insert_share",
      `INSERT INTO ${t("shares")} (${SHARE_COLUMNS.join(", ")}) VALUES (${placeholders(1, SHARE_COLUMNS.length)})
       ON CONFLICT DO NOTHING RETURNING id`,
    );
    this.deleteShare = st("delete_share", `DELETE FROM ${t("shares")} WHERE id = $1`);
    this.listSnapshots = st(
      "list_snapshots",
      `${shareSelect} WHERE account = $1 AND name = $2 AND snapshot > '' ORDER BY snapshot`,
    );
    this.shareUsageBytes = st(
      "share_usage",
      `SELECT coalesce(sum(size), 0)::text AS bytes FROM ${t("nodes")} WHERE share_id = $1 AND kind = 'file'`,
    );

    this.getRoot = st("get_root", `${nodeSelect} WHERE share_id = $1 AND parent_id IS NULL ${LOCK}`);
    // A path walk only needs the root to stay: KEY SHARE keeps it from being deleted without
    // queueing behind writers of its properties.
    this.getRootId = st(
      "get_root_id",
      `SELECT id FROM ${t("nodes")} WHERE share_id = $1 AND parent_id IS NULL FOR KEY SHARE`,
    );
    this.getChild = st("get_child", `${nodeSelect} WHERE parent_id = $1 AND name_key = $2 ${LOCK}`);
    this.getNode = st("get_node", `${nodeSelect} WHERE id = $1 ${LOCK}`);
    this.insertNode = st(
      "insert_node",
      `INSERT INTO ${t("nodes")} (${NODE_COLUMNS.join(", ")}) VALUES (${placeholders(1, NODE_COLUMNS.length)})
       ON CONFLICT DO NOTHING RETURNING id`,
    );
    this.deleteNode = st("delete_node", `DELETE FROM ${t("nodes")} WHERE id = $1`);
    this.hasChildren = st(
      "has_children",
      `SELECT 1 AS present FROM ${t("nodes")} WHERE parent_id = $1 LIMIT 1`,
    );
    this.nextFileId = st("next_file_id", `SELECT nextval(${quoteLiteral(`${s}.file_ids`)})::text AS value`);

    // The map is sorted and non-overlapping: only the last entry starting at or before the window
    // can reach into it; every other overlapping entry starts inside it. Both are PK range scans.
    this.rangesOverlapping = st(
      "ranges_overlapping",
      `SELECT ${ranges} FROM (
         (SELECT ${ranges} FROM ${t("ranges")} WHERE node_id = $1 AND range_start <= $2
          ORDER BY range_start DESC LIMIT 1)
         UNION ALL
         (SELECT ${ranges} FROM ${t("ranges")} WHERE node_id = $1 AND range_start > $2 AND range_start < $3)
       ) AS r WHERE range_end > $2 ORDER BY range_start`,
    );
    this.deleteRanges = st(
      "delete_ranges",
      `DELETE FROM ${t("ranges")} WHERE node_id = $1 AND range_start = ANY ($2::bigint[])`,
    );
    this.insertRanges = st(
      "insert_ranges",
      `INSERT INTO ${t("ranges")} (node_id, ${ranges})
       SELECT $1, s, e, x, o FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bigint[]) AS u (s, e, x, o)`,
    );
    this.copyRanges = st(
      "copy_ranges",
      `INSERT INTO ${t("ranges")} (node_id, ${ranges}) SELECT $2, ${ranges} FROM ${t("ranges")} WHERE node_id = $1`,
    );
    this.liveBytesByExtent = st(
      "live_bytes",
      `SELECT extent_id, sum(range_end - range_start)::text AS bytes FROM ${t("ranges")} GROUP BY extent_id`,
    );
    this.rangesInExtent = st(
      "ranges_in_extent",
      `SELECT node_id, ${ranges} FROM ${t("ranges")} WHERE extent_id = $1 ORDER BY node_id, range_start`,
    );

    this.putPermission = st(
      "put_permission",
      `INSERT INTO ${t("permissions")} (share_id, key, sddl) VALUES ($1, $2, $3)
       ON CONFLICT (share_id, key) DO UPDATE SET sddl = excluded.sddl`,
    );
    this.getPermission = st(
      "get_permission",
      `SELECT sddl FROM ${t("permissions")} WHERE share_id = $1 AND key = $2`,
    );
  }

  /** `UPDATE <table> SET <columns> WHERE id = $n+1`, built once per column set. */
  update(table: "shares" | "nodes", columns: readonly string[]): PgStatement {
    return this.cached(`update ${table} ${columns.join(",")}`, () => {
      const sets = columns.map((c, i) => `${c} = $${i + 1}`).join(", ");
      return `UPDATE ${this.t(table)} SET ${sets} WHERE id = $${columns.length + 1}`;
    });
  }

  /**
   * listShares for one shape. Parameters, in order: account, [marker name, marker snapshot],
   * [prefix lower], [prefix upper], limit.
   */
  listShares(shape: PgShareListShape): PgStatement {
    const key = `shares ${shape.snapshots} ${shape.marker} ${shape.prefix} ${shape.upper}`;
    return this.cached(key, () => {
      let n = 1;
      const where = [`account = $${n++}`];
      if (shape.marker) where.push(`(name, snapshot) > ($${n++}, $${n++})`);
      if (shape.prefix) where.push(`name >= $${n++}`);
      if (shape.upper) where.push(`name < $${n++}`);
      if (!shape.snapshots) where.push("snapshot = ''");
      return `SELECT id, ${SHARE_COLUMNS.join(", ")} FROM ${this.t("shares")}
        WHERE ${where.join(" AND ")} ORDER BY name, snapshot LIMIT $${n}`;
    });
  }

  /**
   * listChildren for one shape. Parameters, in order: parent id, [marker], [prefix lower],
   * [prefix upper], limit.
   */
  listChildren(shape: PgChildListShape): PgStatement {
    const key = `children ${shape.marker} ${shape.prefix} ${shape.upper}`;
    return this.cached(key, () => {
      let n = 1;
      const where = [`parent_id = $${n++}`];
      if (shape.marker) where.push(`name_key > $${n++}`);
      if (shape.prefix) where.push(`name_key >= $${n++}`);
      if (shape.upper) where.push(`name_key < $${n++}`);
      return `SELECT id, ${NODE_COLUMNS.join(", ")} FROM ${this.t("nodes")}
        WHERE ${where.join(" AND ")} ORDER BY name_key LIMIT $${n}`;
    });
  }

  private cached(key: string, text: () => string): PgStatement {
    let stmt = this.shaped.get(key);
    if (stmt === undefined) {
      stmt = { name: `sl_dyn_${this.shaped.size + 1}`, text: text() };
      this.shaped.set(key, stmt);
    }
    return stmt;
  }
}
