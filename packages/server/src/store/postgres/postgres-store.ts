/**
 * The scale-out metadata store: PostgreSQL through a `pg` Pool. Several server instances may share
 * one database. Each transaction is SERIALIZABLE, the getters the engine reads before writing lock
 * their row, and the whole `work` is run again on serialization failure or deadlock, so concurrent
 * instances never act on the same row's state twice (no two of them grant the same lease).
 */
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { MetadataStore, Transaction } from "../transaction.js";
import { isRetryable, retryDelayMs } from "./pg-retry.js";
import { migratePg } from "./pg-schema.js";
import { PgStatements } from "./pg-statements.js";
import { PgTransaction } from "./pg-transaction.js";

/** Options of `PostgresStore.connect`. */
export interface PostgresStoreOptions {
  /** Schema holding the tables (created if missing). Default "public". */
  schema?: string;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /** Most times one transaction is attempted (serialization failures, deadlocks). Default 10. */
  maxAttempts?: number;
}

/** PostgreSQL implementation of MetadataStore. Create with `PostgresStore.connect`. */
export class PostgresStore implements MetadataStore {
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Transactions started and not yet settled (each promise never rejects). */
  private readonly active = new Set<Promise<void>>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly statements: PgStatements,
    private readonly maxAttempts: number,
  ) {}

  /**
   * Connects to `url` (e.g. `postgres://postgres@127.0.0.1:5432/test`), creating or upgrading the
   * tables in `opts.schema`. Rejects if the server cannot be reached.
   */
  static async connect(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = opts.schema ?? "public";
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on("error", () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePg(client, schema);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, new PgStatements(schema), Math.max(1, opts.maxAttempts ?? 50));
  }

  /**
   * Runs `work` in one SERIALIZABLE transaction and commits it. On serialization failure or deadlock
   * the transaction is rolled back and `work` runs again (up to `maxAttempts` in all); any other
   * error rolls back and is rethrown.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("metadata store is closed"));
    const running = this.runWithRetries(work);
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.active.add(settled);
    void settled.then(() => this.active.delete(settled));
    return running;
  }

  /** Lets transactions already started finish, then closes the pool. Idempotent. */
  close(): Promise<void> {
    if (this.closing === null) {
      this.closed = true;
      this.closing = Promise.all(this.active).then(() => this.pool.end());
    }
    return this.closing;
  }

  private async runWithRetries<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(work);
      } catch (err) {
        if (attempt >= this.maxAttempts || !isRetryable(err)) throw err;
      }
      await sleep(retryDelayMs(attempt));
    }
  }

  private async attempt<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
    } catch (err) {
      client.release(asError(err)); // the connection is in an unknown state: discard it
      throw err;
    }
    const tx = new PgTransaction(client, this.statements);
    let broken: Error | undefined;
    try {
      const result = await work(tx);
      tx.end();
      // A statement failed and `work` carried on: PostgreSQL has aborted the transaction.
      if (tx.failure !== undefined) throw tx.failure;
      await client.query("COMMIT");
      return result;
    } catch (err) {
      tx.end();
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        broken = asError(rollbackError);
      }
      // A retryable failure wins over whatever `work` made of it.
      throw isRetryable(tx.failure) ? tx.failure : err;
    } finally {
      client.release(broken);
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
