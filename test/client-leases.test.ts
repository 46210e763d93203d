/**
 * `ShareLeaseClient` of `@sharelock/client` against a live Sharelock server: every lease action on
 * files and shares, the state each leaves behind (checked with the official SDK), the service's
 * error codes, `await using`, and auto-renewal on the real clock (kept alive past its duration;
 * loss reported when another client breaks the lease).
 *
 * The tests run concurrently (each on its own file or share), so the one that waits out a
 * 15-second lease sets the file's duration.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ShareServiceClient as AzureShareServiceClient } from "@azure/storage-file-share";
import {
  type ShareClient,
  type ShareError,
  type ShareFileClient,
  ShareLeaseClient,
  ShareServiceClient,
} from "../packages/client/src/index.js";
import {
  azureService,
  countingFetch,
  FAST_RETRIES,
  ourService,
  rejectsWithRestError,
  rejectsWithShareError,
} from "./helpers/client-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const OTHER_ID = "0f0f0f0f-1111-4222-8333-444444444444";
let ts: TestServer;
let strict: TestServer;
let share: ShareClient;
let azure: AzureShareServiceClient;
let fileCounter = 0;

before(async () => {
  [ts, strict] = await Promise.all([startTestServer(), startTestServer({ strict: true })]);
  share = await ourService(ts).createShare(uniqueShareName("leases"));
  azure = azureService(ts);
});
after(async () => Promise.all([ts.dispose(), strict.dispose()]));

/** A fresh file with some content. */
async function newFile(): Promise<ShareFileClient> {
  fileCounter += 1;
  const file = share.getFileClient(`file-${fileCounter}.txt`);
  await file.uploadFile("content");
  return file;
}

/** The lease state as the official SDK reads it: `state/status/duration`. */
async function azureFileLease(file: ShareFileClient): Promise<string> {
  const p = await azure
    .getShareClient(file.shareName)
    .rootDirectoryClient.getFileClient(file.path)
    .getProperties();
  return `${p.leaseState}/${p.leaseStatus}/${p.leaseDuration ?? "-"}`;
}

