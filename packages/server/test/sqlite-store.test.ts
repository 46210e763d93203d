import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { NO_LEASE } from "../src/store/records.js";
import { SCHEMA_VERSION } from "../src/store/sqlite/schema.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { runStoreSuite } from "./store-suite.js";
import { newNode, newShare, uniqueExtent } from "./store-suite-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "sharelock-sqlite-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const suiteFile = join(dir, "suite.db");
runStoreSuite("sqlite", async () => SqliteStore.open(suiteFile));

describe("SqliteStore specifics", () => {
  test("group commit: concurrent transactions share commits, a failing one rolls back alone", async () => {
    const store = SqliteStore.open(join(dir, "group.db"));
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          store.transaction(async (tx) => {
            const share = await tx.insertShare(newShare("grp", `s${i}`));
            if (i % 7 === 3) throw new Error(`member ${i} fails`);
            return share.name;
          }),
        ),
      );
      const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
      assert.deepEqual(failed, [3, 10, 17, 24, 31, 38, 45], "exactly the failing members reject");
      const listed = await store.transaction((tx) =>
        tx.listShares("grp", { limit: 100, includeSnapshots: false }),
      );
      const names = listed.items.map((s) => s.name).sort();
      const expected = Array.from({ length: 50 }, (_, i) => i)
        .filter((i) => i % 7 !== 3)
        .map((i) => `s${i}`)
        .sort();
      assert.deepEqual(names, expected, "every other member committed, no failed member left a trace");
      // A later transaction still works after groups with failures.
      assert.equal(await store.transaction(async () => "ok"), "ok");
    } finally {
      await store.close();
    }
  });

  test("reopening the file finds every kind of data, and file ids keep growing", async () => {
    const file = join(dir, "reopen.db");
    const ext = uniqueExtent("reopen");
    const first = SqliteStore.open(file);
    const written = await first.transaction(async (tx) => {
      await tx.setServiceProperties("acct", { json: '{"cors":[]}' });
      const share = await tx.insertShare(newShare("acct", "s", "", { metadata: { a: "1" } }));
      const snap = await tx.insertShare(newShare("acct", "s", "2026-01-01T00:00:00.0000000Z"));
      const root = await tx.insertNode(newNode(share.id, null, "directory", ""));
      const f = await tx.insertNode(
        newNode(share.id, root.id, "file", "F", {
          size: 2 ** 42,
          lease: { id: "l", state: "leased", durationSeconds: -1, expiresAt: null, breakAt: null },
        }),
      );
      await tx.insertRanges(f.id, [{ start: 0, end: 2 ** 41, extentId: ext, extentOffset: 3 }]);
      await tx.putPermission(share.id, "key", "O:BA");
      const fileId = await tx.nextFileId();
      return { share, snap, root, f, fileId };
    });
    assert.ok(existsSync(`${file}-wal`), "journal_mode is WAL");
    await first.close();

    const second = SqliteStore.open(file);
    try {
      await second.transaction(async (tx) => {
        assert.deepEqual(await tx.getServiceProperties("acct"), { json: '{"cors":[]}' });
        assert.deepEqual(await tx.getShare("acct", "s", ""), written.share);
        assert.deepEqual(await tx.listSnapshots("acct", "s"), [written.snap]);
        assert.deepEqual(await tx.getRoot(written.share.id), written.root);
        assert.deepEqual(await tx.getChild(written.root.id, "f"), written.f);
        assert.deepEqual(await tx.rangesOverlapping(written.f.id, 0, 2 ** 42), [
          { start: 0, end: 2 ** 41, extentId: ext, extentOffset: 3 },
        ]);
        assert.equal(await tx.getPermission(written.share.id, "key"), "O:BA");
        assert.equal(await tx.shareUsageBytes(written.share.id), 2 ** 42);
        assert.ok(BigInt(await tx.nextFileId()) > BigInt(written.fileId), "file ids continue");
        const again = await tx.insertShare(newShare("acct", "t"));
        assert.ok(again.id > written.snap.id, "ids are not reused");
      });
    } finally {
      await second.close();
    }
  });

  test("the schema version is stored, and a newer file is refused", async () => {
    const file = join(dir, "version.db");
    await SqliteStore.open(file).close();
    const raw = new Database(file);
    assert.equal(raw.pragma("user_version", { simple: true }), SCHEMA_VERSION);
    assert.equal(raw.pragma("journal_mode", { simple: true }), "wal", "WAL is recorded in the file");
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(() => SqliteStore.open(file), /schema version/);
  });

  test("transactions run one at a time, in the order they were queued", async () => {
    const store = SqliteStore.open(join(dir, "order.db"));
    try {
      const share = await store.transaction((tx) =>
        tx.insertShare(newShare("acct", "s", "", { quotaGiB: 0 })),
      );
      const events: string[] = [];
      const seen = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transaction(async (tx) => {
            events.push(`begin ${i}`);
            const s = await tx.getShare("acct", "s", "");
            await new Promise((resolve) => setTimeout(resolve, 2));
            await tx.updateShare(share.id, { quotaGiB: (s?.quotaGiB ?? -100) + 1 });
            events.push(`end ${i}`);
            return s?.quotaGiB;
          }),
        ),
      );
      assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.deepEqual(events, Array.from({ length: 10 }, (_, i) => [`begin ${i}`, `end ${i}`]).flat());
    } finally {
      await store.close();
    }
  });

  test("two stores on one file in one process share the queue instead of blocking each other", async () => {
    const file = join(dir, "shared.db");
    const a = SqliteStore.open(file);
    const b = SqliteStore.open(file);
    try {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow = a.transaction(async (tx) => {
        await tx.insertShare(newShare("acct", "slow"));
        await gate;
      });
      const fast = b.transaction((tx) => tx.getShare("acct", "slow", ""));
      setTimeout(release, 20);
      await slow;
      assert.equal((await fast)?.name, "slow", "b waited for a's commit");
    } finally {
      await a.close();
      await b.close();
    }
    const c = SqliteStore.open(file);
    assert.equal((await c.transaction((tx) => tx.getShare("acct", "slow", "")))?.lease.state, NO_LEASE.state);
    await c.close();
  });

  test(":memory: databases are private to their store", async () => {
    const a = SqliteStore.open(":memory:");
    const b = SqliteStore.open(":memory:");
    try {
      await a.transaction((tx) => tx.insertShare(newShare("acct", "only-in-a")));
      assert.equal(await b.transaction((tx) => tx.getShare("acct", "only-in-a", "")), null);
      assert.equal((await a.transaction((tx) => tx.getShare("acct", "only-in-a", "")))?.name, "only-in-a");
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a failing statement inside work does not poison the transaction", async () => {
    const store = SqliteStore.open(":memory:");
    try {
      const id = await store.transaction(async (tx) => {
        const s = await tx.insertShare(newShare("acct", "s"));
        await assert.rejects(tx.insertNode(newNode(s.id + 1000, null, "directory", "")), /FOREIGN KEY/);
        return s.id;
      });
      assert.equal((await store.transaction((tx) => tx.getShare("acct", "s", "")))?.id, id);
    } finally {
      await store.close();
    }
  });
  describe("the share cache", () => {
    test("a share changed through another store on the same file reads back changed", async () => {
      const file = join(dir, "cache-shared.db");
      const a = SqliteStore.open(file);
      const b = SqliteStore.open(file);
      try {
        const share = await a.transaction((tx) =>
          tx.insertShare(newShare("acct", "s", "", { metadata: {} })),
        );
        assert.deepEqual((await a.transaction((tx) => tx.getShare("acct", "s", "")))?.metadata, {});
        await b.transaction((tx) => tx.updateShare(share.id, { metadata: { k: "v" } }));
        assert.deepEqual((await a.transaction((tx) => tx.getShare("acct", "s", "")))?.metadata, { k: "v" });
        await b.transaction((tx) => tx.deleteShare(share.id));
        assert.equal(await a.transaction((tx) => tx.getShare("acct", "s", "")), null);
      } finally {
        await a.close();
        await b.close();
      }
    });

    test("a change read back inside a transaction that then fails is forgotten with it", async () => {
      const store = SqliteStore.open(join(dir, "cache-rollback.db"));
      try {
        const share = await store.transaction((tx) =>
          tx.insertShare(newShare("acct", "s", "", { metadata: {} })),
        );
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.updateShare(share.id, { metadata: { doomed: "1" } });
            assert.deepEqual((await tx.getShare("acct", "s", ""))?.metadata, { doomed: "1" });
            throw new Error("fails after reading its own write");
          }),
          /fails after reading/,
        );
        assert.deepEqual((await store.transaction((tx) => tx.getShare("acct", "s", "")))?.metadata, {});
        // The same inside a group whose other members commit.
        const [, failed] = await Promise.allSettled([
          store.transaction((tx) => tx.getShare("acct", "s", "")),
          store.transaction(async (tx) => {
            await tx.setShareLease(share.id, { ...NO_LEASE, state: "leased", id: "x", durationSeconds: -1 });
            await tx.getShare("acct", "s", "");
            throw new Error("member fails");
          }),
          store.transaction((tx) => tx.getShare("acct", "s", "")),
        ]);
        assert.equal(failed.status, "rejected");
        assert.equal(
          (await store.transaction((tx) => tx.getShare("acct", "s", "")))?.lease.state,
          "available",
        );
      } finally {
        await store.close();
      }
    });

    test("records handed out are frozen, so no caller can change what the next one reads", async () => {
      const store = SqliteStore.open(join(dir, "cache-frozen.db"));
      try {
        await store.transaction((tx) => tx.insertShare(newShare("acct", "s", "", { metadata: { a: "1" } })));
        const share = await store.transaction((tx) => tx.getShare("acct", "s", ""));
        assert.ok(share !== null);
        assert.throws(() => {
          (share.metadata as Record<string, string>).a = "2";
        }, TypeError);
        assert.throws(() => {
          (share as { etag: string }).etag = "x";
        }, TypeError);
        assert.deepEqual((await store.transaction((tx) => tx.getShare("acct", "s", "")))?.metadata, {
          a: "1",
        });
      } finally {
        await store.close();
      }
    });
  });
});
