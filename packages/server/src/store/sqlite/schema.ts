/**
 * The SQLite schema and its migrations. The schema version lives in `PRAGMA user_version`;
 * `migrate` brings any older file up to SCHEMA_VERSION, one step at a time, in one transaction.
 */
import type Database from "better-sqlite3";

/** One migration step: from version `index` to `index + 1`. */
type Migration = (db: Database.Database) => void;

const V1 = `
CREATE TABLE shares (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  name TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  quota_gib INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  etag TEXT NOT NULL,
  last_modified INTEGER NOT NULL,
  access_tier TEXT NOT NULL,
  access_tier_change_time INTEGER NOT NULL,
  enabled_protocols TEXT NOT NULL,
  root_squash TEXT,
  lease_id TEXT,
  lease_state TEXT NOT NULL,
  lease_duration INTEGER NOT NULL,
  lease_expires_at INTEGER,
  lease_break_at INTEGER,
  acl TEXT NOT NULL,
  UNIQUE (account, name, snapshot)
);

CREATE TABLE nodes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  share_id INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES nodes (id),
  kind TEXT NOT NULL CHECK (kind IN ('directory', 'file')),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  metadata TEXT NOT NULL,
  etag TEXT NOT NULL,
  last_modified INTEGER NOT NULL,
  file_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  lease_id TEXT,
  lease_state TEXT NOT NULL,
  lease_duration INTEGER NOT NULL,
  lease_expires_at INTEGER,
  lease_break_at INTEGER,
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
  UNIQUE (parent_id, name_key)
);
-- One root per share, found without a scan.
CREATE UNIQUE INDEX nodes_root ON nodes (share_id) WHERE parent_id IS NULL;
-- Cascades from shares, and share usage as an index-only sum.
CREATE INDEX nodes_share_usage ON nodes (share_id, kind, size);

CREATE TABLE ranges (
  node_id INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  range_start INTEGER NOT NULL,
  range_end INTEGER NOT NULL,
  extent_id TEXT NOT NULL,
  extent_offset INTEGER NOT NULL,
  PRIMARY KEY (node_id, range_start)
) WITHOUT ROWID;
CREATE INDEX ranges_extent ON ranges (extent_id);

CREATE TABLE permissions (
  share_id INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  sddl TEXT NOT NULL,
  PRIMARY KEY (share_id, key)
) WITHOUT ROWID;

CREATE TABLE service_properties (
  account TEXT PRIMARY KEY,
  json TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('file_id', 0);
`;

/** Version 2: the state of the last Copy File into a file (JSON text, null when none). */
const V2 = "ALTER TABLE nodes ADD COLUMN copy_state TEXT";

/** MIGRATIONS[v] upgrades a database at version v to v + 1. Append new steps; never edit old ones. */
const MIGRATIONS: readonly Migration[] = [(db) => db.exec(V1), (db) => db.exec(V2)];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version stored in the file (0 for a new, empty database). */
export function schemaVersion(db: Database.Database): number {
  const v = db.pragma("user_version", { simple: true });
  return typeof v === "number" ? v : Number(v);
}

/**
 * Creates or upgrades the schema to SCHEMA_VERSION. Throws, changing nothing, when the file was
 * written by a newer version of this code.
 */
export function migrate(db: Database.Database): void {
  // Up to date: take no write lock (another connection may be mid-transaction).
  if (schemaVersion(db) === SCHEMA_VERSION) return;
  const upgrade = db.transaction(() => {
    const from = schemaVersion(db);
    if (from > SCHEMA_VERSION) {
      throw new Error(
        `metadata database ${db.name} has schema version ${from}; this server supports up to ${SCHEMA_VERSION}`,
      );
    }
    for (let v = from; v < SCHEMA_VERSION; v++) MIGRATIONS[v]?.(db);
    if (from !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  upgrade.immediate();
}
