import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ShareClient, type ShareFileClient, ShareServiceClient } from "@azure/storage-file-share";
import { FakeClock } from "../packages/server/src/index.js";
import {
  A,
  B,
  fileKit,
  type Leasable,
  type LeasableKit,
  outcomeOf,
  rawOutcome,
} from "./helpers/lease-kit.js";
import { ALL_STATES, transitionTableTests } from "./helpers/lease-table.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const clock = new FakeClock();
let ts: TestServer;
let share: ShareClient;
let kit: LeasableKit;

before(async () => {
  ts = await startTestServer({ clock });
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(uniqueShareName());
  await share.create();
  kit = fileKit(ts, share);
});
after(async () => ts.dispose());

describe("file lease transition table, extended profile (official SDK; raw where it cannot)", () => {
  transitionTableTests({ kit: () => kit, clock, profile: "extended", states: ALL_STATES });
});

function fileNamed(r: Leasable): ShareFileClient {
  return share.rootDirectoryClient.getFileClient(r.url.split("/").pop() as string);
}

describe("file leases: the seed's examples (extended profile)", () => {
  test("a 60 s file lease: fixed, locked for 60 s, then expired and writable without an id", async () => {
    const r = await kit.fresh();
    const lease = fileNamed(r).getShareLeaseClient(A);
    const res = await lease.acquireLease(60);
    assert.equal(res._response.status, 201);
    assert.equal(res.leaseId, A);
    assert.deepEqual((await r.props()).facts, { state: "leased", status: "locked", duration: "fixed" });
    clock.advance(59_999);
    assert.equal((await r.write()).code, "LeaseIdMissing");
    clock.advance(1);
    assert.deepEqual((await r.props()).facts, { state: "expired", status: "unlocked", duration: undefined });
    assert.equal((await r.write()).status, 200);
  });

  test("renewing a file lease restarts its clock (raw: the SDK refuses renew on files)", async () => {
    const r = await kit.fresh();
    assert.equal((await r.acquire(A, 15)).status, 201);
    clock.advance(10_000);
    const renew = await r.renew(A);
    assert.equal(renew.status, 200);
    assert.equal(renew.header("x-ms-lease-id"), A);
    assert.equal(renew.header("etag"), r.created.etag);
    clock.advance(14_999); // 24.999 s after acquire
    assert.equal((await r.props()).facts.state, "leased");
    clock.advance(1);
    assert.equal((await r.props()).facts.state, "expired");
    // The SDK fails client-side before sending anything (its file-vs-share check is inverted).
    await assert.rejects(fileNamed(r).getShareLeaseClient(A).renewLease(), TypeError);
  });

  test("breaking a file lease with a 30 s period: breaking (writes with the id pass), broken at 30 s", async () => {
    const r = await kit.fresh();
    await r.acquire(A, -1);
    const brk = await r.breakLease(30);
    assert.equal(brk.status, 202);
    assert.equal(brk.header("x-ms-lease-time"), "30");
    assert.deepEqual((await r.props()).facts, { state: "breaking", status: "locked", duration: undefined });
    clock.advance(29_999);
    assert.equal((await r.write(A)).status, 200);
    assert.equal((await r.write()).code, "LeaseIdMissing");
    clock.advance(1);
    assert.deepEqual((await r.props()).facts, { state: "broken", status: "unlocked", duration: undefined });
    assert.equal((await r.write(A)).code, "LeaseNotPresentWithFileOperation");
    assert.equal((await r.write()).status, 200);
    assert.equal((await r.props()).facts.state, "available");
  });
});

