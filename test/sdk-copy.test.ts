/**
 * Copy File and Abort Copy File through the official SDK (and hand-signed requests for what the SDK
 * cannot send): synchronous copies that share the source's bytes, copy state on Get File, SMB copy
 * options, destination leases and read-only files, sources in snapshots and other shares, source
 * authorization (Shared Key of the same account, or the source's SAS) and unreachable sources.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  FileSASPermissions,
  FileSystemAttributes,
  type ShareClient,
  type ShareFileClient,
  ShareSASPermissions,
  ShareServiceClient,
} from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { signedRequest } from "./helpers/raw-request.js";
import { rejectsWith } from "./helpers/sdk-assertions.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const A = "aaaaaaaa-1111-4111-8111-00000000000a";
const B = "bbbbbbbb-2222-4222-8222-00000000000b";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SDDL = "O:BAG:SYD:(A;;FA;;;BA)(A;;0x1200a9;;;WD)";

let ts: TestServer;
let service: ShareServiceClient;
let share: ShareClient;

before(async () => {
  ts = await startTestServer();
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
  share = service.getShareClient(uniqueShareName("copy"));
  await share.create();
});
after(async () => ts.dispose());

let names = 0;
async function fileWith(data: Buffer | string, client: ShareClient = share): Promise<ShareFileClient> {
  names += 1;
  const file = client.rootDirectoryClient.getFileClient(`f${names}.bin`);
  await file.uploadData(typeof data === "string" ? Buffer.from(data) : data);
  return file;
}

function target(client: ShareClient = share): ShareFileClient {
  names += 1;
  return client.rootDirectoryClient.getFileClient(`dst${names}.bin`);
}

/** Bytes in the extent files: copies must not add to them. */
function extentBytes(): number {
  let total = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else total += statSync(path).size;
    }
  };
  walk(join(ts.dataDir, "extents"));
  return total;
}

function rawCopy(dest: ShareFileClient, source: string, headers: Record<string, string> = {}) {
  return signedRequest({
    method: "PUT",
    url: dest.url,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    headers: { "x-ms-copy-source": source, ...headers },
  });
}

