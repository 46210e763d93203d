/**
 * `@sharelock/client` and the official `@azure/storage-file-share` SDK on the same share of a live
 * Sharelock server: content written by one reads identically through the other (whole uploads,
 * ranges written one by one, sparse files and their range lists), a lease taken by one blocks the
 * other with the same status and error code, and metadata, content headers and SMB properties
 * round-trip in both directions.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type {
  ShareClient as AzureShareClient,
  ShareFileClient as AzureShareFileClient,
} from "@azure/storage-file-share";
import {
  type ShareClient,
  ShareError,
  type ShareFileClient,
  ShareLeaseClient,
} from "../packages/client/src/index.js";
import {
  azureService,
  ourService,
  rejectsWithRestError,
  rejectsWithShareError,
} from "./helpers/client-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const MiB = 1024 * 1024;
let ts: TestServer;
let ours: ShareClient;
let theirs: AzureShareClient;

before(async () => {
  ts = await startTestServer();
  const name = uniqueShareName("interop");
  ours = await ourService(ts).createShare(name);
  theirs = azureService(ts).getShareClient(name);
});
after(async () => ts.dispose());

/** The same file through both SDKs. */
function both(path: string): { our: ShareFileClient; their: AzureShareFileClient } {
  return { our: ours.getFileClient(path), their: theirs.rootDirectoryClient.getFileClient(path) };
}

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");
const ourBytes = async (file: ShareFileClient) => (await file.downloadFile()).readAll();

/** The official SDK's range list as `{ start, end }` pairs. */
async function theirRanges(file: AzureShareFileClient): Promise<Array<{ start: number; end: number }>> {
  const list = await file.getRangeList();
  return (list.rangeList ?? []).map((r) => ({ start: r.start, end: r.end }));
}

