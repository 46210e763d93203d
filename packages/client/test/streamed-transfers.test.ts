/**
 * How uploads and downloads move bytes: download bodies are read as they arrive (a body that
 * breaks off is resumed, a stalled one times out, a range requested ahead survives garbage
 * collection), and large upload bodies are sent with a Content-Length from reused buffers.
 * A small HTTP server plays a file that misbehaves on purpose.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { AnonymousCredential, ShareError, ShareFileClient } from "../src/index.js";
import { STREAMED_BODY_MIN_BYTES } from "../src/pipeline/request-body.js";
import { rechunk } from "../src/upload-source.js";

const KiB = 1024;
const ETAG = '"0x1"';

/** What the server does with a GET for a range starting at a given byte. */
type Misbehaviour = "cut" | "stall" | "empty";

/** Serves one file at `/devstoreaccount1/share/file.bin` (ranged GETs, and Put Range into `uploads`). */
class RangeServer {
  content: Buffer = Buffer.alloc(0);
  /** Misbehaviours by range start; each is used once. */
  readonly misbehave = new Map<number, Misbehaviour>();
  readonly gets: string[] = [];
  readonly puts: Array<{ range: string; length: string | undefined; chunked: boolean; md5: string }> = [];
  readonly #server = createServer((req, res) => this.#handle(req, res));
  origin = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** A client for the file, on the default transport or on the platform fetch. */
  file(transport: "default" | "fetch" = "default"): ShareFileClient {
    return new ShareFileClient(`${this.origin}/devstoreaccount1/share/file.bin`, new AnonymousCredential(), {
      retry: { maxRetries: 1, retryDelayMs: 1, maxRetryDelayMs: 2 },
      fetch: transport === "fetch" ? (input, init) => fetch(input, init) : undefined,
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const range = String(req.headers["x-ms-range"] ?? "");
      if (req.method === "PUT") {
        const body = Buffer.concat(chunks);
        this.puts.push({
          range,
          length: req.headers["content-length"],
          chunked: req.headers["transfer-encoding"] === "chunked",
          md5: createHash("md5").update(body).digest("hex"),
        });
        const match = /bytes=(\d+)-/.exec(range);
        const size = Number(req.headers["x-ms-content-length"] ?? 0);
        if (match) body.copy(this.content, Number(match[1]));
        else if (req.url?.includes("comp=properties")) {
          // Resize, keeping the content.
          const resized = Buffer.alloc(size);
          this.content.copy(resized, 0, 0, Math.min(size, this.content.length));
          this.content = resized;
        } else this.content = Buffer.alloc(size);
        res.writeHead(201, { etag: ETAG, "x-ms-request-id": "put" }).end();
        return;
      }
      this.gets.push(range);
      const match = /bytes=(\d+)-(\d+)/.exec(range);
      const start = Number(match?.[1] ?? 0);
      const end = Math.min(Number(match?.[2] ?? this.content.length - 1), this.content.length - 1);
      const body = this.content.subarray(start, end + 1);
      const misbehaviour = this.misbehave.get(start);
      this.misbehave.delete(start);
      res.writeHead(206, {
        etag: ETAG,
        // An "empty" answer announces, and sends, no bytes at all.
        "content-length": String(misbehaviour === "empty" ? 0 : body.length),
        "content-range": `bytes ${start}-${end}/${this.content.length}`,
        "x-ms-request-id": `get-${this.gets.length}`,
      });
      if (misbehaviour === "cut") {
        // Half the body, then the connection drops.
        res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => req.socket.destroy(), 20));
      } else if (misbehaviour === "stall") {
        res.write(body.subarray(0, 100));
        res.on("close", () => undefined);
      } else if (misbehaviour === "empty") {
        res.end();
      } else {
        res.end(body);
      }
    });
  }
}

let server: RangeServer;
before(async () => {
  server = new RangeServer();
  await server.start();
});
after(async () => server.stop());