describe("file leases: details beyond the table", () => {
  test("an immediate break through the SDK sends x-ms-lease-time: 0 (the SDK itself surfaces undefined)", async () => {
    const r = await kit.fresh();
    const lease = fileNamed(r).getShareLeaseClient();
    await lease.acquireLease(-1);
    const brk = await lease.breakLease();
    assert.equal(brk._response.status, 202);
    assert.equal(brk._response.headers.get("x-ms-lease-time"), "0");
    assert.equal(brk.etag, r.created.etag);
  });

  test("break period: min(period, remaining) on a fixed lease", async () => {
    const r = await kit.fresh();
    await r.acquire(A, 20);
    clock.advance(15_000);
    const brk = await r.breakLease(30);
    assert.equal(brk.header("x-ms-lease-time"), "5");
    clock.advance(5_000);
    assert.equal((await r.props()).facts.state, "broken");
  });

  test("x-ms-lease-time is whole seconds, rounded down", async () => {
    const r = await kit.fresh();
    await r.acquire(A, 60);
    clock.advance(500);
    assert.equal((await r.breakLease()).header("x-ms-lease-time"), "59");
  });

  test("change keeps the duration and the expiry time", async () => {
    const r = await kit.fresh();
    await r.acquire(A, 15);
    clock.advance(10_000);
    assert.equal((await r.change(A, B)).status, 200);
    assert.equal((await r.props()).facts.duration, "fixed");
    clock.advance(4_999);
    assert.equal((await r.read(B)).status, 200);
    clock.advance(1);
    assert.equal((await r.props()).facts.state, "expired");
  });

  test("a write without an id clears an expired file lease: renewing it then fails", async () => {
    const r = await kit.fresh();
    await r.acquire(A, 15);
    clock.advance(15_000);
    assert.equal((await r.write()).status, 200);
    assert.equal((await r.props()).facts.state, "available");
    const renew = await r.renew(A);
    assert.equal(renew.status, 409);
    assert.equal(renew.code, "LeaseIdMismatchWithLeaseOperation");
  });

  test("an expired lease cannot be renewed once the file was leased again", async () => {
    const r = await kit.fresh();
    await r.acquire(A, 15);
    clock.advance(15_000);
    await r.acquire(B, -1);
    await r.release(B);
    assert.equal((await r.renew(A)).code, "LeaseIdMismatchWithLeaseOperation");
  });

  test("Get File (download) reports x-ms-lease-status/state/duration like Get File Properties", async () => {
    const r = await kit.fresh();
    const file = fileNamed(r);
    let dl = await file.download();
    assert.equal(dl.leaseState, "available");
    assert.equal(dl.leaseStatus, "unlocked");
    assert.equal(dl.leaseDuration, undefined);
    await r.acquire(A, -1);
    dl = await file.download(0, 10);
    assert.equal(dl.leaseState, "leased");
    assert.equal(dl.leaseStatus, "locked");
    assert.equal(dl.leaseDuration, "infinite");
    await r.breakLease(0);
    dl = await file.download();
    assert.equal(dl.leaseState, "broken");
    assert.equal(dl.leaseDuration, undefined);
  });

  for (const duration of [0, 14, 61, -2]) {
    test(`duration ${duration} → 400 InvalidHeaderValue naming x-ms-lease-duration`, async () => {
      const r = await kit.fresh();
      const out = await outcomeOf(fileNamed(r).getShareLeaseClient(A).acquireLease(duration));
      assert.equal(out.status, 400);
      assert.equal(out.code, "InvalidHeaderValue");
      assert.match(out.body ?? "", /<HeaderName>x-ms-lease-duration<\/HeaderName>/);
      assert.match(out.body ?? "", new RegExp(`<HeaderValue>${duration}</HeaderValue>`));
    });
  }

  test("break period 61 → 400 InvalidHeaderValue naming x-ms-lease-break-period; nothing changes", async () => {
    const r = await kit.fresh();
    await r.acquire(A, -1);
    const out = await r.breakLease(61);
    assert.equal(out.status, 400);
    assert.match(
      out.body ?? "",
      /<HeaderName>x-ms-lease-break-period<\/HeaderName><HeaderValue>61<\/HeaderValue>/,
    );
    assert.equal((await r.props()).facts.state, "leased");
  });

  test("a lease on a missing file → 404 ResourceNotFound; on a directory → 404", async () => {
    const missing = await outcomeOf(
      share.rootDirectoryClient.getFileClient("nope.bin").getShareLeaseClient(A).acquireLease(-1),
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.code, "ResourceNotFound");
    await share.rootDirectoryClient.getDirectoryClient("a-dir").create();
    const dir = await rawOutcome(ts, "PUT", `${share.url}/a-dir?comp=lease`, {
      "x-ms-lease-action": "acquire",
      "x-ms-lease-duration": "-1",
    });
    assert.equal(dir.status, 404);
    assert.equal(dir.code, "ResourceNotFound");
  });
});
