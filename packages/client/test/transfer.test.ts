import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import { ShareError, type ShareFileClient, ShareServiceClient, type TransferProgress } from "../src/index.js";
import { rechunk } from "../src/upload-source.js";
import { type FakeFilesService, withFakeService } from "./helpers/fake-files-service.js";

const MiB = 1024 * 1024;
const fast = { retry: { maxRetries: 2, retryDelayMs: 1, maxRetryDelayMs: 5 } };

async function fileIn(fake: FakeFilesService, name = "f.bin"): Promise<ShareFileClient> {
  const share = await ShareServiceClient.fromConnectionString(fake.connectionString, fast).createShare("s");
  fake.requests.length = 0;
  return share.getFileClient(name);
}

const rangeWrites = (fake: FakeFilesService) =>
  fake.requests.filter((r) => r.url.searchParams.get("comp") === "range").map((r) => r.headers["x-ms-range"]);

describe("uploadFile", () => {
  test("bytes: create with the full size, then 4 MiB ranges in parallel, with progress", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      const data = randomBytes(10 * MiB + 5);
      fake.responseDelayMs = 150;
      const progress: TransferProgress[] = [];
      const result = await file.uploadFile(data, { concurrency: 3, onProgress: (p) => progress.push(p) });
      assert.equal(result.contentLength, data.length);
      assert.equal(fake.requests[0]?.headers["x-ms-content-length"], String(data.length));
      assert.deepEqual(rangeWrites(fake).sort(), [
        `bytes=0-${4 * MiB - 1}`,
        `bytes=${4 * MiB}-${8 * MiB - 1}`,
        `bytes=${8 * MiB}-${10 * MiB + 4}`,
      ]);
      assert.ok(fake.maxInFlight >= 2 && fake.maxInFlight <= 3, `max in flight ${fake.maxInFlight}`);
      assert.deepEqual(
        progress.map((p) => p.totalBytes),
        [data.length, data.length, data.length],
      );
      assert.equal(progress.at(-1)?.loadedBytes, data.length);
      assert.ok(progress.every((p, i) => i === 0 || p.loadedBytes > (progress[i - 1]?.loadedBytes ?? 0)));
      const downloaded = await (await file.downloadFile({ concurrency: 4 })).readAll();
      assert.ok(downloaded.equals(data));
    });
  });

  test("strings, Blobs and typed arrays; metadata and content settings go on the create", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      await file.uploadFile("héllo", {
        metadata: { a: "1" },
        contentSettings: { contentType: "text/plain" },
      });
      assert.equal(fake.requests[0]?.headers["x-ms-content-length"], "6");
      assert.equal(fake.requests[0]?.headers["x-ms-meta-a"], "1");
      assert.equal(fake.requests[0]?.headers["x-ms-content-type"], "text/plain");
      assert.equal((await (await file.downloadFile()).readAll()).toString(), "héllo");
      await file.uploadFile(new Blob(["blob ", "data"]), { rangeSize: 3 });
      assert.equal((await (await file.downloadFile()).readAll()).toString(), "blob data");
      await file.uploadFile(new Uint16Array([0x6968]));
      assert.equal((await (await file.downloadFile()).readAll()).toString(), "hi");
      await file.uploadFile("");
      assert.equal((await file.getFileProperties()).size, 0);
      assert.equal((await (await file.downloadFile()).readAll()).length, 0);
    });
  });

  test("a Node stream of unknown length grows the file and trims it at the end", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      const data = randomBytes(2500);
      const pieces = [data.subarray(0, 700), data.subarray(700, 701), data.subarray(701)];
      await file.uploadFile(Readable.from(pieces), { rangeSize: 1000, concurrency: 2 });
      const sizes = fake.requests
        .filter((r) => r.headers["x-ms-content-length"] !== undefined)
        .map((r) => Number(r.headers["x-ms-content-length"]));
      assert.deepEqual(
        sizes,
        [0, 1000, 2000, 4000, 2500],
        "create 0, grow by doubling, trim to the real size",
      );
      assert.deepEqual(rangeWrites(fake).sort(), ["bytes=0-999", "bytes=1000-1999", "bytes=2000-2499"]);
      assert.ok((await (await file.downloadFile()).readAll()).equals(data));
    });
  });

  test("a web stream with a declared length creates the file once; a length mismatch is an error", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      const data = randomBytes(3000);
      const web = () => Readable.toWeb(Readable.from([data])) as ReadableStream<Uint8Array>;
      await file.uploadFile(web(), { length: 3000, rangeSize: 1024 });
      const sizes = fake.requests
        .filter((r) => r.headers["x-ms-content-length"])
        .map((r) => r.headers["x-ms-content-length"]);
      assert.deepEqual(sizes, ["3000"]);
      assert.ok((await (await file.downloadFile()).readAll()).equals(data));
      await assert.rejects(file.uploadFile(web(), { length: 2000 }), /longer than the declared length/);
      await assert.rejects(file.uploadFile(web(), { length: 4000 }), /ended after 3000 bytes/);
    });
  });

  test("async iterables of strings are accepted", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      async function* lines() {
        yield "a,b\n";
        yield "c,d\n";
      }
      await file.uploadFile(lines());
      assert.equal((await (await file.downloadFile()).readAll()).toString(), "a,b\nc,d\n");
    });
  });

  test("overwrite: false refuses an existing file; lease ids reach every request", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      await file.uploadFile("one");
      const error = await file.uploadFile("two", { overwrite: false }).catch((e: unknown) => e);
      assert.ok(error instanceof ShareError);
      assert.equal(error.kind, "client");
      assert.equal(error.errorCode, "FileAlreadyExists");
      const lease = await file.acquireLease();
      fake.requests.length = 0;
      await file.uploadFile(Readable.from([Buffer.alloc(10)]), { leaseId: lease.id, rangeSize: 4 });
      assert.ok(fake.requests.length >= 4);
      assert.ok(fake.requests.every((r) => r.headers["x-ms-lease-id"] === lease.id));
      const missing = await file.uploadFile("x").catch((e: unknown) => e);
      assert.ok(missing instanceof ShareError && missing.errorCode === "LeaseIdMissing");
    });
  });

  test("a transient 503 during the upload is retried; a failure stops the upload", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      const data = randomBytes(5000);
      let writes = 0;
      fake.intercept = (request) => {
        if (request.url.searchParams.get("comp") === "range" && ++writes === 2) {
          return { status: 503, headers: { "x-ms-error-code": "ServerBusy" } };
        }
        return undefined;
      };
      await file.uploadFile(data, { rangeSize: 1000 });
      assert.ok((await (await file.downloadFile()).readAll()).equals(data));

      fake.intercept = (request) =>
        request.url.searchParams.get("comp") === "range"
          ? { status: 400, headers: { "x-ms-error-code": "InvalidInput" } }
          : undefined;
      fake.requests.length = 0;
      const error = await file.uploadFile(data, { rangeSize: 100, concurrency: 2 }).catch((e: unknown) => e);
      assert.ok(error instanceof ShareError);
      assert.equal(error.errorCode, "InvalidInput");
      assert.ok(rangeWrites(fake).length < 10, "stopped dispatching after the failure");
    });
  });

  test("abortSignal stops an upload", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      fake.responseDelayMs = 50;
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 120);
      const error = await file
        .uploadFile(randomBytes(50_000), { rangeSize: 1000, concurrency: 2, abortSignal: controller.signal })
        .catch((e: unknown) => e);
      assert.ok(error instanceof ShareError);
      assert.equal(error.kind, "aborted");
    });
  });

  test("bad options are refused before anything is sent", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      await assert.rejects(file.uploadFile("x", { rangeSize: 4 * MiB + 1 }), RangeError);
      await assert.rejects(file.uploadFile("x", { concurrency: 0 }), RangeError);
      await assert.rejects(file.uploadFile(42 as unknown as string), TypeError);
      assert.equal(fake.requests.length, 0);
    });
  });
});