describe("streamed downloads", () => {
  test("a body that breaks off is asked for again from where it stopped", async () => {
    server.content = randomBytes(40 * KiB);
    server.gets.length = 0;
    server.misbehave.set(16 * KiB, "cut");
    const download = await server.file().downloadFile({ rangeSize: 8 * KiB, concurrency: 2 });
    assert.deepEqual(await download.readAll(), server.content);
    // The second request for the cut range starts where the first one's data ended.
    assert.equal(server.gets.filter((r) => r.startsWith(`bytes=${16 * KiB}-`)).length, 1);
    assert.ok(server.gets.includes(`bytes=${16 * KiB + 4 * KiB}-${24 * KiB - 1}`), server.gets.join(" "));
  });

  test("resuming works for stream() and toFile() too", async () => {
    server.content = randomBytes(40 * KiB);
    server.misbehave.set(8 * KiB, "cut");
    server.misbehave.set(32 * KiB, "cut");
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await server.file().downloadFile({ rangeSize: 8 * KiB })).stream())
      chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks), server.content);
  });

  test("a body that stalls for the call's timeout fails as 'timeout'", async () => {
    server.content = randomBytes(32 * KiB);
    server.misbehave.set(8 * KiB, "stall");
    const download = await server.file().downloadFile({ rangeSize: 8 * KiB, timeout: 0.3 });
    const error = await download.readAll().then(
      () => "succeeded",
      (e: unknown) => e,
    );
    assert.ok(error instanceof ShareError, String(error));
    assert.equal(error.kind, "timeout");
  });

  test("a range whose body is empty fails with IncompleteRange", async () => {
    server.content = randomBytes(16 * KiB);
    server.misbehave.set(8 * KiB, "empty");
    const download = await server.file().downloadFile({ rangeSize: 8 * KiB });
    const error = await download.readAll().then(
      () => "succeeded",
      (e: unknown) => e,
    );
    assert.ok(error instanceof ShareError, String(error));
    assert.equal(error.errorCode, "IncompleteRange");
  });

  for (const transport of ["default", "fetch"] as const) {
    test(`ranges requested ahead are not lost when their responses are garbage-collected (${transport})`, async () => {
      setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as () => void;
      server.content = randomBytes(64 * KiB);
      const download = await server.file(transport).downloadFile({ rangeSize: 8 * KiB, concurrency: 4 });
      const iterator = download.chunks();
      // The first range, then the start of the second (which sends the requests ahead).
      const received: Uint8Array[] = [];
      for (let i = 0; i < 2; i++) received.push((await iterator.next()).value as Uint8Array);
      // Let the requests ahead get their headers, then collect their Response objects.
      await new Promise((resolve) => setTimeout(resolve, 50));
      gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        received.push(next.value);
      assert.deepEqual(Buffer.concat(received), server.content);
    });
  }

  test("readAll() and toFile() work on the fetch transport too", async () => {
    server.content = randomBytes(40 * KiB);
    server.misbehave.set(16 * KiB, "cut");
    const download = await server.file("fetch").downloadFile({ rangeSize: 8 * KiB, concurrency: 2 });
    assert.deepEqual(await download.readAll(), server.content);
  });
});

describe("streamed uploads", () => {
  test("large range bodies are sent with Content-Length (not chunked); small ones as bytes", async () => {
    server.puts.length = 0;
    const data = randomBytes(3 * STREAMED_BODY_MIN_BYTES + 5);
    await server.file().uploadFile(data, { rangeSize: 2 * STREAMED_BODY_MIN_BYTES });
    const ranges = server.puts.filter((p) => p.range !== "");
    assert.deepEqual(
      ranges.map((p) => [p.length, p.chunked]),
      [
        [String(2 * STREAMED_BODY_MIN_BYTES), false],
        [String(STREAMED_BODY_MIN_BYTES + 5), false],
      ],
    );
    assert.deepEqual(server.content, data);
    await server.file().uploadFile(Buffer.from("tiny"));
    assert.equal(server.puts.at(-1)?.length, "4");
    assert.equal(server.content.toString(), "tiny");
  });

  test("a stream upload reuses a few buffers, one per range in flight plus one being filled", async () => {
    const data = randomBytes(64 * KiB);
    const allocated: number[] = [];
    const pieces = Array.from({ length: 64 }, (_, i) => data.subarray(i * KiB, (i + 1) * KiB));
    for await (const chunk of rechunk(Readable.from(pieces), 4 * KiB, "utf8", (size) => {
      allocated.push(size);
      return Buffer.alloc(size);
    })) {
      assert.equal(chunk.byteLength, 4 * KiB);
    }
    assert.equal(allocated.length, 17, "rechunk asks the allocator for every chunk (16 full, 1 spare)");

    server.puts.length = 0;
    await server.file().uploadFile(Readable.from(pieces), { rangeSize: 4 * KiB, concurrency: 2 });
    assert.deepEqual(server.content, data, "reused buffers never mix up ranges");
    const md5s = server.puts.filter((p) => p.range !== "").map((p) => p.md5);
    assert.deepEqual(
      md5s,
      Array.from({ length: 16 }, (_, i) =>
        createHash("md5")
          .update(data.subarray(i * 4 * KiB, (i + 1) * 4 * KiB))
          .digest("hex"),
      ),
    );
  });
});
