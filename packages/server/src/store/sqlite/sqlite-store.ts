/**
 * The embedded metadata store: one SQLite file (better-sqlite3, WAL, synchronous=FULL) behind an
 * in-process queue, so transactions run one at a time as BEGIN IMMEDIATE … COMMIT.
 */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import type { MetadataStore, Transaction } from "../transaction.js";
import { migrate } from "./schema.js";
import { SqliteStatements } from "./sqlite-statements.js";
import { SqliteTransaction } from "./sqlite-transaction.js";
import { TransactionQueue } from "./transaction-queue.js";

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Queues shared by every store open on the same file in this process. better-sqlite3 waits for a
 * busy lock synchronously, so two connections of one process must never contend: they would block
 * the event loop that the lock holder needs to finish.
 */
const sharedQueues = new Map<string, { queue: TransactionQueue; users: number }>();

function isPrivateDatabase(file: string): boolean {
  return file === "" || file === ":memory:" || file.startsWith("file::memory:");
}

function fileKey(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/** SQLite implementation of MetadataStore. Create with `SqliteStore.open`. */
export class SqliteStore implements MetadataStore {
  private closed = false;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly db: Database.Database,
    private readonly statements: SqliteStatements,
    private readonly queue: TransactionQueue,
    private readonly key: string | null,
  ) {}

  /**
   * Opens (creating if needed) the metadata database at `file` — a path, or ":memory:" for a
   * private in-memory database — and brings its schema up to date. The parent directory must exist.
   */
  static open(file: string): SqliteStore {
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    let key: string | null = null;
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      migrate(db);
      const statements = new SqliteStatements(db);
      let queue = new TransactionQueue();
      if (!isPrivateDatabase(file)) {
        key = fileKey(file);
        const shared = sharedQueues.get(key) ?? { queue, users: 0 };
        shared.users++;
        sharedQueues.set(key, shared);
        queue = shared.queue;
      }
      return new SqliteStore(db, statements, queue, key);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Runs `work` as one BEGIN IMMEDIATE … COMMIT after every transaction queued before it. If `work`
   * (or COMMIT) throws, the transaction is rolled back and the error rethrown; the queue moves on.
   * Calling `transaction` from inside `work` waits for the outer transaction and so never finishes.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("metadata store is closed"));
    return this.queue.run(() => this.runOne(work));
  }

  /** Waits for queued transactions to finish, then closes the database. Idempotent. */
  close(): Promise<void> {
    if (this.closing === null) {
      this.closed = true;
      this.closing = this.queue.drain().then(() => {
        this.db.close();
        this.releaseQueue();
      });
    }
    return this.closing;
  }

  private async runOne<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const tx = new SqliteTransaction(this.statements);
    this.statements.begin.run();
    try {
      const result = await work(tx);
      tx.end();
      this.statements.commit.run();
      return result;
    } catch (err) {
      tx.end();
      if (this.db.inTransaction) this.statements.rollback.run();
      throw err;
    }
  }

  private releaseQueue(): void {
    if (this.key === null) return;
    const shared = sharedQueues.get(this.key);
    if (shared === undefined) return;
    shared.users--;
    if (shared.users <= 0) sharedQueues.delete(this.key);
  }
}
