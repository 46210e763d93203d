/**
 * `ShareFileClient` and `FileDownload` of `@sharelock/client` against a live Sharelock server:
 * create, every kind of upload source, ranges, every way of downloading, properties, headers,
 * metadata, resize, delete.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import {
  type ShareClient,
  SharedKeyCredential,
  ShareFileClient,
  type TransferProgress,
} from "../packages/client/src/index.js";
import {
  azureService,
  collect,
  FAST_RETRIES,
  ourService,
  rejectsWithShareError,
} from "./helpers/client-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const MiB = 1024 * 1024;
let ts: TestServer;
let share: ShareClient;
let scratch: string;

before(async () => {
  ts = await startTestServer();
  share = await ourService(ts).createShare(uniqueShareName("files"));
  scratch = mkdtempSync(join(tmpdir(), "sharelock-client-files-"));
});
after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await ts.dispose();
});

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");
const readAll = async (file: ShareFileClient) => (await file.downloadFile()).readAll();

describe("ShareFileClient against a live server", () => {
  test("constructor and fromConnectionString; path, name, shareName, url", async () => {
    await share.createDirectory("ctor");
    const fromUrl = new ShareFileClient(
      `${ts.accountUrl}/${share.name}/ctor/a%20file.txt`,
      new SharedKeyCredential(ts.accountName, ts.accountKey),
      FAST_RETRIES,
    );
    assert.equal(fromUrl.path, "ctor/a file.txt");
    assert.equal(fromUrl.name, "a file.txt");
    assert.equal(fromUrl.shareName, share.name);
    assert.equal(fromUrl.accountName, ts.accountName);
    const fromString = ShareFileClient.fromConnectionString(
      ts.connectionString,
      share.name,
      "ctor/a file.txt",
      FAST_RETRIES,
    );
    assert.equal(fromString.url, fromUrl.url);
    await fromUrl.uploadFile("spaces in names");
    assert.equal((await readAll(fromString)).toString(), "spaces in names");
    const official = azureService(ts)
      .getShareClient(share.name)
      .getDirectoryClient("ctor")
      .getFileClient("a file.txt");
    assert.equal((await official.downloadToBuffer()).toString(), "spaces in names");
  });

  test("createFile with content settings, metadata and SMB properties; getFileProperties", async () => {
    const file = share.getFileClient("created.bin");
    const creationTime = new Date("2024-03-01T10:00:00.123Z");
    const contentMd5 = createHash("md5").update("whatever").digest();
    const result = await file.createFile(4096, {
      contentSettings: {
        contentType: "application/x-test",
        contentEncoding: "identity",
        contentLanguage: "en-GB",
        contentDisposition: 'attachment; filename="x.bin"',
        cacheControl: "no-cache",
        contentMd5,
      },
      metadata: { origin: "createFile" },
      smbProperties: { fileAttributes: "ReadOnly|Archive", fileCreationTime: creationTime },
    });
    assert.ok(result.etag);
    assert.ok(result.fileId);

    const properties = await file.getFileProperties();
    assert.equal(properties.size, 4096);
    assert.equal(properties.name, "created.bin");
    assert.equal(properties.etag, result.etag);
    assert.deepEqual(properties.metadata, { origin: "createFile" });
    assert.deepEqual(
      { ...properties.contentSettings, contentMd5: undefined },
      {
        contentType: "application/x-test",
        contentEncoding: "identity",
        contentLanguage: "en-GB",
        contentDisposition: 'attachment; filename="x.bin"',
        cacheControl: "no-cache",
        contentMd5: undefined,
      },
    );
    assert.deepEqual(Buffer.from(properties.contentSettings.contentMd5 ?? []), contentMd5);
    assert.deepEqual(properties.fileAttributes?.split(/\s*\|\s*/).sort(), ["Archive", "ReadOnly"]);
    assert.equal(properties.creationTime?.toISOString(), creationTime.toISOString());
    assert.deepEqual(properties.lease, { status: "unlocked", state: "available", duration: undefined });
    assert.deepEqual(await readAll(file), Buffer.alloc(4096), "a new file reads as zeros");
    await rejectsWithShareError(share.getFileClient("missing-dir/x").createFile(1), {
      status: 404,
      code: "ParentNotFound",
    });
    await rejectsWithShareError(share.getFileClient("nope.bin").getFileProperties(), {
      status: 404,
      code: "ResourceNotFound",
    });
  });

  test("uploadFile from bytes, text, ArrayBuffer, typed arrays and Blob (parallel ranges, progress)", async () => {
    const data = randomBytes(9 * MiB + 321);
    const file = share.getFileClient("upload-bytes.bin");
    const progress: TransferProgress[] = [];
    const result = await file.uploadFile(data, {
      concurrency: 3,
      onProgress: (p) => progress.push(p),
      metadata: { via: "buffer" },
      contentSettings: { contentType: "application/octet-stream" },
    });
    assert.equal(result.contentLength, data.byteLength);
    assert.equal(md5(await readAll(file)), md5(data));
    assert.equal(progress.length, 3, "one progress report per 4 MiB range");
    assert.equal(progress.at(-1)?.loadedBytes, data.byteLength);
    assert.equal(progress.at(-1)?.totalBytes, data.byteLength);
    const properties = await file.getFileProperties();
    assert.deepEqual(properties.metadata, { via: "buffer" });
    assert.equal(properties.contentSettings.contentType, "application/octet-stream");

    await file.uploadFile("héllo wörld");
    assert.equal((await readAll(file)).toString("utf8"), "héllo wörld");
    await file.uploadFile("68656c6c6f", { encoding: "hex" });
    assert.equal((await readAll(file)).toString(), "hello");
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6]);
    await file.uploadFile(bytes.buffer);
    assert.deepEqual([...(await readAll(file))], [1, 2, 3, 4, 5, 6]);
    await file.uploadFile(new Uint16Array([0x0201, 0x0403]));
    assert.deepEqual([...(await readAll(file))], [1, 2, 3, 4]);
    await file.uploadFile(new Blob(["blob ", "content"]), { rangeSize: 4 });
    assert.equal((await readAll(file)).toString(), "blob content");
    await file.uploadFile("");
    assert.equal((await file.getFileProperties()).size, 0);
    assert.equal((await readAll(file)).byteLength, 0);
  });

  test("uploadFile from a Readable, a web ReadableStream and an async iterable, with and without length", async () => {
    const data = randomBytes(5 * MiB + 77);
    const pieces = () =>
      Array.from({ length: 11 }, (_, i) =>
        data.subarray(i * 500_000, (i + 1) * 500_000 + (i === 10 ? 77 + 288 : 0)),
      );
    assert.equal(Buffer.concat(pieces()).byteLength, data.byteLength);
    const file = share.getFileClient("upload-stream.bin");

    await file.uploadFile(Readable.from(pieces()));
    assert.equal((await file.getFileProperties()).size, data.byteLength, "grown, then trimmed to the data");
    assert.equal(md5(await readAll(file)), md5(data));

    await file.uploadFile(Readable.from(pieces()), { length: data.byteLength });
    assert.equal(md5(await readAll(file)), md5(data));

    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces()) controller.enqueue(piece);
        controller.close();
      },
    });
    await file.uploadFile(web, { rangeSize: MiB });
    assert.equal(md5(await readAll(file)), md5(data));

    async function* text() {
      yield "line one\n";
      yield Buffer.from("line two\n");
    }
    await file.uploadFile(text());
    assert.equal((await readAll(file)).toString(), "line one\nline two\n");

    await assert.rejects(file.uploadFile(Readable.from([Buffer.from("short")]), { length: 10 }), RangeError);
    await assert.rejects(
      file.uploadFile(Readable.from([Buffer.from("too long")]), { length: 3 }),
      RangeError,
    );
  });

  test("uploadFile with overwrite: false refuses an existing file", async () => {
    const file = share.getFileClient("no-overwrite.txt");
    await file.uploadFile("first", { overwrite: false });
    await rejectsWithShareError(file.uploadFile("second", { overwrite: false }), {
      kind: "client",
      code: "FileAlreadyExists",
    });
    assert.equal((await readAll(file)).toString(), "first");
  });

  test("uploadRange, clearRange, listRanges (whole file and a window), fileLastWrittenMode", async () => {
    const file = share.getFileClient("ranges.bin");
    await file.createFile(64 * 1024);
    const a = randomBytes(1024);
    const b = randomBytes(4096);
    const written = await file.uploadRange(a, 0);
    assert.ok(written.etag);
    assert.equal(written.serverEncrypted, true);
    await file.uploadRange(b, 16 * 1024, { validateContent: true });
    await file.uploadRange("tail", 64 * 1024 - 4);

    const ranges = await file.listRanges();
    assert.deepEqual(ranges.ranges, [
      { start: 0, end: 1023 },
      { start: 16384, end: 20479 },
      { start: 65532, end: 65535 },
    ]);
    assert.equal(ranges.fileContentLength, 64 * 1024);
    assert.deepEqual((await file.listRanges({ offset: 8192, length: 16384 })).ranges, [
      { start: 16384, end: 20479 },
    ]);

    await file.clearRange(16 * 1024, 4096);
    assert.deepEqual((await file.listRanges()).ranges, [
      { start: 0, end: 1023 },
      { start: 65532, end: 65535 },
    ]);
    const content = await readAll(file);
    assert.deepEqual(content.subarray(0, 1024), a);
    assert.deepEqual(content.subarray(16384, 20480), Buffer.alloc(4096), "cleared bytes read as zeros");
    assert.equal(content.subarray(65532).toString(), "tail");

    const before = (await file.getFileProperties()).lastWriteTime;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await file.uploadRange("x", 100, { fileLastWrittenMode: "preserve" });
    assert.equal((await file.getFileProperties()).lastWriteTime?.getTime(), before?.getTime());

    await rejectsWithShareError(file.uploadRange("abc", 0, { contentMd5: new Uint8Array(16) }), {
      status: 400,
      code: "Md5Mismatch",
    });
    await rejectsWithShareError(file.uploadRange("past the end", 64 * 1024), {
      status: 416,
      code: "InvalidRange",
    });
    await assert.rejects(file.uploadRange(new Uint8Array(0), 0), RangeError);
  });

  test("listRanges with previousShareSnapshot lists the changes since a snapshot", async () => {
    const file = share.getFileClient("diff.bin");
    await file.createFile(64 * 1024);
    await file.uploadRange(new Uint8Array(1024).fill(1), 0);
    await file.uploadRange(new Uint8Array(1024).fill(1), 8192);
    const snapshot = await share.createSnapshot();
    await file.uploadRange(new Uint8Array(512).fill(2), 32768);
    await file.clearRange(8192, 1024);
    const diff = await file.listRanges({ previousShareSnapshot: snapshot.snapshot });
    assert.deepEqual(diff.ranges, [{ start: 32768, end: 33279 }]);
    assert.deepEqual(diff.clearRanges, [{ start: 8192, end: 9215 }]);
  });

  test("downloadFile: readAll, offset/length, toFile, stream, chunks, for await, progress", async () => {
    const data = randomBytes(10 * MiB + 5);
    const file = share.getFileClient("download.bin");
    await file.uploadFile(data, { contentSettings: { contentType: "application/x-dl" } });

    const download = await file.downloadFile({ rangeSize: 3 * MiB, concurrency: 2 });
    assert.equal(download.size, data.byteLength);
    assert.equal(download.contentLength, data.byteLength);
    assert.equal(download.properties.contentSettings.contentType, "application/x-dl");
    assert.equal(md5(await download.readAll()), md5(data));
    await assert.rejects(download.readAll(), /already been read/);

    const slice = await file.downloadFile({ offset: 1_000_000, length: 5 * MiB, rangeSize: MiB });
    assert.equal(slice.offset, 1_000_000);
    assert.equal(slice.contentLength, 5 * MiB);
    assert.equal(slice.size, data.byteLength);
    assert.deepEqual(await slice.readAll(), data.subarray(1_000_000, 1_000_000 + 5 * MiB));
    const pastEnd = await file.downloadFile({ offset: data.byteLength - 10, length: 100 });
    assert.deepEqual(await pastEnd.readAll(), data.subarray(data.byteLength - 10), "cut short at the end");

    // readInto: into the caller's buffer at an offset, leaving the bytes around it alone.
    const target = Buffer.alloc(6 * MiB, 0xee);
    const into = await file.downloadFile({
      offset: 2_000_000,
      length: 5 * MiB,
      rangeSize: MiB,
      concurrency: 3,
    });
    assert.equal(await into.readInto(target, 7), 5 * MiB);
    assert.deepEqual(target.subarray(7, 7 + 5 * MiB), data.subarray(2_000_000, 2_000_000 + 5 * MiB));
    assert.equal(target[6], 0xee);
    assert.equal(target[7 + 5 * MiB], 0xee);
    const tooSmall = await file.downloadFile({ length: 100 });
    await assert.rejects(tooSmall.readInto(Buffer.alloc(100), 1), RangeError);
    assert.equal(
      await tooSmall.readInto(Buffer.alloc(100)),
      100,
      "a refused target leaves the download unread",
    );

    const path = join(scratch, "download.bin");
    const progress: number[] = [];
    const written = await (
      await file.downloadFile({ onProgress: (p) => progress.push(p.loadedBytes) })
    ).toFile(path);
    assert.equal(written, data.byteLength);
    assert.equal(md5(readFileSync(path)), md5(data));
    assert.equal(progress.at(-1), data.byteLength);

    const streamed = createHash("md5");
    for await (const chunk of (await file.downloadFile({ rangeSize: 2 * MiB })).stream())
      streamed.update(chunk);
    assert.equal(streamed.digest("hex"), md5(data));

    // Chunks come as they arrive from the network: the first range whole, then pieces.
    const chunks = await collect((await file.downloadFile({ rangeSize: 4 * MiB })).chunks());
    assert.equal(chunks[0]?.byteLength, 4 * MiB);
    assert.ok(chunks.slice(1).every((c) => c.byteLength <= 4 * MiB));
    assert.equal(md5(Buffer.concat(chunks)), md5(data));
    const iterated: Uint8Array[] = [];
    for await (const chunk of await file.downloadFile({ offset: 7, length: 20 })) iterated.push(chunk);
    assert.deepEqual(Buffer.concat(iterated), data.subarray(7, 27));
  });

  test("downloading an empty file, and an offset past the end", async () => {
    const file = share.getFileClient("empty.txt");
    await file.createFile(0);
    const download = await file.downloadFile();
    assert.equal(download.size, 0);
    assert.equal((await download.readAll()).byteLength, 0);
    await rejectsWithShareError(share.getFileClient("download-none.txt").downloadFile(), {
      status: 404,
      code: "ResourceNotFound",
    });
    await file.uploadFile("abc");
    await rejectsWithShareError(file.downloadFile({ offset: 10 }), { status: 416, code: "InvalidRange" });
  });

  test("a file changed during a download fails the download (FileModifiedDuringDownload)", async () => {
    const file = share.getFileClient("changing.bin");
    await file.uploadFile(randomBytes(3 * MiB));
    const download = await file.downloadFile({ rangeSize: MiB });
    await file.uploadRange("changed", 2 * MiB);
    await rejectsWithShareError(download.readAll(), { kind: "client", code: "FileModifiedDuringDownload" });
  });

  test("setHttpHeaders replaces content headers; setFileMetadata; resizeFile; deleteFile; exists", async () => {
    const file = share.getFileClient("props.txt");
    await file.uploadFile("0123456789", {
      contentSettings: { contentType: "text/plain", cacheControl: "max-age=60" },
      metadata: { first: "1" },
    });
    await file.setHttpHeaders(
      { contentType: "text/csv", contentLanguage: "fr" },
      {
        smbProperties: { fileAttributes: "ReadOnly" },
      },
    );
    let properties = await file.getFileProperties();
    assert.equal(properties.contentSettings.contentType, "text/csv");
    assert.equal(properties.contentSettings.contentLanguage, "fr");
    assert.equal(properties.contentSettings.cacheControl, undefined, "headers left out are cleared");
    assert.equal(properties.fileAttributes, "ReadOnly");
    assert.equal(properties.size, 10, "setting headers keeps the size");

    const changed = await file.setFileMetadata({ second: "2", third: "3" });
    assert.ok(changed.etag);
    properties = await file.getFileProperties();
    assert.deepEqual(properties.metadata, { second: "2", third: "3" });
    assert.equal(properties.etag, changed.etag);

    await file.resizeFile(20);
    assert.deepEqual(await readAll(file), Buffer.concat([Buffer.from("0123456789"), Buffer.alloc(10)]));
    await file.resizeFile(4);
    assert.equal((await readAll(file)).toString(), "0123");
    assert.deepEqual((await file.getFileProperties()).metadata, { second: "2", third: "3" });

    assert.equal(await file.exists(), true);
    await file.deleteFile();
    assert.equal(await file.exists(), false);
    await rejectsWithShareError(file.deleteFile(), { status: 404, code: "ResourceNotFound" });
  });
});
