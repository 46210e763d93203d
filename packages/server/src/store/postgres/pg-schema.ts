/**
 * The PostgreSQL schema and its migrations. Tables live in one schema (default "public"); the
 * schema version is a row in `<schema>.schema_version`. `migrate` runs under a transaction-scoped
 * advisory lock, so server instances starting together create the tables exactly once.
 */
import type { PoolClient } from "pg";

/** `"name"`, safe to splice into SQL as an identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'`, safe to splice into SQL as a string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Text compares by code point (as in SQLite), whatever the database's default collation is. */
const NAME = 'TEXT COLLATE "C" NOT NULL';

function v1(s: string): string {
  return `
CREATE TABLE ${s}.shares (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account ${NAME},
  name ${NAME},
  snapshot ${NAME},
  quota_gib INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  etag TEXT NOT NULL,
  last_modified BIGINT NOT NULL,
  access_tier TEXT NOT NULL,
  access_tier_change_time BIGINT NOT NULL,
  enabled_protocols TEXT NOT NULL,
  root_squash TEXT,
  lease_id TEXT,
  lease_state TEXT NOT NULL,
  lease_duration INTEGER NOT NULL,
  lease_expires_at BIGINT,
  lease_break_at BIGINT,
  acl TEXT NOT NULL,
  CONSTRAINT shares_key UNIQUE (account, name, snapshot)
);

CREATE TABLE ${s}.nodes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  share_id BIGINT NOT NULL REFERENCES ${s}.shares (id) ON DELETE CASCADE,
  parent_id BIGINT REFERENCES ${s}.nodes (id),
  kind TEXT NOT NULL CHECK (kind IN ('directory', 'file')),
  name TEXT NOT NULL,
  name_key ${NAME},
  metadata TEXT NOT NULL,
  etag TEXT NOT NULL,
  last_modified BIGINT NOT NULL,
  file_id TEXT NOT NULL,
  size BIGINT NOT NULL,
  lease_id TEXT,
  lease_state TEXT NOT NULL,
  lease_duration INTEGER NOT NULL,
  lease_expires_at BIGINT,
  lease_break_at BIGINT,
  attributes TEXT NOT NULL,
  creation_time TEXT NOT NULL,
  last_write_time TEXT NOT NULL,
  change_time TEXT NOT NULL,
  permission_key TEXT NOT NULL,
  content_type TEXT,
  content_encoding TEXT,
  content_language TEXT,
  cache_control TEXT,
  content_disposition TEXT,
  content_md5 TEXT,
  CONSTRAINT nodes_sibling_key UNIQUE (parent_id, name_key)
);
CREATE UNIQUE INDEX nodes_root ON ${s}.nodes (share_id) WHERE parent_id IS NULL;
CREATE INDEX nodes_share_usage ON ${s}.nodes (share_id, kind, size);

CREATE TABLE ${s}.ranges (
  node_id BIGINT NOT NULL REFERENCES ${s}.nodes (id) ON DELETE CASCADE,
  range_start BIGINT NOT NULL,
  range_end BIGINT NOT NULL,
  extent_id TEXT NOT NULL,
  extent_offset BIGINT NOT NULL,
  PRIMARY KEY (node_id, range_start)
);
CREATE INDEX ranges_extent ON ${s}.ranges (extent_id, node_id, range_start);

CREATE TABLE ${s}.permissions (
  share_id BIGINT NOT NULL REFERENCES ${s}.shares (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  sddl TEXT NOT NULL,
  PRIMARY KEY (share_id, key)
);

CREATE TABLE ${s}.service_properties (
  account TEXT PRIMARY KEY,
  json TEXT NOT NULL
);

CREATE SEQUENCE ${s}.file_ids;
`;
}

/** Version 2: the state of the last Copy File into a file (JSON text, null when none). */
function v2(s: string): string {
  return `ALTER TABLE ${s}.nodes ADD COLUMN copy_state TEXT`;
}

/** MIGRATIONS[v] upgrades schema `s` (quoted) from version v to v + 1. Append; never edit old steps. */
const MIGRATIONS: ReadonlyArray<(s: string) => string> = [v1, v2];

/** The schema version this code reads and writes. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Creates the schema and its tables if missing, or upgrades them to PG_SCHEMA_VERSION. Throws,
 * changing nothing, when the schema was written by a newer version of this code.
 */
export async function migratePg(client: PoolClient, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`sharelock schema ${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version INTEGER NOT NULL)`);
    const res = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_version`);
    const from = res.rows[0]?.version ?? 0;
    if (from > PG_SCHEMA_VERSION) {
      throw new Error(
        `metadata schema ${schema} has version ${from}; this server supports up to ${PG_SCHEMA_VERSION}`,
      );
    }
    for (let v = from; v < PG_SCHEMA_VERSION; v++) {
      const step = MIGRATIONS[v];
      if (step !== undefined) await client.query(step(s));
    }
    if (res.rows.length === 0) {
      await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [PG_SCHEMA_VERSION]);
    } else if (from !== PG_SCHEMA_VERSION) {
      await client.query(`UPDATE ${s}.schema_version SET version = $1`, [PG_SCHEMA_VERSION]);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