describe("Copy File", () => {
  test("is synchronous: 202 success with a GUID copy id; Get File reports the copy state", async () => {
    const data = randomBytes(300_000);
    const src = await fileWith(data);
    await src.setHttpHeaders({ fileContentType: "image/png", fileCacheControl: "max-age=5" });
    await src.setMetadata({ from: "source" });
    const dst = target();
    const res = await dst.startCopyFromURL(src.url);
    assert.equal(res._response.status, 202);
    assert.equal(res.copyStatus, "success");
    assert.match(res.copyId ?? "", GUID);

    const props = await dst.getProperties();
    assert.equal(props.copyId, res.copyId);
    assert.equal(props.copyStatus, "success");
    assert.equal(props.copySource, src.url);
    assert.equal(props.copyProgress, `${data.length}/${data.length}`);
    assert.ok(props.copyCompletedOn instanceof Date && !Number.isNaN(props.copyCompletedOn.getTime()));
    assert.equal(props.etag, res.etag);
    assert.equal(props.contentLength, data.length);
    assert.equal(props.contentType, "image/png");
    assert.equal(props.cacheControl, "max-age=5");
    assert.deepEqual(props.metadata, { from: "source" });
    const download = await dst.download();
    assert.equal(download.copyId, res.copyId);
    assert.equal(download.copyStatus, "success");
    assert.deepEqual(await dst.downloadToBuffer(), data);
    // A file that was never copied into has no copy state.
    assert.equal((await src.getProperties()).copyId, undefined);
  });

  test("shares the source's bytes: the extent files do not grow, and the copies stay independent", async () => {
    const data = randomBytes(1024 * 1024);
    const src = await fileWith(data);
    const before = extentBytes();
    const dst = target();
    await dst.startCopyFromURL(src.url);
    assert.equal(extentBytes(), before, "no bytes were written for the copy");
    assert.deepEqual(await dst.downloadToBuffer(), data);
    await dst.uploadRange(Buffer.alloc(512, 7), 0, 512);
    assert.deepEqual(await src.downloadToBuffer(), data, "writing the copy leaves the source alone");
    assert.deepEqual((await dst.getRangeList()).rangeList, (await src.getRangeList()).rangeList);
  });

  test("overwrites an existing destination, keeping its FileId; metadata from the request wins", async () => {
    const src = await fileWith("short");
    const dst = await fileWith(randomBytes(5000));
    const before = await dst.getProperties();
    await dst.startCopyFromURL(src.url, { metadata: { given: "yes" } });
    const props = await dst.getProperties();
    assert.equal(props.fileId, before.fileId);
    assert.equal(props.contentLength, 5);
    assert.deepEqual(props.metadata, { given: "yes" });
    assert.equal((await dst.downloadToBuffer()).toString(), "short");
    // Copying a file onto itself is allowed and keeps its content.
    await src.startCopyFromURL(src.url);
    assert.equal((await src.downloadToBuffer()).toString(), "short");
  });

  test("from another share and from a share snapshot", async () => {
    const other = service.getShareClient(uniqueShareName("copysrc"));
    await other.create();
    const src = await fileWith("version one", other);
    const snapshot = await other.createSnapshot();
    await src.uploadData(Buffer.from("version two!"));
    const fromOther = target();
    await fromOther.startCopyFromURL(src.url);
    assert.equal((await fromOther.downloadToBuffer()).toString(), "version two!");

    const snapshotUrl = src.withShareSnapshot(snapshot.snapshot ?? "").url;
    assert.match(snapshotUrl, /sharesnapshot=/);
    const fromSnapshot = target();
    await fromSnapshot.startCopyFromURL(snapshotUrl);
    assert.equal((await fromSnapshot.downloadToBuffer()).toString(), "version one");
    assert.equal((await fromSnapshot.getProperties()).copySource, snapshotUrl);
  });

  test("SMB options: source values, explicit values, set-archive, and the permission copy modes", async () => {
    const src = await fileWith("smb");
    await src.setProperties({
      fileAttributes: FileSystemAttributes.parse("Hidden|System"),
      creationTime: new Date("2020-01-02T03:04:05.678Z"),
      lastWriteTime: new Date("2020-02-03T04:05:06.789Z"),
      filePermission: SDDL,
    });
    const source = await src.getProperties();

    const copied = target();
    await copied.startCopyFromURL(src.url, {
      copyFileSmbInfo: {
        fileAttributes: "source",
        fileCreationTime: "source",
        fileLastWriteTime: "source",
        fileChangeTime: "source",
        filePermissionCopyMode: "source",
      },
    });
    const c = await copied.getProperties();
    assert.equal(c.fileAttributes, source.fileAttributes);
    assert.equal(c.fileCreatedOn?.getTime(), source.fileCreatedOn?.getTime());
    assert.equal(c.fileLastWriteOn?.getTime(), source.fileLastWriteOn?.getTime());
    assert.equal(c.fileChangeOn?.getTime(), source.fileChangeOn?.getTime());
    assert.equal(c.filePermissionKey, source.filePermissionKey);

    const defaults = target();
    await defaults.startCopyFromURL(src.url);
    const d = await defaults.getProperties();
    assert.equal(d.fileAttributes, "Archive");
    assert.notEqual(d.filePermissionKey, source.filePermissionKey);
    assert.ok((d.fileCreatedOn?.getTime() ?? 0) > (source.fileCreatedOn?.getTime() ?? 0));

    const explicit = target();
    await explicit.startCopyFromURL(src.url, {
      filePermission: SDDL,
      copyFileSmbInfo: {
        fileAttributes: "ReadOnly",
        fileCreationTime: "2021-06-07T08:09:10.1234567Z",
        filePermissionCopyMode: "override",
        setArchiveAttribute: true,
      },
    });
    const e = await explicit.getProperties();
    assert.equal(e.filePermissionKey, source.filePermissionKey, "same SDDL, same key");
    assert.equal(e.fileCreatedOn?.toISOString(), "2021-06-07T08:09:10.123Z");
    const attrs = FileSystemAttributes.parse(e.fileAttributes ?? "");
    assert.ok(attrs.readonly && attrs.archive, e.fileAttributes);

    await rejectsWith(
      target().startCopyFromURL(src.url, { copyFileSmbInfo: { filePermissionCopyMode: "override" } }),
      400,
      "MissingRequiredHeader",
    );
    const badMode = await rawCopy(target(), src.url, { "x-ms-file-permission-copy-mode": "inherit" });
    assert.equal(badMode.status, 400);
    assert.equal(badMode.headers.get("x-ms-error-code"), "InvalidHeaderValue");
    const badBool = await rawCopy(target(), src.url, { "x-ms-file-copy-ignore-readonly": "maybe" });
    assert.equal(badBool.status, 400);
    assert.equal(badBool.headers.get("x-ms-error-code"), "InvalidHeaderValue");
  });

  test("a ReadOnly destination needs ignore-readonly (409 ReadOnlyAttribute); a directory is never one", async () => {
    const src = await fileWith("ro");
    const dst = target();
    await dst.create(10, { fileAttributes: FileSystemAttributes.parse("ReadOnly") });
    await rejectsWith(dst.startCopyFromURL(src.url), 409, "ReadOnlyAttribute");
    await dst.startCopyFromURL(src.url, { copyFileSmbInfo: { ignoreReadOnly: true } });
    assert.equal((await dst.downloadToBuffer()).toString(), "ro");
    const dir = share.getDirectoryClient(`dir${names}`);
    await dir.create();
    await rejectsWith(
      share.rootDirectoryClient.getFileClient(dir.name).startCopyFromURL(src.url),
      409,
      "ResourceAlreadyExists",
    );
  });

  test("destination lease: required when leased, refused when the file has none; the lease stays", async () => {
    const src = await fileWith("leased copy");
    const dst = await fileWith("old");
    await dst.getShareLeaseClient(A).acquireLease();
    await rejectsWith(dst.startCopyFromURL(src.url), 412, "LeaseIdMissing");
    await rejectsWith(
      dst.startCopyFromURL(src.url, { leaseAccessConditions: { leaseId: B } }),
      412,
      "LeaseIdMismatchWithFileOperation",
    );
    await dst.startCopyFromURL(src.url, { leaseAccessConditions: { leaseId: A } });
    const props = await dst.getProperties();
    assert.equal(props.leaseState, "leased");
    assert.equal((await dst.downloadToBuffer()).toString(), "leased copy");
    await rejectsWith(
      target().startCopyFromURL(src.url, { leaseAccessConditions: { leaseId: A } }),
      412,
      "LeaseNotPresentWithFileOperation",
    );
    // A leased source is read without its lease id.
    const leasedSource = await fileWith("locked source");
    await leasedSource.getShareLeaseClient(B).acquireLease();
    const dst2 = target();
    await dst2.startCopyFromURL(leasedSource.url);
    assert.equal((await dst2.downloadToBuffer()).toString(), "locked source");
  });

  test("a missing source is 404; a destination in a snapshot or a missing parent is refused", async () => {
    await rejectsWith(
      target().startCopyFromURL(share.rootDirectoryClient.getFileClient("nothing.bin").url),
      404,
      "ResourceNotFound",
    );
    await rejectsWith(
      target().startCopyFromURL(
        service.getShareClient("no-such-share").rootDirectoryClient.getFileClient("x").url,
      ),
      404,
      "ShareNotFound",
    );
    const src = await fileWith("x");
    await rejectsWith(
      share.getDirectoryClient("missing").getFileClient("x").startCopyFromURL(src.url),
      404,
      "ParentNotFound",
    );
    const snapshot = await share.createSnapshot();
    await rejectsWith(
      target(share.withSnapshot(snapshot.snapshot ?? "")).startCopyFromURL(src.url),
      400,
      "ShareSnapshotOperationNotSupported",
    );
  });

  test("a source on another host is never fetched: 400 CannotVerifyCopySource", async () => {
    const dst = target();
    const err = await rejectsWith(
      dst.startCopyFromURL("https://someone.blob.core.windows.net/c/b.txt"),
      400,
      "CannotVerifyCopySource",
    );
    assert.match(err.message, /Could not verify the copy source/);
    await rejectsWith(dst.getProperties(), 404, "ResourceNotFound");
    const notUrl = await rawCopy(dst, "not a url");
    assert.equal(notUrl.status, 400);
    assert.equal(notUrl.headers.get("x-ms-error-code"), "InvalidHeaderValue");
  });

  test("source authorization: Shared Key covers its own account; a SAS request needs the source's SAS", async () => {
    const src = await fileWith("authorized");
    const sas = await share.generateSasUrl({
      permissions: ShareSASPermissions.parse("rcw"),
      expiresOn: new Date(Date.now() + 3600_000),
    });
    const sasShare = new ShareServiceClient(`${ts.accountUrl}${new URL(sas).search}`).getShareClient(
      share.name,
    );
    const viaSas = target(sasShare);
    const err = await rejectsWith(viaSas.startCopyFromURL(src.url), 401, "CannotVerifyCopySource");
    assert.equal(err.response?.headers.get("x-ms-copy-source-status-code"), "401");
    assert.equal(err.response?.headers.get("x-ms-copy-source-error-code"), "NoAuthenticationInformation");

    const readable = await src.generateSasUrl({
      permissions: FileSASPermissions.parse("r"),
      expiresOn: new Date(Date.now() + 3600_000),
    });
    await viaSas.startCopyFromURL(readable);
    assert.equal((await viaSas.downloadToBuffer()).toString(), "authorized");
    const props = await viaSas.getProperties();
    assert.ok(props.copySource?.includes("sp=r"), props.copySource);
    assert.ok(!props.copySource?.includes("sig="), "the signature is not kept");

    const writeOnly = await src.generateSasUrl({
      permissions: FileSASPermissions.parse("w"),
      expiresOn: new Date(Date.now() + 3600_000),
    });
    const denied = await rejectsWith(target().startCopyFromURL(writeOnly), 403, "CannotVerifyCopySource");
    assert.equal(
      denied.response?.headers.get("x-ms-copy-source-error-code"),
      "AuthorizationPermissionMismatch",
    );
    const forged = `${readable.replace(/sig=[^&]+/, "sig=AAAA")}`;
    const bad = await rejectsWith(target().startCopyFromURL(forged), 403, "CannotVerifyCopySource");
    assert.equal(bad.response?.headers.get("x-ms-copy-source-error-code"), "AuthenticationFailed");

    const bearer = await rawCopy(target(), src.url, { "x-ms-copy-source-authorization": "Bearer abc" });
    assert.equal(bearer.status, 401);
    assert.equal(bearer.headers.get("x-ms-error-code"), "CannotVerifyCopySource");
    const basic = await rawCopy(target(), src.url, { "x-ms-copy-source-authorization": "Basic abc" });
    assert.equal(basic.status, 400);
    assert.equal(basic.headers.get("x-ms-error-code"), "InvalidHeaderValue");
  });

  test("Create File and Set File Properties end the reported copy state; Put Range does not", async () => {
    const src = await fileWith("state");
    const dst = target();
    const { copyId } = await dst.startCopyFromURL(src.url);
    await dst.uploadRange(Buffer.from("S"), 0, 1);
    assert.equal((await dst.getProperties()).copyId, copyId);
    await dst.setHttpHeaders({ fileContentType: "text/plain" });
    assert.equal((await dst.getProperties()).copyId, undefined);
    await dst.startCopyFromURL(src.url);
    await dst.create(3);
    const props = await dst.getProperties();
    assert.equal(props.copyId, undefined);
    assert.equal(props.copyStatus, undefined);
  });
});

