/**
 * Put Range From URL through the official SDK (uploadRangeFromURL) and hand-signed requests: the
 * source is a file of this server read through its SAS, the bytes land at the destination range,
 * CRC-64 checks and conditions, leases, ranges and sizes, snapshots, and unreadable sources.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  FileSASPermissions,
  type ShareClient,
  type ShareFileClient,
  ShareServiceClient,
} from "@azure/storage-file-share";
import { azureCrc64 } from "../packages/server/src/http/crc64.js";
import { uniqueShareName } from "./helpers/names.js";
import { signedRequest } from "./helpers/raw-request.js";
import { rejectsWith } from "./helpers/sdk-assertions.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const A = "aaaaaaaa-1111-4111-8111-00000000000a";
const MiB = 1024 * 1024;

let ts: TestServer;
let share: ShareClient;

before(async () => {
  ts = await startTestServer();
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(uniqueShareName("rfu"));
  await share.create();
});
after(async () => ts.dispose());

let names = 0;
async function fileWith(data: Buffer): Promise<ShareFileClient> {
  names += 1;
  const file = share.rootDirectoryClient.getFileClient(`src${names}.bin`);
  await file.uploadData(data);
  return file;
}

async function emptyFile(size: number): Promise<ShareFileClient> {
  names += 1;
  const file = share.rootDirectoryClient.getFileClient(`dst${names}.bin`);
  await file.create(size);
  return file;
}

const readSas = (file: ShareFileClient, permissions = "r") =>
  file.generateSasUrl({
    permissions: FileSASPermissions.parse(permissions),
    expiresOn: new Date(Date.now() + 3600_000),
  });

function rawPut(dest: ShareFileClient, headers: Record<string, string>) {
  return signedRequest({
    method: "PUT",
    url: `${dest.url}?comp=range`,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    headers: { "x-ms-write": "update", ...headers },
    body: "",
  });
}

describe("Put Range From URL", () => {
  test("copies the source range into the destination range and answers its CRC-64", async () => {
    const data = randomBytes(64 * 1024);
    const src = await fileWith(data);
    const dst = await emptyFile(100 * 1024);
    const res = await dst.uploadRangeFromURL(await readSas(src), 1024, 8192, 4096);
    assert.equal(res._response.status, 201);
    const expected = data.subarray(1024, 1024 + 4096);
    assert.deepEqual(Buffer.from(res.xMsContentCrc64 ?? new Uint8Array()), azureCrc64(expected));
    assert.ok(res.etag);
    assert.ok(res.fileLastWriteTime instanceof Date);
    const body = await dst.downloadToBuffer();
    assert.deepEqual(body.subarray(8192, 8192 + 4096), expected);
    assert.deepEqual(body.subarray(0, 8192), Buffer.alloc(8192));
    assert.deepEqual((await dst.getRangeList()).rangeList, [{ start: 8192, end: 8192 + 4095 }]);
    assert.deepEqual(await src.downloadToBuffer(), data, "the source is unchanged");
  });

  test("4 MiB in one call, from a share snapshot, and overwriting earlier content", async () => {
    const data = randomBytes(4 * MiB);
    const src = await fileWith(data);
    const snapshot = await share.createSnapshot();
    await src.uploadData(randomBytes(4 * MiB));
    const atSnapshot = src.withShareSnapshot(snapshot.snapshot ?? "");
    const dst = await emptyFile(4 * MiB);
    await dst.uploadRange(Buffer.alloc(4 * MiB, 9), 0, 4 * MiB);
    await dst.uploadRangeFromURL(await readSas(atSnapshot), 0, 0, 4 * MiB);
    assert.deepEqual(await dst.downloadToBuffer(), data);
  });

  test("x-ms-source-content-crc64 and the source CRC-64 conditions are checked against the source", async () => {
    const data = randomBytes(2048);
    const src = await fileWith(data);
    const url = await readSas(src);
    const dst = await emptyFile(2048);
    const crc = new Uint8Array(azureCrc64(data));
    const wrong = new Uint8Array(8);
    await rejectsWith(
      dst.uploadRangeFromURL(url, 0, 0, 2048, { sourceContentCrc64: wrong }),
      400,
      "Crc64Mismatch",
    );
    await rejectsWith(
      dst.uploadRangeFromURL(url, 0, 0, 2048, { sourceConditions: { sourceIfMatchCrc64: wrong } }),
      412,
      "SourceConditionNotMet",
    );
    await rejectsWith(
      dst.uploadRangeFromURL(url, 0, 0, 2048, { sourceConditions: { sourceIfNoneMatchCrc64: crc } }),
      412,
      "SourceConditionNotMet",
    );
    assert.deepEqual(await dst.downloadToBuffer(), Buffer.alloc(2048), "nothing was written");
    await dst.uploadRangeFromURL(url, 0, 0, 2048, {
      sourceContentCrc64: crc,
      sourceConditions: { sourceIfMatchCrc64: crc, sourceIfNoneMatchCrc64: wrong },
    });
    assert.deepEqual(await dst.downloadToBuffer(), data);
  });

  test("the source needs its own SAS with read; Shared Key on the request does not reach it", async () => {
    const src = await fileWith(randomBytes(1024));
    const dst = await emptyFile(1024);
    const noSas = await rejectsWith(
      dst.uploadRangeFromURL(src.url, 0, 0, 1024),
      401,
      "CannotVerifyCopySource",
    );
    assert.equal(noSas.response?.headers.get("x-ms-copy-source-error-code"), "NoAuthenticationInformation");
    const writeOnly = await rejectsWith(
      dst.uploadRangeFromURL(await readSas(src, "w"), 0, 0, 1024),
      403,
      "CannotVerifyCopySource",
    );
    assert.equal(writeOnly.response?.headers.get("x-ms-copy-source-status-code"), "403");
    assert.equal(
      writeOnly.response?.headers.get("x-ms-copy-source-error-code"),
      "AuthorizationPermissionMismatch",
    );
    await rejectsWith(
      dst.uploadRangeFromURL(src.url, 0, 0, 1024, { sourceAuthorization: { scheme: "Bearer", value: "t" } }),
      401,
      "CannotVerifyCopySource",
    );
    await rejectsWith(
      dst.uploadRangeFromURL("https://elsewhere.example/s/f", 0, 0, 1024),
      400,
      "CannotVerifyCopySource",
    );
    assert.deepEqual(await dst.downloadToBuffer(), Buffer.alloc(1024));
  });

  test("ranges: past the destination end is 416 InvalidRange; past the source end is 416 CannotVerifyCopySource", async () => {
    const src = await fileWith(randomBytes(1024));
    const url = await readSas(src);
    const dst = await emptyFile(1024);
    await rejectsWith(dst.uploadRangeFromURL(url, 0, 512, 1024), 416, "InvalidRange");
    const past = await rejectsWith(dst.uploadRangeFromURL(url, 512, 0, 1024), 416, "CannotVerifyCopySource");
    assert.equal(past.response?.headers.get("x-ms-copy-source-error-code"), "InvalidRange");
    const missing = await rejectsWith(
      dst.uploadRangeFromURL(await readSas(share.rootDirectoryClient.getFileClient("gone.bin")), 0, 0, 10),
      404,
      "CannotVerifyCopySource",
    );
    assert.equal(missing.response?.headers.get("x-ms-copy-source-error-code"), "ResourceNotFound");
  });

  test("the destination lease is enforced before the source is read", async () => {
    const src = await fileWith(randomBytes(512));
    const dst = await emptyFile(512);
    await dst.getShareLeaseClient(A).acquireLease();
    await rejectsWith(dst.uploadRangeFromURL(await readSas(src), 0, 0, 512), 412, "LeaseIdMissing");
    // Lease first: even a source that cannot be read answers 412.
    await rejectsWith(dst.uploadRangeFromURL(src.url, 0, 0, 512), 412, "LeaseIdMissing");
    await dst.uploadRangeFromURL(await readSas(src), 0, 0, 512, { leaseAccessConditions: { leaseId: A } });
    assert.deepEqual(await dst.downloadToBuffer(), await src.downloadToBuffer());
    await rejectsWith(
      share.rootDirectoryClient.getFileClient("nope.bin").uploadRangeFromURL(await readSas(src), 0, 0, 512),
      404,
      "ResourceNotFound",
    );
  });

  test("header validation for what the SDK will not send", async () => {
    const src = await fileWith(randomBytes(8 * MiB));
    const url = await readSas(src);
    const dst = await emptyFile(8 * MiB);
    const expect400 = async (headers: Record<string, string>, code: string) => {
      const res = await rawPut(dst, headers);
      assert.equal(res.status, 400, res.body);
      assert.equal(res.headers.get("x-ms-error-code"), code);
    };
    await expect400({ "x-ms-copy-source": url, "x-ms-range": "bytes=0-9" }, "MissingRequiredHeader");
    await expect400(
      { "x-ms-copy-source": url, "x-ms-range": "bytes=0-9", "x-ms-source-range": "bytes=0-19" },
      "InvalidHeaderValue",
    );
    await expect400(
      { "x-ms-copy-source": url, "x-ms-range": "bytes=0-9", "x-ms-source-range": "bytes=0-" },
      "InvalidHeaderValue",
    );
    await expect400(
      {
        "x-ms-copy-source": url,
        "x-ms-range": `bytes=0-${4 * MiB}`,
        "x-ms-source-range": `bytes=0-${4 * MiB}`,
      },
      "OutOfRangeInput",
    );
    await expect400(
      {
        "x-ms-copy-source": url,
        "x-ms-range": "bytes=0-9",
        "x-ms-source-range": "bytes=0-9",
        "x-ms-write": "clear",
      },
      "InvalidHeaderValue",
    );
    await expect400(
      {
        "x-ms-copy-source": url,
        "x-ms-range": "bytes=0-9",
        "x-ms-source-range": "bytes=0-9",
        "x-ms-file-last-write-time": "later",
      },
      "InvalidHeaderValue",
    );
    const ok = await rawPut(dst, {
      "x-ms-copy-source": url,
      "x-ms-range": "bytes=10-19",
      "x-ms-source-range": "bytes=100-109",
      "x-ms-file-last-write-time": "preserve",
    });
    assert.equal(ok.status, 201, ok.body);
    const got = await dst.downloadToBuffer(10, 10);
    assert.deepEqual(got, (await src.downloadToBuffer(100, 10)) as Buffer);
  });
});
