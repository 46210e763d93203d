/**
 * The metadata store contract test suite. Every backend runs it (sqlite-store.test.ts,
 * postgres-store.test.ts). Tests share one store per backend and keep apart by using their own
 * account names and extent ids, so `open` may return a store over data left by earlier tests.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CopyRecord, NodeRecord, RangeRecord, ShareRecord } from "../src/store/records.js";
import { NO_LEASE } from "../src/store/records.js";
import { DuplicateKeyError } from "../src/store/sqlite/duplicate-key-error.js";
import type { MetadataStore, Transaction } from "../src/store/transaction.js";
import {
  byCodePoint,
  fixedLease,
  newNode,
  newShare,
  uniqueAccount,
  uniqueExtent,
} from "./store-suite-fixtures.js";

const TiB = 2 ** 40;

/**
 * Registers the contract tests for one backend. `open` is called once for the main store and again
 * wherever a test needs a second instance over the same data; `cleanup` runs after every store the
 * suite opened is closed.
 */
export function runStoreSuite(
  name: string,
  open: () => Promise<MetadataStore>,
  cleanup?: () => Promise<void>,
): void {
  describe(`metadata store contract: ${name}`, () => {
    let store: MetadataStore;
    const opened: MetadataStore[] = [];

    const openAnother = async (): Promise<MetadataStore> => {
      const s = await open();
      opened.push(s);
      return s;
    };
    const run = <T>(work: (tx: Transaction) => Promise<T>): Promise<T> => store.transaction(work);

    /** A share with a root directory. */
    const seedShare = async (account: string, shareName = "share") =>
      run(async (tx) => {
        const share = await tx.insertShare(newShare(account, shareName));
        const root = await tx.insertNode(newNode(share.id, null, "directory", ""));
        return { share, root };
      });

    before(async () => {
      store = await openAnother();
    });

    after(async () => {
      for (const s of opened) await s.close();
      await cleanup?.();
    });

    describe("service properties", () => {
      test("absent, then set, overwritten, and kept per account", async () => {
        const a = uniqueAccount("svc");
        const b = uniqueAccount("svc");
        assert.equal(await run((tx) => tx.getServiceProperties(a)), null);
        await run((tx) => tx.setServiceProperties(a, { json: '{"v":1}' }));
        assert.deepEqual(await run((tx) => tx.getServiceProperties(a)), { json: '{"v":1}' });
        await run((tx) => tx.setServiceProperties(a, { json: '{"v":2}' }));
        assert.deepEqual(await run((tx) => tx.getServiceProperties(a)), { json: '{"v":2}' });
        assert.equal(await run((tx) => tx.getServiceProperties(b)), null);
      });
    });

    describe("shares", () => {
      test("insert returns the record with an id and get reads every field back", async () => {
        const account = uniqueAccount("share");
        const input = newShare(account, "alpha", "", {
          quotaGiB: 102400,
          metadata: { b: "2", a: "1", empty: "" },
          rootSquash: "RootSquash",
          enabledProtocols: "NFS",
          acl: '[{"Id":"p1"}]',
          lease: {
            id: "9f1c",
            state: "breaking",
            durationSeconds: 30,
            expiresAt: 1_800_000_000_123,
            breakAt: 1_800_000_000_456,
          },
        });
        const inserted = await run((tx) => tx.insertShare(input));
        assert.equal(typeof inserted.id, "number");
        assert.deepEqual(inserted, { ...input, id: inserted.id });
        const read = await run((tx) => tx.getShare(account, "alpha", ""));
        assert.deepEqual(read, inserted);
        assert.deepEqual(Object.keys(read?.metadata ?? {}), ["b", "a", "empty"]);
      });

      test("snapshots are separate rows; a missing share reads as null", async () => {
        const account = uniqueAccount("share");
        const { base, snap } = await run(async (tx) => ({
          base: await tx.insertShare(newShare(account, "s")),
          snap: await tx.insertShare(newShare(account, "s", "2026-01-01T00:00:00.0000000Z", { quotaGiB: 7 })),
        }));
        assert.notEqual(base.id, snap.id);
        await run(async (tx) => {
          assert.equal((await tx.getShare(account, "s", ""))?.id, base.id);
          assert.equal((await tx.getShare(account, "s", "2026-01-01T00:00:00.0000000Z"))?.quotaGiB, 7);
          assert.equal(await tx.getShare(account, "s", "2026-01-02T00:00:00.0000000Z"), null);
          assert.equal(await tx.getShare(account, "other", ""), null);
          assert.equal(await tx.getShare(uniqueAccount("share"), "s", ""), null);
        });
      });

      test("a duplicate (account, name, snapshot) is refused and the transaction stays usable", async () => {
        const account = uniqueAccount("dup");
        await run((tx) => tx.insertShare(newShare(account, "s")));
        const after = await run(async (tx) => {
          await assert.rejects(
            tx.insertShare(newShare(account, "s", "", { quotaGiB: 1 })),
            DuplicateKeyError,
          );
          return tx.insertShare(newShare(account, "t"));
        });
        await run(async (tx) => {
          assert.equal((await tx.getShare(account, "s", ""))?.quotaGiB, 5120);
          assert.equal((await tx.getShare(account, "t", ""))?.id, after.id);
        });
        // The same name in another account, or as a snapshot, is not a duplicate.
        await run((tx) => tx.insertShare(newShare(uniqueAccount("dup"), "s")));
        await run((tx) => tx.insertShare(newShare(account, "s", "2026-01-01T00:00:00.0000000Z")));
      });

      test("updateShare changes only the patched fields", async () => {
        const account = uniqueAccount("upd");
        const s = await run((tx) =>
          tx.insertShare(newShare(account, "s", "", { rootSquash: "NoRootSquash" })),
        );
        await run((tx) =>
          tx.updateShare(s.id, {
            quotaGiB: 1,
            metadata: { only: "this" },
            etag: '"new"',
            lastModified: 42,
            rootSquash: null,
            acl: "[1]",
            accessTier: "Hot",
            accessTierChangeTime: 43,
          }),
        );
        const read = await run((tx) => tx.getShare(account, "s", ""));
        assert.deepEqual(read, {
          ...s,
          quotaGiB: 1,
          metadata: { only: "this" },
          etag: '"new"',
          lastModified: 42,
          rootSquash: null,
          acl: "[1]",
          accessTier: "Hot",
          accessTierChangeTime: 43,
        });
        await run((tx) => tx.updateShare(s.id, {}));
        await run((tx) => tx.updateShare(s.id, { quotaGiB: undefined, etag: '"newer"' }));
        assert.deepEqual(await run((tx) => tx.getShare(account, "s", "")), { ...read, etag: '"newer"' });
      });

      test("lease columns round trip through insert, updateShare and setShareLease", async () => {
        const account = uniqueAccount("lease");
        const s = await run((tx) => tx.insertShare(newShare(account, "s")));
        assert.deepEqual((await run((tx) => tx.getShare(account, "s", "")))?.lease, NO_LEASE);
        const leases = [
          fixedLease("lease-a", 15, 1_900_000_000_001),
          { id: "lease-b", state: "leased", durationSeconds: -1, expiresAt: null, breakAt: null },
          {
            id: "lease-b",
            state: "breaking",
            durationSeconds: -1,
            expiresAt: null,
            breakAt: 1_900_000_060_000,
          },
          { id: "lease-b", state: "broken", durationSeconds: -1, expiresAt: null, breakAt: null },
          { ...NO_LEASE },
        ] as const;
        for (const lease of leases) {
          await run((tx) => tx.setShareLease(s.id, lease));
          assert.deepEqual((await run((tx) => tx.getShare(account, "s", "")))?.lease, lease);
        }
        await run((tx) => tx.updateShare(s.id, { lease: leases[0] }));
        const read = await run((tx) => tx.getShare(account, "s", ""));
        assert.deepEqual(read, { ...s, lease: leases[0] });
      });

      test("listSnapshots returns only that share's snapshots, oldest first", async () => {
        const account = uniqueAccount("snaps");
        await run(async (tx) => {
          await tx.insertShare(newShare(account, "s"));
          await tx.insertShare(newShare(account, "s", "2026-03-01T00:00:00.0000000Z"));
          await tx.insertShare(newShare(account, "s", "2026-01-01T00:00:00.0000000Z"));
          await tx.insertShare(newShare(account, "s2", "2026-02-01T00:00:00.0000000Z"));
          await tx.insertShare(newShare(uniqueAccount("snaps"), "s", "2026-02-01T00:00:00.0000000Z"));
        });
        const snaps = await run((tx) => tx.listSnapshots(account, "s"));
        assert.deepEqual(
          snaps.map((x) => x.snapshot),
          ["2026-01-01T00:00:00.0000000Z", "2026-03-01T00:00:00.0000000Z"],
        );
        assert.ok(
          snaps.every((x) => x.account === account && x.name === "s"),
          "only this share's snapshots",
        );
        assert.deepEqual(await run((tx) => tx.listSnapshots(account, "none")), []);
      });

      test("deleteShare removes its nodes, ranges and permissions, and nothing of other shares", async () => {
        const account = uniqueAccount("del");
        const ext = uniqueExtent("del");
        const ids = await run(async (tx) => {
          const share = await tx.insertShare(newShare(account, "s"));
          const snap = await tx.insertShare(newShare(account, "s", "2026-01-01T00:00:00.0000000Z"));
          const root = await tx.insertNode(newNode(share.id, null, "directory", ""));
          const dir = await tx.insertNode(newNode(share.id, root.id, "directory", "d"));
          const file = await tx.insertNode(newNode(share.id, dir.id, "file", "f", { size: 10 }));
          await tx.insertRanges(file.id, [{ start: 0, end: 10, extentId: ext, extentOffset: 0 }]);
          await tx.putPermission(share.id, "k1", "O:BAG:BA");
          const snapRoot = await tx.insertNode(newNode(snap.id, null, "directory", ""));
          const snapFile = await tx.insertNode(newNode(snap.id, snapRoot.id, "file", "f", { size: 10 }));
          await tx.copyRanges(file.id, snapFile.id);
          await tx.putPermission(snap.id, "k1", "O:SY");
          return { share, snap, root, dir, file, snapFile };
        });
        await run((tx) => tx.deleteShare(ids.share.id));
        await run(async (tx) => {
          assert.equal(await tx.getShare(account, "s", ""), null);
          for (const n of [ids.root, ids.dir, ids.file]) assert.equal(await tx.getNode(n.id), null);
          assert.equal(await tx.getRoot(ids.share.id), null);
          assert.equal(await tx.getRootId(ids.share.id), null);
          assert.deepEqual(await tx.rangesOverlapping(ids.file.id, 0, 100), []);
          assert.equal(await tx.getPermission(ids.share.id, "k1"), null);
          // The snapshot is another share: untouched.
          assert.equal((await tx.getShare(account, "s", "2026-01-01T00:00:00.0000000Z"))?.id, ids.snap.id);
          assert.equal((await tx.getNode(ids.snapFile.id))?.name, "f");
          assert.equal(await tx.getPermission(ids.snap.id, "k1"), "O:SY");
          assert.deepEqual(await tx.rangesInExtent(ext), [
            { fileId: ids.snapFile.id, start: 0, end: 10, extentId: ext, extentOffset: 0 },
          ]);
          assert.equal((await tx.liveBytesByExtent()).get(ext), 10);
        });
      });

      test("shareUsageBytes sums file sizes of that share only, beyond 32 bits", async () => {
        const account = uniqueAccount("usage");
        const { share, root } = await seedShare(account);
        const other = await seedShare(account, "other");
        assert.equal(await run((tx) => tx.shareUsageBytes(share.id)), 0);
        await run(async (tx) => {
          const dir = await tx.insertNode(newNode(share.id, root.id, "directory", "d", { size: 999 }));
          await tx.insertNode(newNode(share.id, root.id, "file", "a", { size: 4 * TiB }));
          await tx.insertNode(newNode(share.id, dir.id, "file", "b", { size: 4 * TiB - 512 }));
          await tx.insertNode(newNode(share.id, dir.id, "file", "c", { size: 3 }));
          await tx.insertNode(newNode(other.share.id, other.root.id, "file", "x", { size: 1000 }));
        });
        assert.equal(await run((tx) => tx.shareUsageBytes(share.id)), 8 * TiB - 509);
        assert.equal(await run((tx) => tx.shareUsageBytes(other.share.id)), 1000);
        const b = await run(async (tx) => tx.getChild((await tx.getChild(root.id, "d"))?.id ?? -1, "b"));
        await run((tx) => tx.updateNode(b?.id ?? -1, { size: 1 }));
        assert.equal(await run((tx) => tx.shareUsageBytes(share.id)), 4 * TiB + 4);
      });
    });

    describe("listShares", () => {
      const SNAP1 = "2026-01-01T00:00:00.0000000Z";
      const SNAP2 = "2026-06-01T12:00:00.0000000Z";
      const account = uniqueAccount("list");
      const keyOf = (s: ShareRecord) => `${s.name}|${s.snapshot}`;
      let all: string[] = [];

      const listAll = async (opts: {
        prefix?: string;
        includeSnapshots: boolean;
        limit: number;
        marker?: string;
      }) => {
        const keys: string[] = [];
        let marker = opts.marker;
        for (let page = 0; page < 10_000; page++) {
          const result = await run((tx) => tx.listShares(account, { ...opts, marker }));
          assert.ok(result.items.length <= opts.limit, "a page holds at most limit items");
          for (const s of result.items) {
            assert.equal(s.account, account);
            keys.push(keyOf(s));
          }
          if (result.nextMarker === null) return keys;
          assert.equal(result.items.length, opts.limit, "a non-final page is full");
          marker = result.nextMarker;
        }
        throw new Error("listing did not end");
      };

      before(async () => {
        const names = Array.from({ length: 800 }, (_, i) => `name-${String(i).padStart(4, "0")}`);
        names.push("a%b", "a_b", "a-b", "ab", "abc", "b");
        const rows: Array<[string, string]> = [];
        for (const [i, n] of names.entries()) {
          rows.push([n, ""]);
          if (i % 4 === 0) rows.push([n, SNAP2], [n, SNAP1]);
        }
        await run(async (tx) => {
          for (const [n, snap] of rows) await tx.insertShare(newShare(account, n, snap));
          await tx.insertShare(newShare(uniqueAccount("list"), "name-0001"));
        });
        all = rows
          .map(([n, snap]) => ({ n, snap }))
          .sort((x, y) => byCodePoint(x.n, y.n) || byCodePoint(x.snap, y.snap))
          .map(({ n, snap }) => `${n}|${snap}`);
        assert.ok(all.length > 1000, "over 1,000 shares");
      });

      test("pages through ~1,000 shares with snapshots in (name, snapshot) order", async () => {
        assert.deepEqual(await listAll({ includeSnapshots: true, limit: 97 }), all);
      });

      test("without snapshots only base shares are listed", async () => {
        const base = all.filter((k) => k.endsWith("|"));
        assert.deepEqual(await listAll({ includeSnapshots: false, limit: 100 }), base);
        assert.deepEqual(await listAll({ includeSnapshots: false, limit: 1000 }), base);
      });

      test("a limit larger than the listing returns everything with no marker", async () => {
        const page = await run((tx) => tx.listShares(account, { includeSnapshots: true, limit: 5000 }));
        assert.equal(page.items.length, all.length);
        assert.equal(page.nextMarker, null);
      });

      test("an exactly full last page has no marker; limit 1 walks one by one", async () => {
        const base = all.filter((k) => k.endsWith("|"));
        const page = await run((tx) =>
          tx.listShares(account, { includeSnapshots: false, limit: base.length }),
        );
        assert.equal(page.items.length, base.length);
        assert.equal(page.nextMarker, null);
        assert.deepEqual(await listAll({ includeSnapshots: true, limit: 1, prefix: "name-000" }), [
          ...all.filter((k) => k.startsWith("name-000")),
        ]);
      });

      test("prefix selects exactly the names starting with it, with no pattern characters", async () => {
        const withPrefix = (p: string) => all.filter((k) => k.split("|")[0]?.startsWith(p));
        assert.deepEqual(
          await listAll({ includeSnapshots: true, limit: 33, prefix: "name-01" }),
          withPrefix("name-01"),
        );
        assert.equal(withPrefix("name-01").length, 100 + 25 * 2);
        assert.deepEqual(await listAll({ includeSnapshots: false, limit: 10, prefix: "a_" }), ["a_b|"]);
        assert.deepEqual(await listAll({ includeSnapshots: false, limit: 10, prefix: "a%" }), ["a%b|"]);
        assert.deepEqual(await listAll({ includeSnapshots: false, limit: 10, prefix: "ab" }), [
          "ab|",
          "abc|",
        ]);
        assert.deepEqual(await listAll({ includeSnapshots: false, limit: 10, prefix: "a" }), [
          "a%b|",
          "a-b|",
          "a_b|",
          "ab|",
          "abc|",
        ]);
        assert.deepEqual(await listAll({ includeSnapshots: true, limit: 10, prefix: "b" }), ["b|"]);
        assert.deepEqual(await listAll({ includeSnapshots: true, limit: 10, prefix: "zzz" }), []);
        assert.deepEqual(await listAll({ includeSnapshots: true, limit: 10, prefix: "name-0799x" }), []);
      });

      test("the marker continues strictly after the last item, also when taken mid-snapshots", async () => {
        const first = await run((tx) =>
          tx.listShares(account, { includeSnapshots: true, limit: 2, prefix: "name-0000" }),
        );
        assert.deepEqual(first.items.map(keyOf), [`name-0000|`, `name-0000|${SNAP1}`]);
        assert.ok(first.nextMarker !== null, "more follow");
        const rest = await run((tx) =>
          tx.listShares(account, { includeSnapshots: true, limit: 5, marker: first.nextMarker ?? "" }),
        );
        assert.deepEqual(rest.items.map(keyOf).slice(0, 2), [`name-0000|${SNAP2}`, "name-0001|"]);
      });

      test("a marker that is a bare share name continues after that base share", async () => {
        const page = await run((tx) =>
          tx.listShares(account, { includeSnapshots: true, limit: 3, marker: "name-0004" }),
        );
        assert.deepEqual(page.items.map(keyOf), [`name-0004|${SNAP1}`, `name-0004|${SNAP2}`, "name-0005|"]);
      });
    });

    describe("nodes", () => {
      test("root, children and getNode read every field back", async () => {
        const account = uniqueAccount("nodes");
        const { share, root } = await seedShare(account);
        assert.equal(root.parentId, null);
        assert.deepEqual(await run((tx) => tx.getRoot(share.id)), root);
        assert.equal(await run((tx) => tx.getRootId(share.id)), root.id);
        const file = await run((tx) =>
          tx.insertNode(
            newNode(share.id, root.id, "file", "Read Me.TXT", {
              metadata: { k: "v" },
              fileId: "13835128424026341376",
              size: 4 * TiB,
              contentType: "text/plain",
              contentEncoding: "gzip",
              contentLanguage: "en",
              cacheControl: "no-cache",
              contentDisposition: "attachment",
              contentMD5: "1B2M2Y8AsgTpgAmY7PhCfg==",
              lease: fixedLease("l1", 60, 1_900_000_000_000),
            }),
          ),
        );
        assert.equal(file.nameKey, "read me.txt");
        await run(async (tx) => {
          assert.deepEqual(await tx.getChild(root.id, "read me.txt"), file);
          assert.deepEqual(await tx.getNode(file.id), file);
          assert.equal(await tx.getChild(root.id, "Read Me.TXT"), null, "lookup is by nameKey");
          assert.equal(await tx.getChild(file.id, "read me.txt"), null);
          assert.equal(await tx.getNode(file.id + 1_000_000), null);
        });
        const noRoot = await run((tx) => tx.insertShare(newShare(account, "bare")));
        assert.equal(await run((tx) => tx.getRoot(noRoot.id)), null);
        assert.equal(await run((tx) => tx.getRootId(noRoot.id)), null);
      });

      test("sibling nameKeys are unique, a share has one root; both refusals keep the transaction usable", async () => {
        const { share, root } = await seedShare(uniqueAccount("nodup"));
        const dir = await run((tx) => tx.insertNode(newNode(share.id, root.id, "directory", "Dir")));
        await run(async (tx) => {
          await assert.rejects(tx.insertNode(newNode(share.id, root.id, "file", "DIR")), DuplicateKeyError);
          await assert.rejects(tx.insertNode(newNode(share.id, null, "directory", "")), DuplicateKeyError);
          // The same name under another parent is fine.
          await tx.insertNode(newNode(share.id, dir.id, "file", "dir"));
        });
        await run(async (tx) => {
          assert.equal((await tx.getChild(root.id, "dir"))?.kind, "directory");
          assert.equal((await tx.getChild(dir.id, "dir"))?.kind, "file");
        });
      });

      test("updateNode patches fields, moves and renames; identity fields stay", async () => {
        const { share, root } = await seedShare(uniqueAccount("nupd"));
        const { a, b, f } = await run(async (tx) => {
          const a = await tx.insertNode(newNode(share.id, root.id, "directory", "a"));
          const b = await tx.insertNode(newNode(share.id, root.id, "directory", "b"));
          const f = await tx.insertNode(
            newNode(share.id, a.id, "file", "f", { size: 5, contentType: "x/y" }),
          );
          return { a, b, f };
        });
        await run((tx) =>
          tx.updateNode(f.id, {
            parentId: b.id,
            name: "G",
            nameKey: "g",
            size: 3 * TiB,
            contentType: null,
            contentMD5: "abc=",
            metadata: { m: "1" },
            attributes: "ReadOnly",
            changeTime: "2027-01-01T00:00:00.0000000Z",
            etag: '"e2"',
            lastModified: 7,
            lease: fixedLease("x", 20, 99),
          }),
        );
        const moved = await run(async (tx) => {
          assert.equal(await tx.getChild(a.id, "f"), null);
          return tx.getChild(b.id, "g");
        });
        assert.deepEqual(moved, {
          ...f,
          parentId: b.id,
          name: "G",
          nameKey: "g",
          size: 3 * TiB,
          contentType: null,
          contentMD5: "abc=",
          metadata: { m: "1" },
          attributes: "ReadOnly",
          changeTime: "2027-01-01T00:00:00.0000000Z",
          etag: '"e2"',
          lastModified: 7,
          lease: fixedLease("x", 20, 99),
        });
        await run((tx) => tx.setNodeLease(f.id, NO_LEASE));
        assert.deepEqual((await run((tx) => tx.getNode(f.id)))?.lease, NO_LEASE);
        await run((tx) => tx.updateNode(f.id, {}));
        assert.deepEqual(await run((tx) => tx.getNode(f.id)), { ...moved, lease: NO_LEASE });
      });

      test("copy state round trips through insert, updateNode and listChildren, and clears to null", async () => {
        const { share, root } = await seedShare(uniqueAccount("ncopy"));
        const copy: CopyRecord = {
          id: "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
          source:
            "http://127.0.0.1:10004/acct/share/dir/src%20file.txt?sharesnapshot=2026-01-01T00%3A00%3A00.0000000Z",
          status: "success",
          progress: `${4 * TiB}/${4 * TiB}`,
          completionTime: Date.UTC(2026, 3, 4, 5, 6, 7, 890),
          statusDescription: null,
        };
        const { plain, copied } = await run(async (tx) => ({
          plain: await tx.insertNode(newNode(share.id, root.id, "file", "plain")),
          copied: await tx.insertNode(newNode(share.id, root.id, "file", "copied", { copy })),
        }));
        assert.equal(plain.copy, null);
        assert.deepEqual(copied.copy, copy);
        await run(async (tx) => {
          assert.equal((await tx.getNode(plain.id))?.copy, null);
          assert.deepEqual((await tx.getChild(root.id, "copied"))?.copy, copy);
          const listed = await tx.listChildren(root.id, { limit: 10 });
          assert.deepEqual(
            listed.items.map((n) => [n.name, n.copy]),
            [
              ["copied", copy],
              ["plain", null],
            ],
          );
        });

        const aborted: CopyRecord = {
          ...copy,
          status: "aborted",
          progress: "0/5",
          completionTime: null,
          statusDescription: 'Aborted by "the" user; ünïcode kept',
        };
        await run((tx) => tx.updateNode(plain.id, { copy: aborted, size: 5 }));
        await run((tx) => tx.updateNode(copied.id, { copy: null }));
        await run(async (tx) => {
          assert.deepEqual(await tx.getNode(plain.id), { ...plain, copy: aborted, size: 5 });
          assert.deepEqual(await tx.getNode(copied.id), { ...copied, copy: null });
        });
        // A patch without `copy` leaves it alone.
        await run((tx) => tx.updateNode(plain.id, { etag: '"e3"' }));
        assert.deepEqual((await run((tx) => tx.getNode(plain.id)))?.copy, aborted);
      });

      test("hasChildren, and deleteNode removes the node and its ranges", async () => {
        const { share, root } = await seedShare(uniqueAccount("ndel"));
        const ext = uniqueExtent("ndel");
        const { dir, file } = await run(async (tx) => {
          const dir = await tx.insertNode(newNode(share.id, root.id, "directory", "d"));
          const file = await tx.insertNode(newNode(share.id, dir.id, "file", "f", { size: 8 }));
          await tx.insertRanges(file.id, [{ start: 0, end: 8, extentId: ext, extentOffset: 16 }]);
          return { dir, file };
        });
        assert.equal(await run((tx) => tx.hasChildren(dir.id)), true);
        assert.equal(await run((tx) => tx.hasChildren(file.id)), false);
        await run((tx) => tx.deleteNode(file.id));
        await run(async (tx) => {
          assert.equal(await tx.getNode(file.id), null);
          assert.equal(await tx.hasChildren(dir.id), false);
          assert.deepEqual(await tx.rangesOverlapping(file.id, 0, 8), []);
          assert.deepEqual(await tx.rangesInExtent(ext), []);
          assert.equal((await tx.liveBytesByExtent()).has(ext), false);
        });
        await run((tx) => tx.deleteNode(dir.id));
        assert.equal(await run((tx) => tx.getNode(dir.id)), null);
      });

      test("deleting a directory that still has children fails and changes nothing", async () => {
        const { share, root } = await seedShare(uniqueAccount("nonempty"));
        const { dir, file } = await run(async (tx) => {
          const dir = await tx.insertNode(newNode(share.id, root.id, "directory", "d"));
          const file = await tx.insertNode(newNode(share.id, dir.id, "file", "f"));
          return { dir, file };
        });
        await assert.rejects(run((tx) => tx.deleteNode(dir.id)));
        await run(async (tx) => {
          assert.equal((await tx.getNode(dir.id))?.id, dir.id);
          assert.equal((await tx.getNode(file.id))?.parentId, dir.id);
        });
      });
    });

    describe("listChildren", () => {
      let parentId = 0;
      let expected: string[] = [];
      const unicode = [
        "\u00e4rger",
        "\u00e9t\u00e9",
        "\uff21wide",
        "\u{1f600}smile",
        "\u{1f600}",
        "\u{1f601}",
        "z",
      ];

      const listAll = async (opts: { prefix?: string; limit: number; marker?: string }) => {
        const keys: string[] = [];
        let marker = opts.marker;
        for (let page = 0; page < 10_000; page++) {
          const result = await run((tx) => tx.listChildren(parentId, { ...opts, marker }));
          assert.ok(result.items.length <= opts.limit, "a page holds at most limit items");
          for (const n of result.items) {
            assert.equal(n.parentId, parentId);
            keys.push(n.nameKey);
          }
          if (result.nextMarker === null) return keys;
          assert.equal(result.nextMarker, keys[keys.length - 1]);
          marker = result.nextMarker;
        }
        throw new Error("listing did not end");
      };

      before(async () => {
        const { share, root } = await seedShare(uniqueAccount("children"));
        const names = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? `File-${i}` : `dir_${i}`));
        names.push(...unicode, "100%", "10_0");
        await run(async (tx) => {
          const dir = await tx.insertNode(newNode(share.id, root.id, "directory", "big"));
          parentId = dir.id;
          for (const n of names) {
            await tx.insertNode(newNode(share.id, dir.id, n.startsWith("dir") ? "directory" : "file", n));
          }
          // A grandchild and a sibling directory's child must not be listed.
          const first = await tx.getChild(dir.id, "file-0");
          await tx.insertNode(newNode(share.id, first?.id ?? -1, "file", "nested"));
          await tx.insertNode(newNode(share.id, root.id, "file", "file-0"));
        });
        expected = names.map((n) => n.toLowerCase()).sort(byCodePoint);
      });

      test("pages through 1,000 children in nameKey (code point) order", async () => {
        const keys = await listAll({ limit: 64 });
        assert.deepEqual(keys, expected);
        // Code point order, not UTF-16 order: U+FF21 sorts before U+1F600.
        assert.ok(keys.indexOf("\uff21wide") < keys.indexOf("\u{1f600}"), "U+FF21 before U+1F600");
      });

      test("returns full records", async () => {
        const page = await run((tx) => tx.listChildren(parentId, { limit: 1, prefix: "file-3" }));
        assert.equal(page.items.length, 1);
        const [item] = page.items;
        assert.ok(item, "one item");
        assert.deepEqual(await run((tx) => tx.getNode(item.id)), item);
        assert.equal(item.name, "File-3");
      });

      test("prefix, marker and limit combine", async () => {
        const withPrefix = (p: string) => expected.filter((k) => k.startsWith(p));
        assert.deepEqual(await listAll({ limit: 7, prefix: "file-9" }), withPrefix("file-9"));
        assert.deepEqual(await listAll({ limit: 1000, prefix: "dir_99" }), withPrefix("dir_99"));
        assert.deepEqual(await listAll({ limit: 10, prefix: "10_" }), ["10_0"]);
        assert.deepEqual(await listAll({ limit: 10, prefix: "100%" }), ["100%"]);
        assert.deepEqual(await listAll({ limit: 10, prefix: "\u{1f600}" }), ["\u{1f600}", "\u{1f600}smile"]);
        assert.deepEqual(await listAll({ limit: 10, prefix: "nested" }), []);
        assert.deepEqual(
          await listAll({ limit: 3, prefix: "file-9", marker: "file-90" }),
          withPrefix("file-9").filter((k) => byCodePoint(k, "file-90") > 0),
        );
        assert.deepEqual(
          await listAll({ limit: 50, marker: "dir_998" }),
          expected.filter((k) => byCodePoint(k, "dir_998") > 0),
        );
        assert.deepEqual(await listAll({ limit: 5, marker: "\u{1f601}" }), []);
      });

      test("an empty directory lists nothing", async () => {
        const { root } = await seedShare(uniqueAccount("empty"));
        assert.deepEqual(await run((tx) => tx.listChildren(root.id, { limit: 10 })), {
          items: [],
          nextMarker: null,
        });
      });
    });

    describe("file ids", () => {
      test("nextFileId is a decimal string that only grows, across transactions and rollbacks", async () => {
        const ids: bigint[] = [];
        const take = async (tx: Transaction) => {
          const id = await tx.nextFileId();
          assert.match(id, /^[0-9]+$/);
          ids.push(BigInt(id));
        };
        await run(async (tx) => {
          for (let i = 0; i < 5; i++) await take(tx);
        });
        await assert.rejects(
          run(async (tx) => {
            await take(tx);
            throw new Error("roll back");
          }),
          /roll back/,
        );
        ids.pop(); // rolled back: may be handed out again, but never below an earlier committed id
        await run(take);
        await Promise.all([run(take), run(take), run(take)]);
        for (let i = 1; i < 6; i++)
          assert.ok((ids[i] ?? 0n) > (ids[i - 1] ?? 0n), `ids grow: ${ids.join(",")}`);
        assert.equal(new Set(ids).size, ids.length);
        assert.ok(
          ids.slice(5).every((id) => id > (ids[4] ?? 0n)),
          "later ids exceed earlier committed ones",
        );
      });
    });

    describe("range maps", () => {
      const r = (start: number, end: number, extentId: string, extentOffset = start): RangeRecord => ({
        start,
        end,
        extentId,
        extentOffset,
      });

      const seedFile = async (label: string) => {
        const { share, root } = await seedShare(uniqueAccount(label));
        return run((tx) => tx.insertNode(newNode(share.id, root.id, "file", "f", { size: 5 * TiB })));
      };

      test("rangesOverlapping returns overlapping entries in order, including one starting before the window", async () => {
        const file = await seedFile("ranges");
        const x = uniqueExtent("ranges");
        const map = [
          r(0, 100, x),
          r(100, 200, x),
          r(300, 400, x),
          r(1000, 5000, x),
          r(4 * TiB - 512, 4 * TiB, x, 7),
        ];
        await run((tx) =>
          tx.insertRanges(file.id, [map[2], map[0], map[4], map[1], map[3]] as RangeRecord[]),
        );
        const q = (s: number, e: number) => run((tx) => tx.rangesOverlapping(file.id, s, e));
        assert.deepEqual(await q(0, 5 * TiB), map);
        assert.deepEqual(await q(150, 350), [map[1], map[2]]);
        assert.deepEqual(await q(50, 60), [map[0]], "window inside one entry");
        assert.deepEqual(await q(2000, 2001), [map[3]], "entry starts long before the window");
        assert.deepEqual(await q(200, 300), [], "hole between entries; ends are exclusive");
        assert.deepEqual(await q(100, 101), [map[1]], "window starting at an entry start");
        assert.deepEqual(await q(99, 100), [map[0]]);
        assert.deepEqual(await q(399, 1001), [map[2], map[3]]);
        assert.deepEqual(await q(5000, 4 * TiB - 512), [], "window ends where an entry starts");
        assert.deepEqual(await q(4 * TiB - 1, 4 * TiB + 10), [map[4]]);
        assert.deepEqual(await q(4 * TiB, 5 * TiB), []);
        assert.deepEqual(await q(150, 150), [], "empty window");
        const other = await seedFile("ranges");
        assert.deepEqual(await run((tx) => tx.rangesOverlapping(other.id, 0, 5 * TiB)), []);
      });

      test("deleteRanges removes entries by start; insertRanges refuses an existing start", async () => {
        const file = await seedFile("rdel");
        const x = uniqueExtent("rdel");
        await run((tx) => tx.insertRanges(file.id, [r(0, 10, x), r(10, 20, x), r(20, 30, x)]));
        await run((tx) => tx.deleteRanges(file.id, [0, 20, 999]));
        await run((tx) => tx.deleteRanges(file.id, []));
        assert.deepEqual(await run((tx) => tx.rangesOverlapping(file.id, 0, 100)), [r(10, 20, x)]);
        await assert.rejects(run((tx) => tx.insertRanges(file.id, [r(30, 40, x), r(10, 15, x)])));
        assert.deepEqual(
          await run((tx) => tx.rangesOverlapping(file.id, 0, 100)),
          [r(10, 20, x)],
          "all or nothing",
        );
        await run((tx) => tx.insertRanges(file.id, []));
      });

      test("copyRanges copies every entry; liveBytesByExtent and rangesInExtent count them", async () => {
        const a = await seedFile("rcopy");
        const b = await seedFile("rcopy");
        const x = uniqueExtent("rcopy");
        const y = uniqueExtent("rcopy");
        await run((tx) => tx.insertRanges(a.id, [r(0, 4096, x, 512), r(8192, 8192 + TiB, y, 0)]));
        await run((tx) => tx.copyRanges(a.id, b.id));
        await run(async (tx) => {
          assert.deepEqual(
            await tx.rangesOverlapping(b.id, 0, 2 * TiB),
            await tx.rangesOverlapping(a.id, 0, 2 * TiB),
          );
          assert.equal((await tx.rangesOverlapping(a.id, 0, 2 * TiB)).length, 2);
          const live = await tx.liveBytesByExtent();
          assert.equal(live.get(x), 2 * 4096);
          assert.equal(live.get(y), 2 * TiB);
          assert.deepEqual(await tx.rangesInExtent(x), [
            { fileId: a.id, ...r(0, 4096, x, 512) },
            { fileId: b.id, ...r(0, 4096, x, 512) },
          ]);
          assert.deepEqual(await tx.rangesInExtent(uniqueExtent("none")), []);
        });
        await run((tx) => tx.deleteRanges(a.id, [8192]));
        assert.equal((await run((tx) => tx.liveBytesByExtent())).get(y), TiB);
      });
    });

    describe("permissions", () => {
      test("putPermission stores SDDL by (share, key) and overwrites", async () => {
        const { share } = await seedShare(uniqueAccount("perm"));
        const other = await seedShare(uniqueAccount("perm"));
        await run(async (tx) => {
          assert.equal(await tx.getPermission(share.id, "k"), null);
          await tx.putPermission(share.id, "k", "O:BAG:BAD:(A;;FA;;;BA)");
          await tx.putPermission(share.id, "k2", "O:SY");
        });
        assert.equal(await run((tx) => tx.getPermission(share.id, "k")), "O:BAG:BAD:(A;;FA;;;BA)");
        await run((tx) => tx.putPermission(share.id, "k", "O:BA"));
        assert.equal(await run((tx) => tx.getPermission(share.id, "k")), "O:BA");
        assert.equal(await run((tx) => tx.getPermission(share.id, "k2")), "O:SY");
        assert.equal(await run((tx) => tx.getPermission(other.share.id, "k")), null);
      });
    });

    describe("transactions", () => {
      test("commit returns the work's value", async () => {
        assert.deepEqual(await run(async () => ({ answer: 42 })), { answer: 42 });
      });

      test("a throwing work rolls everything back, rethrows the same error, and the store carries on", async () => {
        const account = uniqueAccount("rollback");
        const ext = uniqueExtent("rollback");
        const kept = await run((tx) => tx.insertShare(newShare(account, "kept")));
        const boom = new Error("boom");
        await assert.rejects(
          run(async (tx) => {
            const s = await tx.insertShare(newShare(account, "gone"));
            const root = await tx.insertNode(newNode(s.id, null, "directory", ""));
            const f = await tx.insertNode(newNode(s.id, root.id, "file", "f", { size: 1 }));
            await tx.insertRanges(f.id, [{ start: 0, end: 1, extentId: ext, extentOffset: 0 }]);
            await tx.putPermission(kept.id, "k", "sddl");
            await tx.setServiceProperties(account, { json: "{}" });
            await tx.updateShare(kept.id, { quotaGiB: 1, metadata: { changed: "yes" } });
            await tx.setShareLease(kept.id, fixedLease("l", 15, 1));
            throw boom;
          }),
          (err) => err === boom,
        );
        await run(async (tx) => {
          assert.equal(await tx.getShare(account, "gone", ""), null);
          assert.deepEqual(await tx.getShare(account, "kept", ""), kept);
          assert.equal(await tx.getPermission(kept.id, "k"), null);
          assert.equal(await tx.getServiceProperties(account), null);
          assert.deepEqual(await tx.rangesInExtent(ext), []);
          assert.equal((await tx.liveBytesByExtent()).has(ext), false);
        });
        const later = await run((tx) => tx.insertShare(newShare(account, "later")));
        assert.equal(later.name, "later");
      });

      test("a rejected transaction does not stall the ones queued behind it", async () => {
        const account = uniqueAccount("queue");
        const results = await Promise.allSettled([
          run(async (tx) => {
            await tx.insertShare(newShare(account, "a"));
            throw new Error("first fails");
          }),
          run((tx) => tx.insertShare(newShare(account, "b"))),
          run(() => {
            throw new Error("synchronous throw");
          }),
          run((tx) => tx.insertShare(newShare(account, "c"))),
        ]);
        assert.deepEqual(
          results.map((x) => x.status),
          ["rejected", "fulfilled", "rejected", "fulfilled"],
        );
        const page = await run((tx) => tx.listShares(account, { includeSnapshots: false, limit: 10 }));
        assert.deepEqual(
          page.items.map((s) => s.name),
          ["b", "c"],
        );
      });

      test("a transaction object cannot be used after its transaction ended", async () => {
        let leaked: Transaction | undefined;
        await run(async (tx) => {
          leaked = tx;
        });
        assert.ok(leaked, "work ran");
        const tx = leaked;
        await assert.rejects(tx.getShare("a", "b", ""), /ended/);
        await assert.rejects(tx.insertShare(newShare(uniqueAccount("late"), "s")), /ended/);
      });

      test("concurrent read-modify-write transactions each see the previous commit", async () => {
        const account = uniqueAccount("counter");
        const share = await run((tx) => tx.insertShare(newShare(account, "c", "", { quotaGiB: 0 })));
        const other = await openAnother();
        const n = 24;
        const observed = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            (i % 2 === 0 ? store : other).transaction(async (tx) => {
              const s = await tx.getShare(account, "c", "");
              assert.ok(s, "the counter share is visible");
              await new Promise((resolve) => setImmediate(resolve));
              await tx.updateShare(s.id, { quotaGiB: s.quotaGiB + 1 });
              return s.quotaGiB;
            }),
          ),
        );
        assert.deepEqual(
          [...observed].sort((a, b) => a - b),
          Array.from({ length: n }, (_, i) => i),
        );
        assert.equal((await run((tx) => tx.getShare(account, "c", "")))?.quotaGiB, n);
        assert.equal(share.quotaGiB, 0);
      });

      test("two store instances never both grant a lease on the same file", async () => {
        const { share, root } = await seedShare(uniqueAccount("lease-race"));
        const file = await run((tx) => tx.insertNode(newNode(share.id, root.id, "file", "f")));
        const other = await openAnother();
        const tries = Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? store : other).transaction(async (tx) => {
            const node = await tx.getNode(file.id);
            assert.ok(node, "the file is visible");
            await new Promise((resolve) => setImmediate(resolve));
            if (node.lease.state !== "available") return null;
            const lease = fixedLease(`lease-${i}`, 60, 2_000_000_000_000);
            await tx.setNodeLease(node.id, lease);
            return lease.id;
          }),
        );
        const winners = (await Promise.all(tries)).filter((x): x is string => x !== null);
        assert.equal(winners.length, 1, `winners: ${winners.join(", ")}`);
        const stored: NodeRecord | null = await run((tx) => tx.getNode(file.id));
        assert.equal(stored?.lease.id, winners[0]);
      });

      test("a closed store refuses new transactions; close is idempotent", async () => {
        const extra = await openAnother();
        const account = uniqueAccount("close");
        const pending = extra.transaction((tx) => tx.insertShare(newShare(account, "s")));
        await extra.close();
        await extra.close();
        assert.equal((await pending).name, "s", "work queued before close still completes");
        await assert.rejects(
          extra.transaction(async () => 1),
          /closed/,
        );
        assert.equal((await run((tx) => tx.getShare(account, "s", "")))?.name, "s");
      });
    });
  });
}
