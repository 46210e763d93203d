/**
 * `ShareClient` of `@sharelock/client` against a live Sharelock server: create/delete, properties,
 * quota, metadata, statistics, snapshots, child clients, share leases gating share operations.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ShareClient, SharedKeyCredential, type ShareServiceClient } from "../packages/client/src/index.js";
import {
  azureService,
  collect,
  FAST_RETRIES,
  ourService,
  rejectsWithShareError,
} from "./helpers/client-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let service: ShareServiceClient;

before(async () => {
  ts = await startTestServer();
  service = ourService(ts);
});
after(async () => ts.dispose());

describe("ShareClient against a live server", () => {
  test("constructor and fromConnectionString; url, name, accountName", async () => {
    const name = uniqueShareName("sh-ctor");
    const fromUrl = new ShareClient(
      `${ts.accountUrl}/${name}`,
      new SharedKeyCredential(ts.accountName, ts.accountKey),
      FAST_RETRIES,
    );
    const fromString = ShareClient.fromConnectionString(ts.connectionString, name, FAST_RETRIES);
    assert.equal(fromUrl.name, name);
    assert.equal(fromUrl.accountName, ts.accountName);
    assert.equal(fromUrl.url, `${ts.accountUrl}/${name}`);
    assert.equal(fromString.url, fromUrl.url);
    assert.equal(fromUrl.snapshot, undefined);
    const created = await fromUrl.create();
    assert.match(created.etag ?? "", /^"0x[0-9A-F]+"$/);
    assert.ok(created.lastModified instanceof Date);
    assert.equal(await fromString.exists(), true);
  });

  test("create with quota and metadata; getShareProperties; createIfNotExists; delete; deleteIfExists", async () => {
    const share = service.getShareClient(uniqueShareName("sh-crud"));
    assert.equal(await share.exists(), false);
    await rejectsWithShareError(share.getShareProperties(), { status: 404, code: "ShareNotFound" });
    const created = await share.create({ quota: 10, metadata: { owner: "tests", Mixed: "Case" } });
    const properties = await share.getShareProperties();
    assert.equal(properties.name, share.name);
    assert.equal(properties.quota, 10);
    assert.deepEqual(properties.metadata, { owner: "tests", mixed: "Case" });
    assert.deepEqual(properties.lease, { status: "unlocked", state: "available", duration: undefined });
    assert.equal(properties.etag, created.etag);
    assert.equal((await share.createIfNotExists()).succeeded, false);
    await share.delete();
    assert.equal(await share.deleteIfExists(), false);
    assert.equal((await share.createIfNotExists()).succeeded, true);
    assert.equal(await share.deleteIfExists(), true);
    await rejectsWithShareError(share.delete(), { status: 404, code: "ShareNotFound" });
  });

  test("setShareQuota, setShareProperties (quota, access tier), setShareMetadata", async () => {
    const share = await service.createShare(uniqueShareName("sh-props"), { quota: 5 });
    const quota = await share.setShareQuota(42);
    assert.ok(quota.etag);
    assert.equal((await share.getShareProperties()).quota, 42);
    await share.setShareProperties({ quota: 7, accessTier: "Cool" });
    const properties = await share.getShareProperties();
    assert.equal(properties.quota, 7);
    assert.equal(properties.accessTier, "Cool");
    assert.throws(() => share.setShareQuota(0), RangeError);

    await share.setShareMetadata({ a: "1", b: "two" });
    assert.deepEqual((await share.getShareProperties()).metadata, { a: "1", b: "two" });
    await share.setShareMetadata();
    assert.deepEqual((await share.getShareProperties()).metadata, {}, "an empty record removes all");
    // The official SDK sees the same share.
    const official = await azureService(ts).getShareClient(share.name).getProperties();
    assert.equal(official.quota, 7);
    assert.equal(official.accessTier, "Cool");
  });

  test("getShareStats counts the bytes stored", async () => {
    const share = await service.createShare(uniqueShareName("sh-stats"));
    assert.equal((await share.getShareStats()).shareUsageBytes, 0);
    await share.getFileClient("a.bin").uploadFile(new Uint8Array(3000));
    await share.getFileClient("b.bin").uploadFile(new Uint8Array(1234));
    assert.equal((await share.getShareStats()).shareUsageBytes, 4234);
  });

  test("createSnapshot, withSnapshot: a snapshot keeps the old content and refuses writes", async () => {
    const share = await service.createShare(uniqueShareName("sh-snap"));
    const file = share.getFileClient("doc.txt");
    await file.uploadFile("version 1");
    const snapshot = await share.createSnapshot({ metadata: { label: "v1" } });
    assert.match(snapshot.snapshot, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    await file.uploadFile("version 2");

    const old = share.withSnapshot(snapshot.snapshot);
    assert.equal(old.snapshot, snapshot.snapshot);
    assert.ok(old.url.includes(`sharesnapshot=${encodeURIComponent(snapshot.snapshot)}`));
    assert.deepEqual((await old.getShareProperties()).metadata, { label: "v1" });
    const oldFile = old.getFileClient("doc.txt");
    assert.equal((await (await oldFile.downloadFile()).readAll()).toString(), "version 1");
    assert.equal((await (await file.downloadFile()).readAll()).toString(), "version 2");
    assert.equal(
      (await (await file.withSnapshot(snapshot.snapshot).downloadFile()).readAll()).toString(),
      "version 1",
    );
    await rejectsWithShareError(oldFile.uploadFile("nope"), { status: 400 });
    assert.equal(share.withSnapshot(undefined).snapshot, undefined);

    await rejectsWithShareError(share.delete(), { status: 409, code: "ShareHasSnapshots" });
    await share.delete({ deleteSnapshots: true });
    assert.equal(await old.exists(), false);
  });

  test("child clients, createDirectory, deleteDirectory, listDirectoriesAndFiles of a subdirectory", async () => {
    const share = await service.createShare(uniqueShareName("sh-children"));
    const root = share.getRootDirectoryClient();
    assert.equal(root.path, "");
    assert.equal(root.shareName, share.name);
    const dir = await share.createDirectory("reports", { metadata: { kind: "reports" } });
    assert.equal(dir.path, "reports");
    await share.createDirectory("reports/2024");
    const nested = share.getDirectoryClient("reports/2024");
    assert.equal(nested.name, "2024");
    assert.equal(await nested.exists(), true);
    const file = share.getFileClient("reports/q1.csv");
    assert.equal(file.path, "reports/q1.csv");
    assert.equal(file.name, "q1.csv");
    await file.uploadFile("a,b\n1,2\n");

    const listed = await collect(share.listDirectoriesAndFiles({ directoryName: "reports" }));
    assert.deepEqual(
      listed.map((item) => [item.kind, item.name]),
      [
        ["directory", "2024"],
        ["file", "q1.csv"],
      ],
    );
    const rootListing = await collect(share.listDirectoriesAndFiles());
    assert.deepEqual(
      rootListing.map((item) => item.name),
      ["reports"],
    );
    assert.deepEqual((await dir.getDirectoryProperties()).metadata, { kind: "reports" });

    await rejectsWithShareError(share.deleteDirectory("reports"), { status: 409, code: "DirectoryNotEmpty" });
    await share.deleteDirectory("reports/2024");
    assert.equal(await nested.exists(), false);
    assert.throws(() => share.getFileClient(""), TypeError);
  });

  test("a share lease gates delete, metadata and properties; reads take it as a condition", async () => {
    const share = await service.createShare(uniqueShareName("sh-lease"));
    const lease = await share.acquireLease({ leaseDuration: 30 });
    const properties = await share.getShareProperties();
    assert.deepEqual(properties.lease, { status: "locked", state: "leased", duration: "fixed" });

    await rejectsWithShareError(share.setShareMetadata({ a: "1" }), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(share.setShareQuota(9), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(share.delete(), { status: 412, code: "LeaseIdMissing" });
    const wrong = "00000000-1111-4222-8333-444444444444";
    await rejectsWithShareError(share.setShareMetadata({ a: "1" }, { leaseId: wrong }), {
      status: 412,
      code: "LeaseIdMismatchWithContainerOperation",
    });
    await rejectsWithShareError(share.getShareProperties({ leaseId: wrong }), {
      status: 412,
      code: "LeaseIdMismatchWithContainerOperation",
    });
    await share.setShareMetadata({ a: "1" }, { leaseId: lease.id });
    await share.setShareQuota(9, { leaseId: lease.id });
    assert.equal((await share.getShareProperties({ leaseId: lease.id })).quota, 9);
    assert.ok((await share.getShareStats({ leaseId: lease.id })).shareUsageBytes >= 0);
    // File operations inside a leased share need no share lease id.
    await share.getFileClient("free.txt").uploadFile("files are not gated by a share lease");

    await share.delete({ leaseId: lease.id });
    assert.equal(await share.exists(), false);
  });
});
