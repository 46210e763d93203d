import pg from "pg";

/** The PostgreSQL the tests use (CI starts it on 127.0.0.1:5432 with trust auth, database `test`). */
export const TEST_POSTGRES_URL =
  process.env.SHARELOCK_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** True when `SHARELOCK_TEST_BACKEND=postgres` asks every test server to keep metadata in PostgreSQL. */
export function postgresBackendRequested(): boolean {
  return process.env.SHARELOCK_TEST_BACKEND?.toLowerCase() === "postgres";
}

let counter = 0;

/** A schema name no other test (process) uses: lower-case letters, digits and underscores. */
export function uniquePostgresSchema(prefix = "sl_test"): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Drops a schema and everything in it (tests clean up after themselves). */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Number of rows of one table in a schema (proves where a server keeps its metadata). */
export async function countPostgresRows(url: string, schema: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
    const res = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(schema)}.${q(table)}`);
    return Number(res.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
