import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { FileSystemAttributes, type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { signedRequest } from "./helpers/raw-request.js";
import { rejectsWith } from "./helpers/sdk-assertions.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let share: ShareClient;

before(async () => {
  ts = await startTestServer();
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(uniqueShareName());
  await share.create();
});
after(async () => ts.dispose());

const md5 = (b: Buffer) => createHash("md5").update(b).digest();

describe("files through the official SDK", () => {
  test("create with headers and metadata; properties read back; a new file reads as zeros", async () => {
    const file = share.rootDirectoryClient.getFileClient("hello.txt");
    await file.create(2048, {
      fileHttpHeaders: {
        fileContentType: "text/plain",
        fileCacheControl: "no-cache",
        fileContentLanguage: "en",
      },
      metadata: { k: "v" },
    });
    const props = await file.getProperties();
    assert.equal(props.contentLength, 2048);
    assert.equal(props.contentType, "text/plain");
    assert.equal(props.cacheControl, "no-cache");
    assert.equal(props.contentLanguage, "en");
    assert.deepEqual(props.metadata, { k: "v" });
    assert.equal(props.leaseState, "available");
    assert.ok(props.fileId);
    const body = await file.downloadToBuffer();
    assert.deepEqual(body, Buffer.alloc(2048));
  });

  test("uploadData round trip (several 4 MiB ranges) is byte-identical", async () => {
    const data = randomBytes(9 * 1024 * 1024 + 123);
    const file = share.rootDirectoryClient.getFileClient("big.bin");
    await file.uploadData(data, { rangeSize: 4 * 1024 * 1024, concurrency: 3 });
    const back = await file.downloadToBuffer();
    assert.equal(back.length, data.length);
    assert.deepEqual(md5(back), md5(data));
  });

  test("ranged download: 206 with the bytes asked for, clipped at the end; range MD5", async () => {
    const data = randomBytes(5000);
    const file = share.rootDirectoryClient.getFileClient("ranged.bin");
    await file.uploadData(data);
    const part = await file.download(100, 50);
    assert.equal(part._response.status, 206);
    assert.equal(part.contentRange, "bytes 100-149/5000");
    const chunks: Buffer[] = [];
    for await (const c of part.readableStreamBody as NodeJS.ReadableStream) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), data.subarray(100, 150));
    const tail = await file.download(4990, 100);
    assert.equal(tail.contentRange, "bytes 4990-4999/5000");
    assert.equal(tail.contentLength, 10);
    const withMd5 = await file.download(0, 1024, { rangeGetContentMD5: true });
    assert.deepEqual(Buffer.from(withMd5.contentMD5 as Uint8Array), md5(data.subarray(0, 1024)));
    await rejectsWith(file.download(5000, 10), 416, "InvalidRange");
  });

  test("az-style open-ended range on a smaller file is 206 with what exists; empty file is 416", async () => {
    const file = share.rootDirectoryClient.getFileClient("small.txt");
    await file.uploadData(Buffer.from("abc"));
    const res = await signedRequest({
      method: "GET",
      url: `${ts.accountUrl}/${share.name}/small.txt`,
      accountName: ts.accountName,
      accountKey: ts.accountKey,
      headers: { "x-ms-range": "bytes=0-33554431" },
    });
    assert.equal(res.status, 206);
    assert.equal(res.body, "abc");
    await share.rootDirectoryClient.createFile("empty.txt", 0);
    const empty = await signedRequest({
      method: "GET",
      url: `${ts.accountUrl}/${share.name}/empty.txt`,
      accountName: ts.accountName,
      accountKey: ts.accountKey,
      headers: { "x-ms-range": "bytes=0-33554431" },
    });
    assert.equal(empty.status, 416);
  });

  test("sparse writes: list ranges shows only what was written; clear removes ranges", async () => {
    const file = share.rootDirectoryClient.getFileClient("sparse.bin");
    await file.create(1024 * 1024);
    await file.uploadRange(Buffer.alloc(512, 1), 0, 512);
    await file.uploadRange(Buffer.alloc(512, 2), 512, 512);
    await file.uploadRange(Buffer.alloc(1024, 3), 8192, 1024);
    await file.uploadRange(Buffer.alloc(100, 4), 500000, 100);
    let list = await file.getRangeList();
    assert.deepEqual(
      list.rangeList.map((r) => [r.start, r.end]),
      [
        [0, 1023],
        [8192, 9215],
        [500000, 500099],
      ],
    );
    await file.clearRange(8192, 1024);
    await file.clearRange(0, 100);
    list = await file.getRangeList();
    assert.deepEqual(
      list.rangeList.map((r) => [r.start, r.end]),
      [
        [100, 1023],
        [500000, 500099],
      ],
    );
    const head = await file.downloadToBuffer(0, 1024);
    assert.deepEqual(head.subarray(0, 100), Buffer.alloc(100));
    assert.deepEqual(head.subarray(100, 512), Buffer.alloc(412, 1));
    assert.deepEqual(head.subarray(512), Buffer.alloc(512, 2));
    const windowed = await file.getRangeList({ range: { offset: 400000, count: 200000 } });
    assert.deepEqual(
      windowed.rangeList.map((r) => [r.start, r.end]),
      [[500000, 500099]],
    );
  });

  test("Content-MD5 and CRC64 are checked on Put Range", async () => {
    const file = share.rootDirectoryClient.getFileClient("checked.bin");
    await file.create(100);
    const data = Buffer.alloc(100, 7);
    await file.uploadRange(data, 0, 100, { contentMD5: md5(data) });
    await rejectsWith(
      file.uploadRange(data, 0, 100, { contentMD5: md5(Buffer.from("other")) }),
      400,
      "Md5Mismatch",
    );
    const bad = await signedRequest({
      method: "PUT",
      url: `${ts.accountUrl}/${share.name}/checked.bin?comp=range`,
      accountName: ts.accountName,
      accountKey: ts.accountKey,
      headers: { "x-ms-range": "bytes=0-99", "x-ms-write": "update", "x-ms-content-crc64": "AAAAAAAAAAA=" },
      body: data,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("x-ms-error-code"), "Crc64Mismatch");
  });

  test("Put Range validation: past the end 416, over 4 MiB 413, bad range 400", async () => {
    const file = share.rootDirectoryClient.getFileClient("limits.bin");
    await file.create(10 * 1024 * 1024);
    await rejectsWith(file.uploadRange(Buffer.alloc(10), 10 * 1024 * 1024 - 5, 10), 416, "InvalidRange");
    const res = await signedRequest({
      method: "PUT",
      url: `${ts.accountUrl}/${share.name}/limits.bin?comp=range`,
      accountName: ts.accountName,
      accountKey: ts.accountKey,
      headers: { "x-ms-range": `bytes=0-${4 * 1024 * 1024}`, "x-ms-write": "update" },
      body: Buffer.alloc(4 * 1024 * 1024 + 1),
    });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get("x-ms-error-code"), "RequestBodyTooLarge");
    const garbled = await signedRequest({
      method: "PUT",
      url: `${ts.accountUrl}/${share.name}/limits.bin?comp=range`,
      accountName: ts.accountName,
      accountKey: ts.accountKey,
      headers: { "x-ms-range": "bytes=9-3", "x-ms-write": "update" },
      body: Buffer.alloc(1),
    });
    assert.equal(garbled.status, 416);
    const badWrite = await signedRequest({
      method: "PUT",
      url: `${ts.accountUrl}/${share.name}/limits.bin?comp=range`,
      accountName: ts.accountName,
      accountKey: ts.accountKey,
      headers: { "x-ms-range": "bytes=0-0", "x-ms-write": "scribble" },
      body: Buffer.alloc(1),
    });
    assert.equal(badWrite.status, 400);
    assert.equal(badWrite.headers.get("x-ms-error-code"), "InvalidHeaderValue");
  });

  test("file size: up to 4 TiB accepted, beyond refused", async () => {
    const huge = share.rootDirectoryClient.getFileClient("huge.bin");
    await huge.create(4 * 1024 ** 4);
    assert.equal((await huge.getProperties()).contentLength, 4 * 1024 ** 4);
    await huge.uploadRange(Buffer.from("end"), 4 * 1024 ** 4 - 3, 3);
    assert.equal((await huge.downloadToBuffer(4 * 1024 ** 4 - 3, 3)).toString(), "end");
    // The SDK refuses this size itself, so send it raw.
    const res = await signedRequest({
      method: "PUT",
      url: `${ts.accountUrl}/${share.name}/too-big.bin`,
      accountName: ts.accountName,
      accountKey: ts.accountKey,
      headers: { "x-ms-type": "file", "x-ms-content-length": String(4 * 1024 ** 4 + 1) },
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("x-ms-error-code"), "InvalidHeaderValue");
    assert.match(res.body, /<HeaderName>x-ms-content-length<\/HeaderName>/);
  });

  test("resize truncates: shrinking drops bytes, growing reads zeros", async () => {
    const file = share.rootDirectoryClient.getFileClient("resize.bin");
    await file.uploadData(Buffer.alloc(1000, 9));
    await file.resize(300);
    assert.equal((await file.getProperties()).contentLength, 300);
    await file.resize(600);
    const back = await file.downloadToBuffer();
    assert.deepEqual(back.subarray(0, 300), Buffer.alloc(300, 9));
    assert.deepEqual(back.subarray(300), Buffer.alloc(300));
    assert.deepEqual(
      (await file.getRangeList()).rangeList.map((r) => [r.start, r.end]),
      [[0, 299]],
    );
  });

  test("set HTTP headers replaces them; set metadata; delete", async () => {
    const file = share.rootDirectoryClient.getFileClient("headers.txt");
    await file.create(1, { fileHttpHeaders: { fileContentType: "text/plain", fileContentEncoding: "gzip" } });
    await file.setHttpHeaders({ fileContentType: "application/json", fileContentDisposition: "inline" });
    let props = await file.getProperties();
    assert.equal(props.contentType, "application/json");
    assert.equal(props.contentDisposition, "inline");
    assert.equal(props.contentEncoding, undefined);
    await file.setMetadata({ stage: "done" });
    props = await file.getProperties();
    assert.deepEqual(props.metadata, { stage: "done" });
    await file.delete();
    await rejectsWith(file.getProperties(), 404, "ResourceNotFound");
    await rejectsWith(file.delete(), 404, "ResourceNotFound");
  });

  test("create over an existing file resets it", async () => {
    const file = share.rootDirectoryClient.getFileClient("reset.bin");
    await file.uploadData(Buffer.alloc(100, 5));
    await file.create(50);
    assert.deepEqual(await file.downloadToBuffer(), Buffer.alloc(50));
    assert.deepEqual((await file.getRangeList()).rangeList, []);
  });

  test("files need their parent directory: 404 ParentNotFound", async () => {
    await rejectsWith(share.getDirectoryClient("nowhere").createFile("x.txt", 1), 404, "ParentNotFound");
  });

  test("names are case-insensitive and case-preserving", async () => {
    await share.rootDirectoryClient.createFile("MixedCase.TXT", 4);
    const props = await share.rootDirectoryClient.getFileClient("mixedcase.txt").getProperties();
    assert.equal(props.contentLength, 4);
    const names: string[] = [];
    for await (const item of share.rootDirectoryClient.listFilesAndDirectories({ prefix: "mixed" }))
      names.push(item.name);
    assert.deepEqual(names, ["MixedCase.TXT"]);
  });

  test("file handles: none", async () => {
    const file = share.rootDirectoryClient.getFileClient("h.txt");
    await file.create(1);
    const handles = [];
    for await (const h of file.listHandles()) handles.push(h);
    assert.equal(handles.length, 0);
    assert.equal((await file.forceCloseAllHandles()).closedHandlesCount, 0);
  });

  test("SMB properties on create and set", async () => {
    const file = share.rootDirectoryClient.getFileClient("smb.txt");
    const when = new Date("2023-01-02T03:04:05.678Z");
    await file.create(1, {
      fileAttributes: FileSystemAttributes.parse("ReadOnly|Archive"),
      creationTime: when,
      lastWriteTime: when,
    });
    const props = await file.getProperties();
    assert.ok(props.fileAttributes?.includes("ReadOnly"));
    assert.equal(props.fileCreatedOn?.toISOString(), when.toISOString());
    assert.equal(props.fileLastWriteOn?.toISOString(), when.toISOString());
  });
});

describe("signing edge cases through the official SDK", () => {
  test("metadata values with inner runs of spaces are signed and stored as sent", async () => {
    const file = share.rootDirectoryClient.getFileClient("spaces.txt");
    await file.create(1, { metadata: { note: "two  spaces   three" } });
    assert.deepEqual((await file.getProperties()).metadata, { note: "two  spaces   three" });
  });
});

describe("SMB times on data writes", () => {
  test("Put Range moves the last-write time unless told to preserve it", async () => {
    const file = share.rootDirectoryClient.getFileClient("times.bin");
    const past = new Date("2020-01-01T00:00:00.000Z");
    await file.create(10, { lastWriteTime: past });
    assert.equal((await file.getProperties()).fileLastWriteOn?.toISOString(), past.toISOString());
    await file.uploadRange(Buffer.from("ab"), 0, 2, { fileLastWrittenMode: "Preserve" });
    assert.equal((await file.getProperties()).fileLastWriteOn?.toISOString(), past.toISOString());
    await file.uploadRange(Buffer.from("cd"), 2, 2);
    const moved = (await file.getProperties()).fileLastWriteOn as Date;
    assert.ok(moved.getTime() > past.getTime(), `last write ${moved.toISOString()}`);
  });
});
