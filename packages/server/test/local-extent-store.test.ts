import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { compactOnce, type SizedContentStore } from "../src/content/compactor.js";
import type { ExtentSpan, ReadPiece } from "../src/content/content-store.js";
import { LocalExtentStore, type LocalExtentStoreOptions } from "../src/content/local-extent-store.js";
import { readPieces } from "../src/engine/range-map.js";
import type { RangeRecord } from "../src/store/records.js";
import type { MetadataStore, Transaction } from "../src/store/transaction.js";

const MiB = 1024 * 1024;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sharelock-extents-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openStore(dir: string, opts: LocalExtentStoreOptions = {}): Promise<LocalExtentStore> {
  const store = await LocalExtentStore.open(dir, { reclaimGraceMs: 0, ...opts });
  cleanups.push(() => store.close());
  return store;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function streamError(stream: Readable): Promise<Error> {
  return new Promise((resolve, reject) => {
    stream.on("error", resolve);
    stream.on("end", () => reject(new Error("stream ended without error")));
    stream.resume();
  });
}

const openFds = (): number => readdirSync("/proc/self/fd").length;

describe("LocalExtentStore", () => {
  test("append then read gives the bytes back", async () => {
    const store = await openStore(await tempDir());
    const a = randomBytes(1000);
    const b = randomBytes(333);
    const sa = await store.append(a);
    const sb = await store.append(b);
    assert.equal(sa.offset, 0);
    assert.deepEqual(sb, { extentId: sa.extentId, offset: 1000 });
    assert.deepEqual(await store.read(sa.extentId, 0, 1000), a);
    assert.deepEqual(await store.read(sb.extentId, sb.offset + 10, 100), b.subarray(10, 110));
    assert.equal((await store.read(sa.extentId, 5, 0)).length, 0);
    await assert.rejects(store.read(sa.extentId, 1300, 100), /ends before/);
    await assert.rejects(store.read("../../etc/passwd", 0, 1), /invalid extent id/);
  });

  test("concurrent appends never overlap", async () => {
    const store = await openStore(await tempDir());
    const datas = Array.from({ length: 60 }, (_, i) => randomBytes(1 + ((i * 7919) % 5000)));
    const spans = await Promise.all(datas.map((d) => store.append(d)));
    const byExtent = new Map<string, Array<[number, number]>>();
    spans.forEach((s, i) => {
      const list = byExtent.get(s.extentId) ?? [];
      list.push([s.offset, s.offset + (datas[i] as Buffer).length]);
      byExtent.set(s.extentId, list);
    });
    for (const list of byExtent.values()) {
      list.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < list.length; i++) {
        assert.ok((list[i - 1] as [number, number])[1] <= (list[i] as [number, number])[0], "spans overlap");
      }
    }
    for (const [i, s] of spans.entries()) {
      const d = datas[i] as Buffer;
      assert.deepEqual(await store.read(s.extentId, s.offset, d.length), d);
    }
  });

  test("rolls over to a new extent and seals the full one", async () => {
    const store = await openStore(await tempDir(), { rollOverBytes: 1000 });
    const s1 = await store.append(Buffer.alloc(600, 1));
    assert.deepEqual(await store.sealedExtents(), []);
    const s2 = await store.append(Buffer.alloc(600, 2));
    const s3 = await store.append(Buffer.alloc(600, 3));
    assert.equal(s2.extentId, s1.extentId);
    assert.notEqual(s3.extentId, s1.extentId);
    assert.equal(s3.offset, 0);
    assert.deepEqual(await store.sealedExtents(), [s1.extentId]);
    assert.equal(await store.extentSize(s1.extentId), 1200);
    assert.equal(await store.extentSize(s3.extentId), 600);
    assert.deepEqual(await store.read(s2.extentId, 600, 600), Buffer.alloc(600, 2));
  });

  test("recently appended sealed extents are held back for the grace period", async () => {
    let now = 1_000_000;
    const store = await openStore(await tempDir(), {
      rollOverBytes: 10,
      reclaimGraceMs: 5000,
      now: () => now,
    });
    const s = await store.append(Buffer.alloc(20));
    assert.deepEqual(await store.sealedExtents(), []);
    now += 4999;
    assert.deepEqual(await store.sealedExtents(), []);
    now += 1;
    assert.deepEqual(await store.sealedExtents(), [s.extentId]);
  });

  test("reopening finds the data, seals everything and appends to a new extent", async () => {
    const dir = await tempDir();
    const first = await LocalExtentStore.open(dir, { rollOverBytes: 100 });
    const a = await first.append(Buffer.alloc(150, 7));
    const b = await first.append(Buffer.from("tail"));
    await first.close();
    await assert.rejects(first.append(Buffer.from("x")), /closed/);
    await writeFile(join(dir, "notes.txt"), "not an extent");

    const store = await openStore(dir);
    assert.deepEqual(await store.read(a.extentId, 0, 150), Buffer.alloc(150, 7));
    assert.deepEqual(await store.read(b.extentId, b.offset, 4), Buffer.from("tail"));
    assert.deepEqual(await store.sealedExtents(), [a.extentId, b.extentId].sort());
    const c = await store.append(Buffer.from("new"));
    assert.ok(c.extentId > b.extentId, "a new extent, never the old last one");
    assert.equal(c.offset, 0);
    assert.equal(await store.extentSize(b.extentId), 4);
  });

  test("streams pieces with holes in order", async () => {
    const store = await openStore(await tempDir(), { rollOverBytes: 2 * MiB });
    const x = randomBytes(2.5 * MiB);
    const y = randomBytes(1000);
    const sx = await store.append(x);
    const sy = await store.append(y); // lands in a second extent
    assert.notEqual(sx.extentId, sy.extentId);
    const pieces: ReadPiece[] = [
      { zeros: 10 },
      { extentId: sy.extentId, offset: sy.offset + 100, length: 50 },
      { zeros: 2 * MiB + 3 },
      { extentId: sx.extentId, offset: sx.offset + 1, length: x.length - 1 },
      { zeros: 0 },
      { extentId: sy.extentId, offset: sy.offset, length: 1000 },
    ];
    const expected = Buffer.concat([
      Buffer.alloc(10),
      y.subarray(100, 150),
      Buffer.alloc(2 * MiB + 3),
      x.subarray(1),
      y,
    ]);
    const stream = store.createReadStream(pieces);
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c)); // "data" hands over chunks as pushed
    await new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject));
    assert.ok(
      chunks.every((c) => c.length <= MiB),
      "chunks are at most 1 MiB",
    );
    assert.deepEqual(Buffer.concat(chunks), expected);
    assert.deepEqual(await collect(store.createReadStream([])), Buffer.alloc(0));
  });

  test("a 20 MiB read through a slow consumer keeps memory bounded", async () => {
    const store = await openStore(await tempDir());
    const hash = createHash("sha256");
    const pieces: ReadPiece[] = [];
    for (let i = 0; i < 5; i++) {
      const data = randomBytes(4 * MiB);
      const s = await store.append(data);
      pieces.push({ extentId: s.extentId, offset: s.offset, length: data.length }, { zeros: 123_457 });
      hash.update(data).update(Buffer.alloc(123_457));
    }
    const stream = store.createReadStream(pieces);
    let maxBuffered = 0;
    let received = 0;
    const got = createHash("sha256");
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, cb) {
        maxBuffered = Math.max(maxBuffered, stream.readableLength);
        received += chunk.length;
        got.update(chunk);
        setTimeout(cb, 2);
      },
    });
    await pipeline(stream, slow);
    assert.equal(received, 20 * MiB + 5 * 123_457);
    assert.equal(got.digest("hex"), hash.digest("hex"));
    assert.ok(maxBuffered <= 2 * MiB, `read ahead ${maxBuffered} bytes`);

    // A paused stream stops reading from disk.
    const paused = store.createReadStream(pieces);
    await new Promise<void>((resolve) => paused.once("data", () => resolve()));
    paused.pause();
    await sleep(100);
    assert.ok(paused.readableLength <= 2 * MiB, `buffered ${paused.readableLength} bytes while paused`);
    paused.destroy();
  });

  test("read errors destroy the stream", async () => {
    const dir = await tempDir();
    const store = await openStore(dir, { rollOverBytes: 10 });
    const s = await store.append(Buffer.alloc(100, 1));
    await store.append(Buffer.alloc(1)); // s's extent is sealed now
    const pastEnd = store.createReadStream([{ zeros: 5 }, { extentId: s.extentId, offset: 50, length: 100 }]);
    assert.match((await streamError(pastEnd)).message, /ends before/);
    assert.ok(pastEnd.destroyed);

    const bad = store.createReadStream([{ extentId: "../secret", offset: 0, length: 1 }]);
    assert.match((await streamError(bad)).message, /invalid extent id/);

    const negative = store.createReadStream([{ zeros: -1 }]);
    assert.ok((await streamError(negative)) instanceof RangeError);

    // The file disappears under a reader: the extent is gone, so is the data.
    await truncate(join(dir, `${s.extentId}.extent`), 10);
    const cut = store.createReadStream([{ extentId: s.extentId, offset: 0, length: 100 }]);
    assert.match((await streamError(cut)).message, /ends before/);
  });

  test("deleteExtent removes a sealed extent and refuses the active one", async () => {
    const dir = await tempDir();
    const store = await openStore(dir, { rollOverBytes: 10 });
    const s = await store.append(Buffer.alloc(20, 9));
    const active = await store.append(Buffer.alloc(5));
    assert.deepEqual(await store.read(s.extentId, 0, 20), Buffer.alloc(20, 9)); // caches a read handle
    await store.deleteExtent(s.extentId);
    assert.equal(existsSync(join(dir, `${s.extentId}.extent`)), false);
    assert.deepEqual(await store.sealedExtents(), []);
    await assert.rejects(store.read(s.extentId, 0, 1), { code: "ENOENT" });
    await assert.rejects(store.extentSize(s.extentId), /unknown extent/);
    await store.deleteExtent(s.extentId); // again: nothing to do
    await assert.rejects(store.deleteExtent(active.extentId), /being appended/);
    await assert.rejects(store.deleteExtent("../x"), /invalid extent id/);
    assert.deepEqual(await readdir(dir), [`${active.extentId}.extent`]);
  });

  test("open file descriptors stay bounded", { skip: !existsSync("/proc/self/fd") }, async () => {
    const store = await openStore(await tempDir(), { rollOverBytes: 1, readHandles: 2 });
    const spans: ExtentSpan[] = [];
    for (let i = 0; i < 12; i++) spans.push(await store.append(Buffer.from([i])));
    const before = openFds();
    for (const s of spans) {
      assert.deepEqual(await store.read(s.extentId, 0, 1), Buffer.from([spans.indexOf(s)]));
      await collect(store.createReadStream([{ extentId: s.extentId, offset: 0, length: 1 }]));
    }
    await sleep(20); // evicted handles close asynchronously
    const grown = openFds() - before;
    assert.ok(grown >= 1 && grown <= 2, `${grown} more descriptors open`);
    await store.close();
    await sleep(20);
    assert.ok(openFds() <= before, "close releases the handles");
  });
});

