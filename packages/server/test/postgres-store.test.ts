import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { runStoreSuite } from "./store-suite.js";
import { newShare } from "./store-suite-fixtures.js";

const url = process.env.SHARELOCK_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const runId = `${process.pid}_${Date.now().toString(36)}`;
const suiteSchema = `sharelock_test_${runId}`;
const specificsSchema = `sharelock_test_${runId}_x`;

/** Connects, or fails with a message that says what to do (the CI script starts PostgreSQL). */
async function connect(schema: string, opts: { maxAttempts?: number } = {}): Promise<PostgresStore> {
  try {
    return await PostgresStore.connect(url, { schema, ...opts });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${reason}). Start it ` +
        "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) " +
        "or point SHARELOCK_TEST_PG_URL at a server.",
    );
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

runStoreSuite(
  "postgres",
  () => connect(suiteSchema),
  () => dropSchema(suiteSchema),
);

describe("PostgresStore specifics", () => {
  let store: PostgresStore;

  before(async () => {
    store = await connect(specificsSchema, { maxAttempts: 5 });
  });

  after(async () => {
    await store?.close();
    await dropSchema(specificsSchema);
  });

  test("tables are created in the given schema, and connecting again finds them", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const res = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
        [specificsSchema],
      );
      assert.deepEqual(
        res.rows.map((r) => r.table_name),
        ["nodes", "permissions", "ranges", "schema_version", "service_properties", "shares"],
      );
    } finally {
      await client.end();
    }
    await store.transaction((tx) => tx.insertShare(newShare("acct", "persisted")));
    const again = await connect(specificsSchema);
    try {
      assert.equal(
        (await again.transaction((tx) => tx.getShare("acct", "persisted", "")))?.name,
        "persisted",
      );
    } finally {
      await again.close();
    }
  });

  test("instances connecting at once to a new schema create it once", async () => {
    const schema = `${specificsSchema}_race`;
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => connect(schema)));
      await stores[0]?.transaction((tx) => tx.insertShare(newShare("acct", "s")));
      for (const s of stores) {
        assert.equal((await s.transaction((tx) => tx.getShare("acct", "s", "")))?.name, "s");
        await s.close();
      }
    } finally {
      await dropSchema(schema);
    }
  });

  test("a schema written by a newer version is refused", async () => {
    const schema = `${specificsSchema}_newer`;
    try {
      await (await connect(schema)).close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`UPDATE "${schema}".schema_version SET version = version + 1`);
      await client.end();
      await assert.rejects(PostgresStore.connect(url, { schema }), /supports up to/);
    } finally {
      await dropSchema(schema);
    }
  });

  test("a serialization failure runs the whole work again", async () => {
    await store.transaction((tx) => tx.setServiceProperties("race", { json: "0" }));
    let attempts = 0;
    let firstRound = 2;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Both read the value (no row lock), then both write it: one of them must be retried.
    const increment = () =>
      store.transaction(async (tx) => {
        attempts++;
        const value = Number((await tx.getServiceProperties("race"))?.json);
        if (firstRound > 0) {
          firstRound--;
          if (firstRound === 0) release();
          await bothRead;
        }
        await tx.setServiceProperties("race", { json: String(value + 1) });
      });
    await Promise.all([increment(), increment()]);
    assert.equal((await store.transaction((tx) => tx.getServiceProperties("race")))?.json, "2");
    assert.ok(attempts >= 3, `expected a retry, saw ${attempts} attempts`);
  });

  test("retries stop after maxAttempts; other errors are not retried", async () => {
    let attempts = 0;
    const serialization = Object.assign(new Error("could not serialize access"), { code: "40001" });
    await assert.rejects(
      store.transaction(async () => {
        attempts++;
        throw serialization;
      }),
      (err) => err === serialization,
    );
    assert.equal(attempts, 5);

    attempts = 0;
    await assert.rejects(
      store.transaction(async () => {
        attempts++;
        throw new Error("plain failure");
      }),
      /plain failure/,
    );
    assert.equal(attempts, 1);
  });

  test("work that swallows a failed statement cannot commit what it wrote before", async () => {
    await assert.rejects(
      store.transaction(async (tx) => {
        const share = await tx.insertShare(newShare("acct", "swallowed"));
        // A foreign-key violation: PostgreSQL aborts the transaction.
        await tx.putPermission(share.id + 1_000_000, "k", "sddl").catch(() => undefined);
        return share;
      }),
      (err: unknown) => (err as { code?: string }).code === "23503",
    );
    assert.equal(await store.transaction((tx) => tx.getShare("acct", "swallowed", "")), null);
  });

  test("listing uses the indexes (no sort or sequential scan over the tables)", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("SET enable_seqscan = off");
      const plan = async (sql: string, params: unknown[]) => {
        const res = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
        return res.rows.map((r) => r["QUERY PLAN"]).join("\n");
      };
      const s = `"${specificsSchema}"`;
      const shares = await plan(
        `SELECT id FROM ${s}.shares WHERE account = $1 AND (name, snapshot) > ($2, $3) AND name >= $4 AND name < $5
         ORDER BY name, snapshot LIMIT 10`,
        ["a", "m", "", "m", "n"],
      );
      assert.match(shares, /Index (Only )?Scan using shares_key/);
      assert.doesNotMatch(shares, /Sort/);
      const children = await plan(
        `SELECT id FROM ${s}.nodes WHERE parent_id = $1 AND name_key > $2 ORDER BY name_key LIMIT 10`,
        [1, "a"],
      );
      assert.match(children, /Index (Only )?Scan using nodes_sibling_key/);
      assert.doesNotMatch(children, /Sort/);
    } finally {
      await client.end();
    }
  });
});