describe("downloadFile", () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  async function uploaded(fake: FakeFilesService): Promise<ShareFileClient> {
    const file = await fileIn(fake);
    await file.uploadFile(data, {
      contentSettings: { contentType: "application/x-test" },
      metadata: { m: "v" },
    });
    fake.requests.length = 0;
    return file;
  }

  test("properties come from the first ranged GET; the rest is fetched in parallel ranges", async () => {
    await withFakeService(async (fake) => {
      const file = await uploaded(fake);
      fake.responseDelayMs = 60;
      const progress: number[] = [];
      const download = await file.downloadFile({
        rangeSize: 100,
        concurrency: 4,
        onProgress: (p) => progress.push(p.loadedBytes),
      });
      assert.equal(download.size, 1000);
      assert.equal(download.contentLength, 1000);
      assert.equal(download.properties.contentSettings.contentType, "application/x-test");
      assert.deepEqual(download.properties.metadata, { m: "v" });
      assert.equal(download.properties.lease.state, "available");
      assert.equal(fake.requests.length, 1);
      assert.equal(fake.requests[0]?.headers["x-ms-range"], "bytes=0-99");
      const all = await download.readAll();
      assert.ok(all.equals(data));
      assert.equal(fake.requests.length, 10);
      assert.ok(fake.maxInFlight >= 3, `max in flight ${fake.maxInFlight}`);
      assert.equal(progress.at(-1), 1000);
      await assert.rejects(download.readAll(), /already been read/);
    });
  });

  test("offset and length select a part; stream() and for-await give the bytes in order", async () => {
    await withFakeService(async (fake) => {
      const file = await uploaded(fake);
      const part = await (await file.downloadFile({ offset: 150, length: 420, rangeSize: 64 })).readAll();
      assert.ok(part.equals(data.subarray(150, 570)));
      const ranges = fake.requests.map((r) => r.headers["x-ms-range"]);
      assert.equal(ranges[0], "bytes=150-213");
      assert.ok(ranges.includes("bytes=534-569"), "the last range stops at the requested length");
      assert.equal(ranges.length, 7);

      const chunks: Buffer[] = [];
      for await (const chunk of (await file.downloadFile({ rangeSize: 128, concurrency: 3 })).stream())
        chunks.push(chunk);
      assert.ok(Buffer.concat(chunks).equals(data));

      const pieces: Uint8Array[] = [];
      for await (const piece of await file.downloadFile({ offset: 900, rangeSize: 30 })) pieces.push(piece);
      assert.ok(Buffer.concat(pieces).equals(data.subarray(900)));
      assert.deepEqual(
        pieces.map((p) => p.length),
        [30, 30, 30, 10],
      );

      const tail = await (await file.downloadFile({ offset: 990, length: 100 })).readAll();
      assert.ok(tail.equals(data.subarray(990)), "a range past the end is cut short");
    });
  });

  test("toFile writes the content to disk", async () => {
    await withFakeService(async (fake) => {
      const file = await uploaded(fake);
      const dir = await mkdtemp(join(tmpdir(), "sharelock-client-"));
      try {
        const path = join(dir, "out.bin");
        const written = await (await file.downloadFile({ rangeSize: 77, concurrency: 5 })).toFile(path);
        assert.equal(written, 1000);
        assert.ok((await readFile(path)).equals(data));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  test("an empty file downloads as zero bytes (the ranged 416 is handled)", async () => {
    await withFakeService(async (fake) => {
      const file = await fileIn(fake);
      await file.createFile(0);
      const download = await file.downloadFile();
      assert.equal(download.size, 0);
      assert.equal((await download.readAll()).length, 0);
      const past = await file.downloadFile({ offset: 5 }).catch((e: unknown) => e);
      assert.ok(past instanceof ShareError && past.statusCode === 416);
    });
  });

  test("a file changed during a download fails with FileModifiedDuringDownload", async () => {
    await withFakeService(async (fake) => {
      const file = await uploaded(fake);
      const download = await file.downloadFile({ rangeSize: 100 });
      await file.uploadRange("x", 500);
      const error = await download.readAll().catch((e: unknown) => e);
      assert.ok(error instanceof ShareError);
      assert.equal(error.kind, "client");
      assert.equal(error.errorCode, "FileModifiedDuringDownload");
    });
  });

  test("the lease id is sent on every ranged GET", async () => {
    await withFakeService(async (fake) => {
      const file = await uploaded(fake);
      const lease = await file.acquireLease();
      fake.requests.length = 0;
      await (await file.downloadFile({ rangeSize: 250, leaseId: lease.id })).readAll();
      assert.equal(fake.requests.length, 4);
      assert.ok(fake.requests.every((r) => r.headers["x-ms-lease-id"] === lease.id));
      const wrong = await file
        .downloadFile({ leaseId: "00000000-0000-4000-8000-000000000000" })
        .catch((e: unknown) => e);
      assert.ok(wrong instanceof ShareError && wrong.errorCode === "LeaseIdMismatchWithFileOperation");
    });
  });
});

describe("rechunk", () => {
  test("cuts arbitrary pieces into exact chunks, last one shorter", async () => {
    async function* pieces() {
      yield Buffer.from("abc");
      yield "defgh";
      yield new Uint8Array(0);
      yield Buffer.from("ij");
    }
    const out: string[] = [];
    for await (const chunk of rechunk(pieces(), 4)) out.push(Buffer.from(chunk).toString());
    assert.deepEqual(out, ["abcd", "efgh", "ij"]);
  });
});