// -- compactor ---------------------------------------------------------------------------------

/** The store with `append` replaced (to watch or interfere with the compactor's copies). */
function withAppend(
  content: LocalExtentStore,
  append: (d: Buffer) => Promise<ExtentSpan>,
): SizedContentStore {
  return {
    append,
    createReadStream: (pieces) => content.createReadStream(pieces),
    read: (id, offset, length) => content.read(id, offset, length),
    sealedExtents: () => content.sealedExtents(),
    deleteExtent: (id) => content.deleteExtent(id),
    extentSize: (id) => content.extentSize(id),
    close: () => content.close(),
  };
}

/** A metadata store holding only range maps; transactions work on a copy that replaces the state on commit. */
class FakeRangeStore {
  files = new Map<number, RangeRecord[]>();
  commits = 0;
  failNextCommitOn: "insertRanges" | null = null;

  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const draft = new Map([...this.files].map(([k, v]) => [k, v.map((e) => ({ ...e }))]));
    const get = (fileId: number): RangeRecord[] => {
      const list = draft.get(fileId) ?? [];
      draft.set(fileId, list);
      return list;
    };
    const tx = {
      rangesOverlapping: async (fileId: number, start: number, end: number) =>
        get(fileId).filter((e) => e.start < end && e.end > start),
      deleteRanges: async (fileId: number, starts: number[]) => {
        draft.set(
          fileId,
          get(fileId).filter((e) => !starts.includes(e.start)),
        );
      },
      insertRanges: async (fileId: number, rows: RangeRecord[]) => {
        if (this.failNextCommitOn === "insertRanges") {
          this.failNextCommitOn = null;
          throw new Error("injected failure");
        }
        const list = get(fileId);
        for (const row of rows) {
          assert.ok(!list.some((e) => e.start < row.end && e.end > row.start), "insert overlaps an entry");
          list.push({ ...row });
        }
        list.sort((a, b) => a.start - b.start);
      },
      liveBytesByExtent: async () => {
        const live = new Map<string, number>();
        for (const list of draft.values()) {
          for (const e of list) live.set(e.extentId, (live.get(e.extentId) ?? 0) + (e.end - e.start));
        }
        return live;
      },
      rangesInExtent: async (extentId: string) =>
        [...draft].flatMap(([fileId, list]) =>
          list.filter((e) => e.extentId === extentId).map((e) => ({ ...e, fileId })),
        ),
    };
    return work(tx as unknown as Transaction).then((value) => {
      this.files = draft;
      this.commits++;
      return value;
    });
  }

  async close(): Promise<void> {}

  asStore(): MetadataStore {
    return this as unknown as MetadataStore;
  }

  /** Writes `data` into a file's map at `start`, as the engine would (bytes first, then the map). */
  async write(content: LocalExtentStore, fileId: number, start: number, data: Buffer): Promise<void> {
    const span = await content.append(data);
    await this.transaction(async (tx) => {
      const end = start + data.length;
      const old = await tx.rangesOverlapping(fileId, start, end);
      await tx.deleteRanges(
        fileId,
        old.map((e) => e.start),
      );
      const keep: RangeRecord[] = [];
      for (const e of old) {
        if (e.start < start) keep.push({ ...e, end: start });
        if (e.end > end) keep.push({ ...e, start: end, extentOffset: e.extentOffset + (end - e.start) });
      }
      await tx.insertRanges(fileId, [
        ...keep,
        { start, end, extentId: span.extentId, extentOffset: span.offset },
      ]);
    });
  }

  async readFile(content: LocalExtentStore, fileId: number, size: number): Promise<Buffer> {
    return collect(content.createReadStream(readPieces(this.files.get(fileId) ?? [], 0, size)));
  }

  extentsInUse(): Set<string> {
    return new Set([...this.files.values()].flatMap((l) => l.map((e) => e.extentId)));
  }
}

