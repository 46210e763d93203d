/**
 * A 256 MiB round trip through `@sharelock/client` with bounded memory: `uploadFile` from a stream,
 * then `downloadFile` to a stream and to a file, each checked by MD5 against the data sent.
 *
 * What is measured: the resident set size (RSS) of this test process, sampled every 20 ms from just
 * before each transfer to its end, against a baseline taken right before it (after a full garbage
 * collection). The server runs in a child process, so its memory (request parsing, extents, SQLite)
 * is not counted; what remains is the SDK, the data generator and the hashing. The data is never
 * held whole: it is generated from a seed (AES-256-CTR over zeros) 1 MiB at a time and hashed as it
 * goes, the streamed download is hashed chunk by chunk, and the file download is hashed by reading
 * the file back as a stream. Each 256 MiB transfer must grow the RSS by less than 64 MiB; were the
 * SDK to hold data in proportion to the file, it would grow by about 256 MiB.
 *
 * A 32 MiB transfer of each kind runs first: a process's first transfers also pay for compiling
 * code, opening connections and the allocator's first growth. Their growth is printed as a
 * diagnostic, not bounded. (Typical numbers on a 2-core CI machine: first transfers +20 to +60 MiB;
 * 256 MiB transfers +15 to +40 MiB.)
 */
import assert from "node:assert/strict";
import { createCipheriv, createHash } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type ShareFileClient, ShareServiceClient } from "../packages/client/src/index.js";
import { uniqueShareName } from "./helpers/names.js";
import { type ServerProcess, startServerProcess } from "./helpers/server-process.js";

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const LIMIT = 64 * MiB;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let server: ServerProcess;
let scratch: string;
let file: ShareFileClient;

before(async () => {
  server = await startServerProcess();
  scratch = mkdtempSync(join(tmpdir(), "sharelock-large-"));
  const share = await ShareServiceClient.fromConnectionString(server.connectionString).createShare(
    uniqueShareName("large"),
  );
  file = share.getFileClient("big.bin");
});
after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await server.dispose();
});

/** `size` bytes of seeded pseudo-random data, 1 MiB at a time, reported to `onChunk` as generated. */
function seededData(seed: string, size: number, onChunk: (chunk: Buffer) => void): Readable {
  const key = createHash("sha256").update(seed).digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  const zeros = Buffer.alloc(MiB);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let sent = 0; sent < size; sent += MiB) {
      const chunk = cipher.update(zeros.subarray(0, Math.min(MiB, size - sent)));
      onChunk(chunk);
      yield chunk;
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: MiB });
}

/** Runs `work` while sampling RSS; returns its result and the peak growth over `baseline`. */
async function measured<T>(baseline: number, work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

/** RSS after a full garbage collection. */
function settledRss(): number {
  gc();
  gc();
  return process.memoryUsage.rss();
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

describe("a 256 MiB round trip with bounded memory", () => {
  let sentMd5 = "";

  test("warm-up: 32 MiB each way (the growth of a process's first transfers is printed, not bounded)", async (t) => {
    const warm = file.withSnapshot(undefined);
    const size = 32 * MiB;
    const upload = await measured(settledRss(), () =>
      warm.uploadFile(
        seededData("warm-up", size, () => undefined),
        { length: size },
      ),
    );
    const stream = await measured(settledRss(), async () => {
      for await (const _ of (await warm.downloadFile()).stream()) {
        // drain
      }
    });
    const toFile = await measured(settledRss(), async () =>
      (await warm.downloadFile()).toFile(join(scratch, "warm.bin")),
    );
    t.diagnostic(
      `first transfers: upload +${mib(upload.growth)}, stream download +${mib(stream.growth)}, file download +${mib(toFile.growth)}`,
    );
  });

  test("uploadFile from a seeded stream: RSS grows by less than 64 MiB", async (t) => {
    const hash = createHash("md5");
    const baseline = settledRss();
    const { result, growth } = await measured(baseline, () =>
      file.uploadFile(
        seededData("sharelock 256 MiB", SIZE, (chunk) => hash.update(chunk)),
        { length: SIZE },
      ),
    );
    sentMd5 = hash.digest("hex");
    t.diagnostic(`upload: RSS baseline ${mib(baseline)}, peak growth ${mib(growth)}`);
    assert.equal(result.contentLength, SIZE);
    assert.equal((await file.getFileProperties()).size, SIZE);
    assert.ok(growth < LIMIT, `RSS grew by ${mib(growth)} during the upload`);
  });

  test("downloadFile().stream(): the same MD5, RSS grows by less than 64 MiB", async (t) => {
    assert.ok(sentMd5, "the upload ran");
    const baseline = settledRss();
    const { result, growth } = await measured(baseline, async () => {
      const hash = createHash("md5");
      let bytes = 0;
      for await (const chunk of (await file.downloadFile()).stream()) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).byteLength;
      }
      return { md5: hash.digest("hex"), bytes };
    });
    t.diagnostic(`stream download: RSS baseline ${mib(baseline)}, peak growth ${mib(growth)}`);
    assert.equal(result.bytes, SIZE);
    assert.equal(result.md5, sentMd5);
    assert.ok(growth < LIMIT, `RSS grew by ${mib(growth)} during the download`);
  });

  test("downloadFile().toFile(): the same MD5, RSS grows by less than 64 MiB", async (t) => {
    assert.ok(sentMd5, "the upload ran");
    const path = join(scratch, "download.bin");
    const baseline = settledRss();
    const { result, growth } = await measured(baseline, async () => (await file.downloadFile()).toFile(path));
    t.diagnostic(`file download: RSS baseline ${mib(baseline)}, peak growth ${mib(growth)}`);
    assert.equal(result, SIZE);
    assert.equal(statSync(path).size, SIZE);
    const hash = createHash("md5");
    for await (const chunk of createReadStream(path, { highWaterMark: MiB })) hash.update(chunk as Buffer);
    assert.equal(hash.digest("hex"), sentMd5);
    assert.ok(growth < LIMIT, `RSS grew by ${mib(growth)} during the download`);
  });
});
