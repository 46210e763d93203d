/**
 * Schema version 2 (the `copy_state` column): a store written by version 1 of the schema opens,
 * is upgraded in place, keeps its data, and stores copy state afterwards. Both backends.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { PG_SCHEMA_VERSION } from "../src/store/postgres/pg-schema.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import type { CopyRecord } from "../src/store/records.js";
import { SCHEMA_VERSION } from "../src/store/sqlite/schema.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import type { MetadataStore } from "../src/store/transaction.js";
import { newNode, newShare } from "./store-suite-fixtures.js";

const COPY: CopyRecord = {
  id: "6f1c1c1e-8d1f-4a43-9d6b-0c1f4d0f6a11",
  source: "http://127.0.0.1:10004/devstoreaccount1/s/f",
  status: "success",
  progress: "3/3",
  completionTime: 1_700_000_000_000,
  statusDescription: null,
};

/** Writes a share with a file, and returns the file's id. */
async function seed(store: MetadataStore): Promise<number> {
  return store.transaction(async (tx) => {
    const share = await tx.insertShare(newShare("acct", "s"));
    const root = await tx.insertNode(newNode(share.id, null, "directory", ""));
    const file = await tx.insertNode(newNode(share.id, root.id, "file", "f", { size: 3 }));
    return file.id;
  });
}

/** The file is still there without copy state, and takes copy state now. */
async function checkUpgraded(store: MetadataStore, fileId: number): Promise<void> {
  const before = await store.transaction((tx) => tx.getNode(fileId));
  assert.equal(before?.size, 3);
  assert.equal(before?.copy, null);
  await store.transaction((tx) => tx.updateNode(fileId, { copy: COPY }));
  assert.deepEqual((await store.transaction((tx) => tx.getNode(fileId)))?.copy, COPY);
}

describe("schema migration to copy state", () => {
  const dir = mkdtempSync(join(tmpdir(), "sharelock-migration-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("SQLite: a version-1 file is upgraded in place", async () => {
    assert.equal(SCHEMA_VERSION, 2);
    const file = join(dir, "v1.db");
    const first = SqliteStore.open(file);
    const fileId = await seed(first);
    await first.close();
    // Turn the file back into what version 1 of the schema wrote.
    const raw = new Database(file);
    raw.exec("ALTER TABLE nodes DROP COLUMN copy_state");
    raw.pragma("user_version = 1");
    raw.close();

    const second = SqliteStore.open(file);
    try {
      await checkUpgraded(second, fileId);
    } finally {
      await second.close();
    }
    const check = new Database(file, { readonly: true });
    assert.equal(check.pragma("user_version", { simple: true }), 2);
    check.close();
  });

  test("PostgreSQL: a version-1 schema is upgraded in place", async () => {
    assert.equal(PG_SCHEMA_VERSION, 2);
    const url = process.env.SHARELOCK_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const schema = `sharelock_test_migration_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const first = await PostgresStore.connect(url, { schema, maxAttempts: 5 });
      const fileId = await seed(first);
      await first.close();
      await admin.query(`ALTER TABLE "${schema}".nodes DROP COLUMN copy_state`);
      await admin.query(`UPDATE "${schema}".schema_version SET version = 1`);

      const second = await PostgresStore.connect(url, { schema, maxAttempts: 5 });
      try {
        await checkUpgraded(second, fileId);
      } finally {
        await second.close();
      }
      const version = await admin.query<{ version: number }>(
        `SELECT version FROM "${schema}".schema_version`,
      );
      assert.equal(version.rows[0]?.version, 2);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  });
});