describe("compactOnce", () => {
  test("deletes sealed extents nothing references and leaves well-used ones", async () => {
    const content = await openStore(await tempDir(), { rollOverBytes: 100 });
    const meta = new FakeRangeStore();
    const garbage = await content.append(Buffer.alloc(150)); // sealed, never referenced
    await meta.write(content, 1, 0, Buffer.alloc(120, 4)); // sealed, fully live
    const used = meta.files.get(1)?.[0]?.extentId;
    await meta.write(content, 1, 200, Buffer.alloc(10, 5)); // the active extent
    const result = await compactOnce(meta.asStore(), content);
    assert.deepEqual(result, { deleted: 1, rewritten: 0, reclaimedBytes: 150 });
    const sealed = await content.sealedExtents();
    assert.ok(!sealed.includes(garbage.extentId) && sealed.includes(used as string));
    await assert.rejects(content.read(garbage.extentId, 0, 1));
    assert.deepEqual(
      await meta.readFile(content, 1, 210),
      Buffer.concat([Buffer.alloc(120, 4), Buffer.alloc(80), Buffer.alloc(10, 5)]),
    );
  });

  test("moves the live bytes of a mostly dead extent and deletes it", async () => {
    const dir = await tempDir();
    const content = await openStore(dir, { rollOverBytes: 1000 });
    const meta = new FakeRangeStore();
    const a = randomBytes(600);
    const b = randomBytes(500);
    await meta.write(content, 1, 0, a); // extent E: bytes 0..600 for file 1
    await meta.write(content, 2, 0, b); // extent E: 600..1100, E is sealed
    const old = meta.files.get(1)?.[0]?.extentId as string;
    await meta.write(content, 1, 0, randomBytes(590)); // most of file 1 overwritten
    meta.files.set(
      3,
      (meta.files.get(2) ?? []).map((e) => ({ ...e })),
    ); // a "snapshot" of file 2
    await meta.write(content, 2, 100, randomBytes(350)); // file 2 keeps 0..100 and 450..500 of E

    const before = await Promise.all([1, 2, 3].map((f) => meta.readFile(content, f, 600)));
    const appended: number[] = [];
    const spy = withAppend(content, (d) => {
      appended.push(d.length);
      return content.append(d);
    });
    const result = await compactOnce(meta.asStore(), spy, { minLiveRatio: 0.7 });
    assert.deepEqual(result, { deleted: 1, rewritten: 1, reclaimedBytes: 1100 });
    assert.ok(!meta.extentsInUse().has(old), "no entry points at the old extent");
    // live in E: file 1's 10 bytes, and file 3's 500 bytes which contain file 2's 150: copied once.
    assert.equal(
      appended.reduce((x, y) => x + y, 0),
      510,
    );
    const after = await Promise.all([1, 2, 3].map((f) => meta.readFile(content, f, 600)));
    assert.deepEqual(after, before);
    assert.equal(existsSync(join(dir, `${old}.extent`)), false);
  });

  test("copies in chunks and keeps the data when chunks land in different extents", async () => {
    const content = await openStore(await tempDir(), { rollOverBytes: 64 });
    const meta = new FakeRangeStore();
    const data = randomBytes(100);
    await meta.write(content, 7, 0, data);
    await meta.write(content, 7, 0, randomBytes(30)); // E has 70 live of 100 bytes
    const before = await meta.readFile(content, 7, 100);
    const result = await compactOnce(meta.asStore(), content, { minLiveRatio: 0.8, copyChunkBytes: 16 });
    assert.equal(result.rewritten, 1);
    assert.equal(result.deleted, 1);
    assert.deepEqual(await meta.readFile(content, 7, 100), before);
    const entries = meta.files.get(7) ?? [];
    assert.ok(entries.length > 2, "the moved entry was cut along chunks");
    for (let i = 1; i < entries.length; i++) assert.equal(entries[i - 1]?.end, entries[i]?.start);
  });

  test("entries changed during the copy are not repointed, and a still referenced extent stays", async () => {
    const dir = await tempDir();
    const content = await openStore(dir, { rollOverBytes: 100 });
    const meta = new FakeRangeStore();
    await meta.write(content, 1, 0, randomBytes(30));
    await meta.write(content, 2, 0, randomBytes(100)); // E sealed (130 bytes)
    const old = meta.files.get(1)?.[0]?.extentId as string;
    await meta.write(content, 2, 0, randomBytes(95)); // file 2 keeps 5 bytes of E
    let raced = false;
    const racing = withAppend(content, async (d) => {
      const span = await content.append(d);
      if (!raced) {
        raced = true;
        await meta.write(content, 1, 10, randomBytes(5)); // file 1's entry in E is split meanwhile
      }
      return span;
    });
    const expected = await Promise.all([1, 2].map((f) => meta.readFile(content, f, 100)));
    const result = await compactOnce(meta.asStore(), racing);
    assert.deepEqual(result, { deleted: 0, rewritten: 1, reclaimedBytes: 0 });
    assert.ok(meta.extentsInUse().has(old), "file 1 still uses the old extent");
    assert.ok(
      (meta.files.get(2) ?? []).every((e) => e.extentId !== old),
      "the unchanged entry of file 2 was repointed",
    );
    const now = await Promise.all([1, 2].map((f) => meta.readFile(content, f, 100)));
    assert.deepEqual(now[1], expected[1]);
    assert.deepEqual(now[0]?.subarray(0, 10), expected[0]?.subarray(0, 10));
    assert.deepEqual(now[0]?.subarray(15, 30), expected[0]?.subarray(15, 30));
    assert.ok(existsSync(join(dir, `${old}.extent`)));
  });

  test("a failed repoint commit changes nothing and deletes nothing", async () => {
    const dir = await tempDir();
    const content = await openStore(dir, { rollOverBytes: 100 });
    const meta = new FakeRangeStore();
    await meta.write(content, 1, 0, randomBytes(120));
    const old = meta.files.get(1)?.[0]?.extentId as string;
    await meta.write(content, 1, 0, randomBytes(110));
    const mapBefore = structuredClone(meta.files);
    const bytesBefore = await meta.readFile(content, 1, 120);
    meta.failNextCommitOn = "insertRanges";
    await assert.rejects(compactOnce(meta.asStore(), content), /injected failure/);
    assert.deepEqual(meta.files, mapBefore);
    assert.equal((await stat(join(dir, `${old}.extent`))).size, 120);
    assert.deepEqual(await meta.readFile(content, 1, 120), bytesBefore);
    // The next pass finishes the job.
    assert.deepEqual(await compactOnce(meta.asStore(), content), {
      deleted: 1,
      rewritten: 1,
      reclaimedBytes: 120,
    });
    assert.deepEqual(await meta.readFile(content, 1, 120), bytesBefore);
  });

  test("extents inside the reclaim grace period are left alone", async () => {
    let now = 0;
    const content = await openStore(await tempDir(), {
      rollOverBytes: 10,
      reclaimGraceMs: 1000,
      now: () => now,
    });
    const meta = new FakeRangeStore();
    await content.append(Buffer.alloc(20)); // sealed and unreferenced, but just written
    assert.deepEqual(await compactOnce(meta.asStore(), content), {
      deleted: 0,
      rewritten: 0,
      reclaimedBytes: 0,
    });
    now = 1000;
    assert.deepEqual(await compactOnce(meta.asStore(), content), {
      deleted: 1,
      rewritten: 0,
      reclaimedBytes: 20,
    });
  });
});