async function azureShareLease(shareClient: ShareClient): Promise<string> {
  const p = await azure.getShareClient(shareClient.name).getProperties();
  return `${p.leaseState}/${p.leaseStatus}/${p.leaseDuration ?? "-"}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("ShareLeaseClient against a live server", { concurrency: true }, () => {
  test("file lease: acquire with a chosen id, properties, renew, change, release", async () => {
    const file = await newFile();
    const { etag: fileEtag } = await file.getFileProperties();
    const lease = new ShareLeaseClient(file, OTHER_ID);
    assert.equal(lease.id, OTHER_ID);
    assert.equal(lease.isHeld, false);
    assert.equal(await lease.acquire({ leaseDuration: 30 }), lease, "acquire resolves to the lease client");
    assert.equal(lease.id, OTHER_ID);
    assert.equal(lease.isHeld, true);
    assert.equal(lease.leaseDuration, 30);
    assert.equal(lease.etag, fileEtag, "the lease reports the file's ETag");
    assert.ok(lease.lastModified instanceof Date);
    assert.deepEqual(lease.toJSON(), {
      id: OTHER_ID,
      etag: fileEtag,
      lastModified: lease.lastModified,
      leaseDuration: 30,
      isHeld: true,
      isAutoRenewing: false,
    });
    assert.deepEqual((await file.getFileProperties()).lease, {
      status: "locked",
      state: "leased",
      duration: "fixed",
    });
    assert.equal(await azureFileLease(file), "leased/locked/fixed");

    await lease.renew();
    assert.equal(await azureFileLease(file), "leased/locked/fixed");
    // Acquiring again with the same id changes the duration.
    await lease.acquire({ leaseDuration: -1 });
    assert.equal(await azureFileLease(file), "leased/locked/infinite");

    const newId = "11111111-2222-4333-8444-555555555555";
    await lease.change(newId);
    assert.equal(lease.id, newId);
    await rejectsWithShareError(file.setFileMetadata({ a: "1" }, { leaseId: OTHER_ID }), {
      status: 412,
      code: "LeaseIdMismatchWithFileOperation",
    });
    await file.setFileMetadata({ a: "1" }, { leaseId: newId });

    await lease.release();
    assert.equal(lease.isHeld, false);
    assert.equal(lease.id, newId, "the id is kept after release");
    assert.equal(await azureFileLease(file), "available/unlocked/-");
    await file.setFileMetadata({ a: "2" });
    assert.equal((await file.getFileProperties()).etag !== fileEtag, true);
  });

  test("file lease acquired without options is infinite with a random id; acquireLease shortcut", async () => {
    const file = await newFile();
    const lease = await file.acquireLease();
    assert.match(lease.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(lease.leaseDuration, -1);
    assert.equal(await azureFileLease(file), "leased/locked/infinite");
    const chosen = await (await newFile()).acquireLease({ leaseId: OTHER_ID, leaseDuration: 15 });
    assert.equal(chosen.id, OTHER_ID);
    await lease.release();
    await chosen.release();
  });

  test("a leased file refuses writes without the id (412) or with another id (412); reads are conditional", async () => {
    const file = await newFile();
    const lease = await file.acquireLease();
    await rejectsWithShareError(file.uploadFile("x"), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(file.setFileMetadata({ a: "1" }), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(file.setHttpHeaders({ contentType: "a/b" }), {
      status: 412,
      code: "LeaseIdMissing",
    });
    await rejectsWithShareError(file.uploadRange("x", 0), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(file.clearRange(0, 1), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(file.resizeFile(1), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(file.deleteFile(), { status: 412, code: "LeaseIdMissing" });
    await rejectsWithShareError(file.deleteFile({ leaseId: OTHER_ID }), {
      status: 412,
      code: "LeaseIdMismatchWithFileOperation",
    });
    await rejectsWithShareError(file.downloadFile({ leaseId: OTHER_ID }), {
      status: 412,
      code: "LeaseIdMismatchWithFileOperation",
    });
    await rejectsWithShareError(file.getFileProperties({ leaseId: OTHER_ID }), {
      status: 412,
      code: "LeaseIdMismatchWithFileOperation",
    });
    await rejectsWithShareError(file.listRanges({ leaseId: OTHER_ID }), {
      status: 412,
      code: "LeaseIdMismatchWithFileOperation",
    });
    // Reads without an id work; with the right id everything works.
    assert.equal((await (await file.downloadFile()).readAll()).toString(), "content");
    await file.uploadFile("new content", { leaseId: lease.id });
    await file.uploadRange("N", 0, { leaseId: lease.id });
    assert.equal(
      (await (await file.downloadFile({ leaseId: lease.id })).readAll()).toString(),
      "New content",
    );
    await file.deleteFile({ leaseId: lease.id });
    assert.equal(await file.exists(), false);
    // An unleased file refuses a lease id it does not have.
    const free = await newFile();
    await rejectsWithShareError(free.setFileMetadata({}, { leaseId: OTHER_ID }), {
      status: 412,
      code: "LeaseNotPresentWithFileOperation",
    });
  });

  test("lease action errors: LeaseAlreadyPresent, mismatches, no lease, bad duration, breaking, broken", async () => {
    const file = await newFile();
    await rejectsWithShareError(new ShareLeaseClient(file).breakLease(), {
      status: 409,
      code: "LeaseNotPresentWithLeaseOperation",
    });
    await rejectsWithShareError(new ShareLeaseClient(file).change(OTHER_ID), {
      status: 409,
      code: "LeaseNotPresentWithLeaseOperation",
    });
    await rejectsWithShareError(new ShareLeaseClient(file).acquire({ leaseDuration: 10 }), {
      status: 400,
      code: "InvalidHeaderValue",
    }).then((error) => assert.equal(error.details.HeaderName, "x-ms-lease-duration"));
    await assert.rejects(new ShareLeaseClient(file).acquire({ leaseDuration: 1.5 }), TypeError);

    const holder = await file.acquireLease({ leaseDuration: 60 });
    await rejectsWithShareError(new ShareLeaseClient(file).acquire(), {
      status: 409,
      code: "LeaseAlreadyPresent",
    });
    await rejectsWithShareError(new ShareLeaseClient(file, OTHER_ID).release(), {
      status: 409,
      code: "LeaseIdMismatchWithLeaseOperation",
    });
    await rejectsWithShareError(new ShareLeaseClient(file, OTHER_ID).renew(), {
      status: 409,
      code: "LeaseIdMismatchWithLeaseOperation",
    });

    assert.equal(await new ShareLeaseClient(file).breakLease({ leaseBreakPeriod: 30 }), 30);
    assert.equal(await azureFileLease(file), "breaking/locked/-");
    await rejectsWithShareError(holder.acquire(), {
      status: 409,
      code: "LeaseIsBreakingAndCannotBeAcquired",
    });
    await rejectsWithShareError(holder.change(OTHER_ID), {
      status: 409,
      code: "LeaseIsBreakingAndCannotBeChanged",
    });
    await rejectsWithShareError(new ShareLeaseClient(file).breakLease({ leaseBreakPeriod: 61 }), {
      status: 400,
      code: "InvalidHeaderValue",
    });
    // A shorter period shortens the break; 0 (the default) breaks at once.
    assert.equal(await new ShareLeaseClient(file).breakLease(), 0);
    assert.equal(await azureFileLease(file), "broken/unlocked/-");
    await rejectsWithShareError(holder.renew(), { status: 409, code: "LeaseIsBrokenAndCannotBeRenewed" });
    await holder.release();
    assert.equal(await azureFileLease(file), "available/unlocked/-");
  });

  test("a ShareLeaseClient needs a share or file client", () => {
    assert.throws(() => new ShareLeaseClient(share.getDirectoryClient("x") as never), TypeError);
  });

  test("share lease: fixed duration, renew, change, break with a period, release; snapshots lease separately", async () => {
    const leased = await ourService(ts).createShare(uniqueShareName("leased-share"));
    const lease = await leased.acquireLease({ leaseDuration: 15 });
    assert.equal(await azureShareLease(leased), "leased/locked/fixed");
    await lease.renew();
    await lease.change(OTHER_ID);
    assert.equal(lease.id, OTHER_ID);
    await rejectsWithRestError(
      azure.getShareClient(leased.name).setMetadata({ a: "1" }),
      412,
      "LeaseIdMissing",
    );
    await azure
      .getShareClient(leased.name)
      .setMetadata({ a: "1" }, { leaseAccessConditions: { leaseId: OTHER_ID } });

    const snapshot = await leased.createSnapshot();
    const snapshotLease = await leased.withSnapshot(snapshot.snapshot).acquireLease();
    assert.equal((await leased.withSnapshot(snapshot.snapshot).getShareProperties()).lease.state, "leased");
    assert.notEqual(snapshotLease.id, lease.id);

    assert.equal(await new ShareLeaseClient(leased).breakLease({ leaseBreakPeriod: 10 }), 10);
    assert.equal(await azureShareLease(leased), "breaking/locked/-");
    await lease.release();
    assert.equal(await azureShareLease(leased), "available/unlocked/-");
    await snapshotLease.release();
    await leased.delete({ deleteSnapshots: true });
  });

  test("await using releases at scope exit, also when the block throws", async () => {
    const file = await newFile();
    let leaseId = "";
    await assert.rejects(async () => {
      await using lease = await new ShareLeaseClient(file).acquire({ leaseDuration: 20 });
      leaseId = lease.id;
      assert.equal(await azureFileLease(file), "leased/locked/fixed");
      throw new Error("work failed");
    }, /work failed/);
    assert.equal(await azureFileLease(file), "available/unlocked/-");
    await rejectsWithShareError(file.setFileMetadata({}, { leaseId }), {
      status: 412,
      code: "LeaseNotPresentWithFileOperation",
    });
    {
      // A lease client that never acquired (or already released) has nothing to release.
      await using idle = new ShareLeaseClient(file);
      assert.equal(idle.isHeld, false);
    }
  });

  test("strict profile: the service's refusals reach the caller; break falls back to no period", async () => {
    const requests = countingFetch();
    const strictService = ShareServiceClient.fromConnectionString(strict.connectionString, {
      ...FAST_RETRIES,
      fetch: requests.fetch,
    });
    const strictShare = await strictService.createShare(uniqueShareName("strict"));
    const file = strictShare.getFileClient("f.txt");
    await file.uploadFile("x");
    await rejectsWithShareError(file.acquireLease({ leaseDuration: 15 }), {
      status: 400,
      code: "InvalidHeaderValue",
    });
    const lease = await file.acquireLease();
    await rejectsWithShareError(lease.renew(), { status: 400, code: "InvalidHeaderValue" });
    await rejectsWithShareError(new ShareLeaseClient(file).breakLease({ leaseBreakPeriod: 5 }), {
      status: 400,
      code: "InvalidHeaderValue",
    });
    requests.requests.length = 0;
    assert.equal(await new ShareLeaseClient(file).breakLease(), 0);
    const breaks = requests.requests.map((r) => r.headers.get("x-ms-lease-break-period"));
    assert.deepEqual(breaks, ["0", null], "period 0 refused, then broken without a period");
    assert.equal((await file.getFileProperties()).lease.state, "broken");
  });

  test("autoRenew keeps a 15 s lease alive for more than 15 s on the real clock", async () => {
    const file = await newFile();
    const requests = countingFetch();
    const renewingClient = ShareServiceClient.fromConnectionString(ts.connectionString, {
      ...FAST_RETRIES,
      fetch: requests.fetch,
    })
      .getShareClient(share.name)
      .getFileClient(file.path);
    const lost: ShareError[] = [];
    const lease = await renewingClient.acquireLease({
      leaseDuration: 15,
      autoRenew: { onLost: (error) => lost.push(error) },
    });
    assert.equal(lease.isAutoRenewing, true);
    const acquiredAt = Date.now();
    await sleep(16_500);
    assert.ok(Date.now() - acquiredAt > 15_000);

    // Still leased, by this lease: others are refused, the holder writes.
    assert.equal(await azureFileLease(file), "leased/locked/fixed");
    await rejectsWithShareError(new ShareLeaseClient(file).acquire({ leaseDuration: 15 }), {
      status: 409,
      code: "LeaseAlreadyPresent",
    });
    await file.setFileMetadata({ still: "mine" }, { leaseId: lease.id });
    const renewals = requests.requests.filter((r) => r.headers.get("x-ms-lease-action") === "renew");
    assert.ok(
      renewals.length >= 3 && renewals.length <= 5,
      `renewed every ~5 s: ${renewals.length} renewals`,
    );
    assert.deepEqual(lost, []);
    assert.equal(lease.signal.aborted, false);

    await lease.release();
    assert.equal(lease.isAutoRenewing, false);
    assert.equal(await azureFileLease(file), "available/unlocked/-");
  });

  test("autoRenew reports the loss when another client breaks the lease", async () => {
    const file = await newFile();
    const lost: ShareError[] = [];
    const lease = await file.acquireLease({
      leaseDuration: 15,
      autoRenew: { intervalMs: 200, onLost: (error) => lost.push(error) },
    });
    await sleep(450);
    assert.equal(lost.length, 0, "renewals succeed while nobody interferes");

    // Another client (the official SDK) breaks the lease at once.
    const azureFile = azure.getShareClient(file.shareName).rootDirectoryClient.getFileClient(file.path);
    await azureFile.getShareLeaseClient().breakLease();
    await waitFor(() => lost.length > 0, "onLost");

    const [error] = lost;
    assert.equal(lost.length, 1);
    assert.equal(error?.statusCode, 409);
    assert.equal(error?.errorCode, "LeaseIsBrokenAndCannotBeRenewed");
    assert.equal(lease.signal.aborted, true);
    assert.equal(lease.signal.reason, error);
    assert.equal(lease.lostError, error);
    assert.equal(lease.isHeld, false);
    assert.equal(lease.isAutoRenewing, false);
    // The next call on the lease client reports the loss once; then it works normally again.
    await assert.rejects(lease.renew(), (e: unknown) => e === error);
    await lease.release();
    assert.equal(await azureFileLease(file), "available/unlocked/-");
  });

  test("a loss not yet reported rejects the disposal at scope exit; startAutoRenew / stopAutoRenew", async () => {
    const file = await newFile();
    let disposalError: unknown;
    try {
      await using lease = await file.acquireLease({ leaseDuration: 20 });
      assert.equal(lease.isAutoRenewing, false);
      lease.startAutoRenew({ intervalMs: 100 });
      assert.equal(lease.isAutoRenewing, true);
      await new ShareLeaseClient(file).breakLease();
      await waitFor(() => lease.lostError !== undefined, "the renewer to notice the break");
    } catch (error) {
      disposalError = error;
    }
    assert.equal((disposalError as ShareError | undefined)?.errorCode, "LeaseIsBrokenAndCannotBeRenewed");

    const other = await newFile();
    const lease = await other.acquireLease({ leaseDuration: 15, autoRenew: true });
    assert.equal(lease.isAutoRenewing, true);
    lease.stopAutoRenew();
    assert.equal(lease.isAutoRenewing, false);
    assert.throws(() => new ShareLeaseClient(other).startAutoRenew(), TypeError);
    await lease.release();
  });
});
