/**
 * The embedded metadata store: one SQLite file (better-sqlite3, WAL, synchronous=FULL) behind an
 * in-process queue. Transactions run one at a time, each inside its own SAVEPOINT; the ones that
 * queue up while a commit is on its way are grouped into one BEGIN IMMEDIATE … COMMIT (group
 * commit), so one fsync acknowledges many of them. No result is handed out before its COMMIT.
 */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import type { MetadataStore, Transaction } from "../transaction.js";
import { openDatabase } from "./driver.js";
import { migrate } from "./schema.js";
import { ShareCache } from "./share-cache.js";
import { SqliteStatements } from "./sqlite-statements.js";
import { SqliteTransaction } from "./sqlite-transaction.js";
import { TransactionQueue } from "./transaction-queue.js";

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Queues shared by every store open on the same file in this process. better-sqlite3 waits for a
 * busy lock synchronously, so two connections of one process must never contend: they would block
 * the event loop that the lock holder needs to finish. The share cache is shared with the queue:
 * a write through one connection must empty what the others remember.
 */
const sharedQueues = new Map<string, { queue: TransactionQueue; shares: ShareCache; users: number }>();

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

/** Most transactions one COMMIT acknowledges. */
const MAX_GROUP = 128;

/** A queued transaction and how to settle it. */
interface Job {
  work: (tx: Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** SQLite implementation of MetadataStore. Create with `SqliteStore.open`. */
export class SqliteStore implements MetadataStore {
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Transactions waiting for the next group. */
  private waiting: Job[] = [];
  /** True while a group is queued or running. */
  private groupScheduled = false;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly statements: SqliteStatements,
    private readonly queue: TransactionQueue,
    private readonly shares: ShareCache,
    private readonly key: string | null,
  ) {}

  /**
   * Opens (creating if needed) the metadata database at `file` — a path, or ":memory:" for a
   * private in-memory database — and brings its schema up to date. The parent directory must exist.
   */
  static open(file: string): SqliteStore {
    const db = openDatabase(file, { timeout: BUSY_TIMEOUT_MS });
    let key: string | null = null;
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      migrate(db);
      const statements = new SqliteStatements(db);
      let queue = new TransactionQueue();
      let shares = new ShareCache();
      if (!isPrivateDatabase(file)) {
        key = fileKey(file);
        const shared = sharedQueues.get(key) ?? { queue, shares, users: 0 };
        shared.users++;
        sharedQueues.set(key, shared);
        queue = shared.queue;
        shares = shared.shares;
      }
      return new SqliteStore(db, statements, queue, shares, key);
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
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleGroup();
    });
  }

  /**
   * Starts the next group in the event loop's check phase (setImmediate), not at once: COMMIT's
   * fsync blocks the thread, and waiting one turn lets every request that arrived meanwhile reach
   * its transaction first, so one fsync acknowledges all of them instead of one each.
   */
  private scheduleGroup(): void {
    if (this.groupScheduled || this.waiting.length === 0) return;
    this.groupScheduled = true;
    setImmediate(() => {
      void this.queue
        .run(() => this.runGroup())
        .finally(() => {
          this.groupScheduled = false;
          this.scheduleGroup();
        });
    });
  }

  /**
   * Runs the waiting transactions, each in a SAVEPOINT of one BEGIN IMMEDIATE … COMMIT, then settles
   * them: a failed one is rolled back to its savepoint alone; a failed COMMIT fails them all.
   */
  private async runGroup(): Promise<void> {
    const group = this.waiting.splice(0, MAX_GROUP);
    const outcomes: Outcome[] = [];
    try {
      this.statements.begin.run();
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    for (const job of group) {
      if (!this.db.inTransaction) {
        try {
          this.statements.begin.run();
        } catch (error) {
          outcomes.push({ ok: false, error });
          continue;
        }
      }
      outcomes.push(await this.runInSavepoint(job, outcomes));
    }
    try {
      if (this.db.inTransaction) this.statements.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.statements.rollback.run();
      this.shares.clear();
      for (const job of group) job.reject(error);
      return;
    }
    group.forEach((job, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  private async runInSavepoint(job: Job, earlier: Outcome[]): Promise<Outcome> {
    const tx = new SqliteTransaction(this.statements, this.shares);
    this.statements.savepoint.run();
    try {
      const value = await job.work(tx);
      tx.end();
      this.statements.releaseSavepoint.run();
      return { ok: true, value };
    } catch (error) {
      tx.end();
      this.shares.clear();
      if (this.db.inTransaction) {
        this.statements.rollbackToSavepoint.run();
        this.statements.releaseSavepoint.run();
      } else {
        // SQLite rolled the whole transaction back (I/O error, disk full…): the earlier members of
        // the group lost their changes too, so they fail with this error.
        for (let i = 0; i < earlier.length; i++) earlier[i] = { ok: false, error };
      }
      return { ok: false, error };
    }
  }

  /** Waits for queued transactions to finish, then closes the database. Idempotent. */
  close(): Promise<void> {
    if (this.closing === null) {
      this.closed = true;
      this.closing = this.drained().then(() => {
        this.db.close();
        this.releaseQueue();
      });
    }
    return this.closing;
  }

  /** Resolves once no group is waiting or running. */
  private async drained(): Promise<void> {
    while (this.groupScheduled || this.waiting.length > 0) {
      await this.queue.drain();
      // A group may still be waiting for its setImmediate turn: let the event loop get there.
      await new Promise((resolve) => setImmediate(resolve));
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