describe("Abort Copy File", () => {
  test("a completed copy cannot be aborted: 409 NoPendingCopyOperation", async () => {
    const src = await fileWith("done");
    const dst = target();
    const { copyId } = await dst.startCopyFromURL(src.url);
    await rejectsWith(dst.abortCopyFromURL(copyId ?? ""), 409, "NoPendingCopyOperation");
    // Any copy id in GUID form gets the same answer: nothing is pending.
    await rejectsWith(dst.abortCopyFromURL(A), 409, "NoPendingCopyOperation");
    assert.equal((await dst.downloadToBuffer()).toString(), "done");
  });

  test("validation, the file and its lease come first", async () => {
    const src = await fileWith("abort");
    const dst = target();
    const { copyId = "" } = await dst.startCopyFromURL(src.url);
    await rejectsWith(dst.abortCopyFromURL("copynotstarted"), 400, "InvalidQueryParameterValue");
    await rejectsWith(target().abortCopyFromURL(copyId), 404, "ResourceNotFound");
    await dst.getShareLeaseClient(A).acquireLease();
    await rejectsWith(dst.abortCopyFromURL(copyId), 412, "LeaseIdMissing");
    await rejectsWith(
      dst.abortCopyFromURL(copyId, { leaseAccessConditions: { leaseId: A } }),
      409,
      "NoPendingCopyOperation",
    );
    const raw = (query: string, headers: Record<string, string>) =>
      signedRequest({
        method: "PUT",
        url: `${dst.url}?comp=copy${query}`,
        accountName: ts.accountName,
        accountKey: ts.accountKey,
        headers,
      });
    const noId = await raw("", { "x-ms-copy-action": "abort" });
    assert.equal(noId.status, 400);
    assert.equal(noId.headers.get("x-ms-error-code"), "MissingRequiredQueryParameter");
    const noAction = await raw(`&copyid=${copyId}`, {});
    assert.equal(noAction.status, 400);
    assert.equal(noAction.headers.get("x-ms-error-code"), "MissingRequiredHeader");
    const badAction = await raw(`&copyid=${copyId}`, { "x-ms-copy-action": "pause" });
    assert.equal(badAction.status, 400);
    assert.equal(badAction.headers.get("x-ms-error-code"), "InvalidHeaderValue");
  });
});