/** Status and code of a failure from either SDK. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShareError) return `${error.statusCode} ${error.errorCode}`;
    const rest = error as { statusCode?: number; code?: string };
    return `${rest.statusCode} ${rest.code}`;
  }
  return "succeeded";
}

describe("@sharelock/client and @azure/storage-file-share on the same share", () => {
  test("a file uploaded by ours (several ranges in parallel) downloads identically through theirs", async () => {
    const data = randomBytes(9 * MiB + 7);
    const { our, their } = both("ours-upload.bin");
    await our.uploadFile(data, { concurrency: 3 });
    assert.equal(md5(await their.downloadToBuffer()), md5(data));
    const partial = await their.download(5 * MiB - 3, 1000);
    assert.equal(partial.contentLength, 1000);
    assert.deepEqual(
      await streamToBuffer(partial.readableStreamBody),
      data.subarray(5 * MiB - 3, 5 * MiB + 997),
    );
    assert.deepEqual(await theirRanges(their), [{ start: 0, end: data.byteLength - 1 }]);
  });

  test("a file uploaded by theirs (several ranges) downloads identically through ours", async () => {
    const data = randomBytes(10 * MiB + 1);
    const { our, their } = both("their-upload.bin");
    await their.uploadData(data, { rangeSize: 4 * MiB, concurrency: 2 });
    assert.equal(md5(await ourBytes(our)), md5(data));
    assert.deepEqual(
      await (await our.downloadFile({ offset: 4 * MiB - 5, length: 10 })).readAll(),
      data.subarray(4 * MiB - 5, 4 * MiB + 5),
    );
    assert.deepEqual((await our.listRanges()).ranges, [{ start: 0, end: data.byteLength - 1 }]);
  });

  test("ranges written one by one by ours: the same bytes and the same range list through theirs", async () => {
    const { our, their } = both("ours-ranges.bin");
    await our.createFile(8 * MiB);
    const writes = [
      [0, randomBytes(4096)],
      [MiB, randomBytes(4 * MiB)],
      [6 * MiB + 512, randomBytes(1000)],
    ] as const;
    for (const [offset, bytes] of writes) await our.uploadRange(bytes, offset);
    await our.clearRange(MiB + 4096, 4096);

    const ourList = (await our.listRanges()).ranges;
    assert.deepEqual(ourList, [
      { start: 0, end: 4095 },
      { start: MiB, end: MiB + 4095 },
      { start: MiB + 8192, end: 5 * MiB - 1 },
      { start: 6 * MiB + 512, end: 6 * MiB + 1511 },
    ]);
    assert.deepEqual(await theirRanges(their), ourList);
    const theirContent = await their.downloadToBuffer();
    assert.equal(md5(theirContent), md5(await ourBytes(our)));
    assert.deepEqual(theirContent.subarray(MiB + 4096, MiB + 8192), Buffer.alloc(4096));
    assert.deepEqual(theirContent.subarray(6 * MiB + 512, 6 * MiB + 1512), writes[2][1]);
  });

  test("a sparse file written by theirs: the same range list, zeros in the holes, through ours", async () => {
    const { our, their } = both("their-sparse.bin");
    const size = 64 * MiB;
    await their.create(size);
    const a = randomBytes(512);
    const b = randomBytes(2 * MiB);
    await their.uploadRange(a, 512, a.byteLength);
    await their.uploadRange(b, 40 * MiB, b.byteLength);
    await their.uploadRange(Buffer.from("end"), size - 3, 3);

    const expected = [
      { start: 512, end: 1023 },
      { start: 40 * MiB, end: 42 * MiB - 1 },
      { start: size - 3, end: size - 1 },
    ];
    assert.deepEqual(await theirRanges(their), expected);
    const list = await our.listRanges();
    assert.deepEqual(list.ranges, expected);
    assert.equal(list.fileContentLength, size);
    assert.deepEqual((await our.listRanges({ offset: 30 * MiB, length: 11 * MiB })).ranges, [
      { start: 40 * MiB, end: 41 * MiB - 1 },
    ]);

    const content = await ourBytes(our);
    assert.equal(content.byteLength, size);
    assert.deepEqual(content.subarray(0, 512), Buffer.alloc(512));
    assert.deepEqual(content.subarray(512, 1024), a);
    assert.deepEqual(content.subarray(40 * MiB, 42 * MiB), b);
    assert.equal(content.subarray(size - 3).toString(), "end");
    assert.equal(md5(content), md5(await their.downloadToBuffer()));
  });

  test("a file lease taken by theirs blocks ours with the same codes; its id works in ours", async () => {
    const { our, their } = both("their-lease.txt");
    await their.uploadData(Buffer.from("leased by the official SDK"));
    const theirLease = their.getShareLeaseClient();
    const { leaseId } = await theirLease.acquireLease();
    assert.ok(leaseId);

    await rejectsWithShareError(new ShareLeaseClient(our).acquire(), {
      status: 409,
      code: "LeaseAlreadyPresent",
    });
    await rejectsWithShareError(our.uploadFile("x"), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(
      our.setFileMetadata({ a: "1" }, { leaseId: "0badc0de-0000-4000-8000-000000000000" }),
      {
        status: 412,
        code: "LeaseIdMismatchWithFileOperation",
      },
    );
    assert.deepEqual((await our.getFileProperties()).lease, {
      status: "locked",
      state: "leased",
      duration: "infinite",
    });
    await our.setFileMetadata({ written: "by ours with their lease id" }, { leaseId });
    // Ours can release the lease the official SDK took (same id, another client).
    await new ShareLeaseClient(our, leaseId).release();
    assert.equal((await their.getProperties()).leaseState, "available");
  });

  test("a file lease taken by ours blocks theirs with the same codes", async () => {
    const { our, their } = both("our-lease.txt");
    await our.uploadFile("leased by ours");
    const lease = await our.acquireLease();

    await rejectsWithRestError(their.getShareLeaseClient().acquireLease(), 409, "LeaseAlreadyPresent");
    await rejectsWithRestError(their.uploadData(Buffer.from("x")), 412, "LeaseIdMissing");
    await rejectsWithRestError(
      their.setMetadata(
        { a: "1" },
        { leaseAccessConditions: { leaseId: "0badc0de-0000-4000-8000-000000000000" } },
      ),
      412,
      "LeaseIdMismatchWithFileOperation",
    );
    const properties = await their.getProperties();
    assert.equal(properties.leaseState, "leased");
    assert.equal(properties.leaseStatus, "locked");
    assert.equal(properties.leaseDuration, "infinite");
    await their.setMetadata(
      { written: "by theirs with our lease id" },
      { leaseAccessConditions: { leaseId: lease.id } },
    );
    // Theirs breaks it; ours sees the break.
    await their.getShareLeaseClient().breakLease();
    assert.equal((await our.getFileProperties()).lease.state, "broken");
    await rejectsWithShareError(lease.renew(), { status: 409, code: "LeaseIsBrokenAndCannotBeRenewed" });
  });

  test("the same request fails the same way through both SDKs", async () => {
    const { our, their } = both("same-failures.txt");
    await our.uploadFile("x");
    const lease = await our.acquireLease();
    const otherId = "0badc0de-0000-4000-8000-000000000000";
    const pairs: Array<[() => Promise<unknown>, () => Promise<unknown>, string]> = [
      [
        () => new ShareLeaseClient(our).acquire(),
        () => their.getShareLeaseClient().acquireLease(),
        "409 LeaseAlreadyPresent",
      ],
      [() => our.setFileMetadata({ a: "1" }), () => their.setMetadata({ a: "1" }), "412 LeaseIdMissing"],
      [
        () => our.deleteFile({ leaseId: otherId }),
        () => their.delete({ leaseAccessConditions: { leaseId: otherId } }),
        "412 LeaseIdMismatchWithFileOperation",
      ],
      [
        () => new ShareLeaseClient(our, otherId).release(),
        () => their.getShareLeaseClient(otherId).releaseLease(),
        "409 LeaseIdMismatchWithLeaseOperation",
      ],
    ];
    for (const [viaOurs, viaTheirs, expected] of pairs) {
      assert.equal(await failure(viaOurs()), expected, "ours");
      assert.equal(await failure(viaTheirs()), expected, "theirs");
    }
    await lease.release();
  });

  test("a share lease: the same codes both ways", async () => {
    const name = uniqueShareName("interop-share-lease");
    const ourShare = await ourService(ts).createShare(name);
    const theirShare = azureService(ts).getShareClient(name);
    const lease = await ourShare.acquireLease({ leaseDuration: 20 });
    await rejectsWithRestError(theirShare.getShareLeaseClient().acquireLease(20), 409, "LeaseAlreadyPresent");
    await rejectsWithRestError(theirShare.setMetadata({ a: "1" }), 412, "LeaseIdMissing");
    await theirShare.setMetadata({ a: "1" }, { leaseAccessConditions: { leaseId: lease.id } });
    await lease.release();

    const { leaseId } = await theirShare.getShareLeaseClient().acquireLease(-1);
    await rejectsWithShareError(ourShare.acquireLease(), { status: 409, code: "LeaseAlreadyPresent" });
    await rejectsWithShareError(ourShare.setShareMetadata({ b: "2" }), {
      status: 412,
      code: "LeaseIdMissing",
    });
    await rejectsWithShareError(
      ourShare.setShareMetadata({ b: "2" }, { leaseId: "0badc0de-0000-4000-8000-000000000000" }),
      {
        status: 412,
        code: "LeaseIdMismatchWithContainerOperation",
      },
    );
    assert.deepEqual((await ourShare.getShareProperties()).lease, {
      status: "locked",
      state: "leased",
      duration: "infinite",
    });
    await new ShareLeaseClient(ourShare, leaseId).release();
  });

  test("metadata, content headers and SMB properties written by ours read back through theirs", async () => {
    const { our, their } = both("ours-headers.txt");
    const contentMd5 = createHash("md5").update("ours").digest();
    const created = new Date("2023-05-06T07:08:09.1234567Z");
    await our.uploadFile("ours", {
      metadata: { project: "sharelock", stage: "interop" },
      contentSettings: {
        contentType: "text/plain; charset=utf-8",
        contentEncoding: "identity",
        contentLanguage: "de-CH",
        contentDisposition: "inline",
        cacheControl: "max-age=3600",
        contentMd5,
      },
      smbProperties: { fileAttributes: "ReadOnly", fileCreationTime: created },
    });
    const p = await their.getProperties();
    assert.deepEqual(p.metadata, { project: "sharelock", stage: "interop" });
    assert.equal(p.contentType, "text/plain; charset=utf-8");
    assert.equal(p.contentEncoding, "identity");
    assert.equal(p.contentLanguage, "de-CH");
    assert.equal(p.contentDisposition, "inline");
    assert.equal(p.cacheControl, "max-age=3600");
    assert.deepEqual(Buffer.from(p.contentMD5 ?? []), contentMd5);
    assert.equal(p.fileAttributes, "ReadOnly");
    assert.equal(p.fileCreatedOn?.getTime(), created.getTime());
    assert.equal(p.contentLength, 4);

    // Directory and share metadata too.
    await ours.createDirectory("ours-dir", { metadata: { made: "ours" } });
    assert.deepEqual((await theirs.getDirectoryClient("ours-dir").getProperties()).metadata, {
      made: "ours",
    });
    await ours.setShareMetadata({ owner: "ours" });
    assert.deepEqual((await theirs.getProperties()).metadata, { owner: "ours" });
  });

  test("metadata, content headers and SMB properties written by theirs read back through ours", async () => {
    const { our, their } = both("their-headers.txt");
    const contentMd5 = createHash("md5").update("theirs").digest();
    const lastWrite = new Date("2022-02-03T04:05:06.7000000Z");
    await their.create(6, {
      metadata: { from: "theirs", other: "value" },
      fileHttpHeaders: {
        fileContentType: "application/json",
        fileContentEncoding: "gzip",
        fileContentLanguage: "nl",
        fileContentDisposition: 'attachment; filename="t.json"',
        fileCacheControl: "no-cache",
        fileContentMD5: contentMd5,
      },
      fileAttributes: undefined,
      lastWriteTime: lastWrite,
    });
    await their.uploadRange(Buffer.from("theirs"), 0, 6);
    const p = await our.getFileProperties();
    assert.deepEqual(p.metadata, { from: "theirs", other: "value" });
    assert.deepEqual(
      { ...p.contentSettings, contentMd5: undefined },
      {
        contentType: "application/json",
        contentEncoding: "gzip",
        contentLanguage: "nl",
        contentDisposition: 'attachment; filename="t.json"',
        cacheControl: "no-cache",
        contentMd5: undefined,
      },
    );
    assert.deepEqual(Buffer.from(p.contentSettings.contentMd5 ?? []), contentMd5);
    assert.equal(p.size, 6);
    assert.equal(p.fileId, (await their.getProperties()).fileId);

    // Changed again by theirs: headers replaced, metadata replaced.
    await their.setHttpHeaders({ fileContentType: "text/csv" });
    await their.setMetadata({ replaced: "yes" });
    const again = await our.getFileProperties();
    assert.equal(again.contentSettings.contentType, "text/csv");
    assert.equal(again.contentSettings.contentEncoding, undefined);
    assert.deepEqual(again.metadata, { replaced: "yes" });
    // The download carries the same headers.
    const download = await our.downloadFile();
    assert.equal(download.properties.contentSettings.contentType, "text/csv");
    assert.equal((await download.readAll()).toString(), "theirs");

    await theirs.getDirectoryClient("their-dir").create({ metadata: { made: "theirs" } });
    assert.deepEqual((await ours.getDirectoryClient("their-dir").getDirectoryProperties()).metadata, {
      made: "theirs",
    });
  });
});

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
