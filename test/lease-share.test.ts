import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ShareItem, ShareServiceClient } from "@azure/storage-file-share";
import { FakeClock } from "../packages/server/src/index.js";
import {
  A,
  B,
  type LeasableKit,
  leasableShare,
  outcomeOf,
  rawOutcome,
  shareKit,
  stampOf,
} from "./helpers/lease-kit.js";
import { ALL_STATES, transitionTableTests } from "./helpers/lease-table.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const clock = new FakeClock();
let ts: TestServer;
let service: ShareServiceClient;
let kit: LeasableKit;

before(async () => {
  ts = await startTestServer({ clock });
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
  kit = shareKit(ts, service);
});
after(async () => ts.dispose());

describe("share lease transition table, extended profile (official SDK; raw where it cannot)", () => {
  transitionTableTests({ kit: () => kit, clock, profile: "extended", states: ALL_STATES });
});

async function newShare() {
  const share = service.getShareClient(uniqueShareName("sl"));
  const created = stampOf(await share.create());
  return { share, r: leasableShare(ts, share, created) };
}

async function listed(name: string): Promise<ShareItem> {
  for await (const item of service.listShares({ prefix: name })) if (item.name === name) return item;
  throw new Error(`share ${name} not listed`);
}

describe("share leases: details beyond the table", () => {
  test("the SDK's acquire/change/release/break report ids and times as Azure sends them", async () => {
    const { share } = await newShare();
    const lease = share.getShareLeaseClient(A);
    const acquired = await lease.acquireLease(20);
    assert.equal(acquired._response.status, 201);
    assert.equal(acquired.leaseId, A);
    const changed = await lease.changeLease(B);
    assert.equal(changed._response.status, 200);
    assert.equal(changed.leaseId, B);
    assert.equal(lease.leaseId, B);
    clock.advance(5_500);
    const broken = await lease.breakLease();
    assert.equal(broken._response.status, 202);
    // 14.5 s left: Azure reports whole seconds, rounded down.
    assert.equal(broken.leaseTimeInSeconds, 14);
    const released = await lease.releaseLease();
    assert.equal(released._response.status, 200);
    assert.equal(released.leaseId, undefined);
    assert.equal((await share.getProperties()).leaseState, "available");
  });

  test("a fixed lease expires at its duration; renew after expiry restarts the clock", async () => {
    const { r } = await newShare();
    assert.equal((await r.acquire(A, 15)).status, 201);
    clock.advance(14_999);
    assert.equal((await r.props()).facts.state, "leased");
    clock.advance(1);
    assert.deepEqual((await r.props()).facts, { state: "expired", status: "unlocked", duration: undefined });
    clock.advance(3_600_000); // an hour later: still renewable, nobody leased it since
    const renewed = await r.renew(A);
    assert.equal(renewed.status, 200);
    assert.equal(renewed.header("x-ms-lease-id"), A);
    clock.advance(14_999);
    assert.equal((await r.props()).facts.duration, "fixed");
    clock.advance(1);
    assert.equal((await r.props()).facts.state, "expired");
  });

  test("renew of a live fixed lease restarts its clock; change keeps duration and expiry", async () => {
    const { r } = await newShare();
    await r.acquire(A, 15);
    clock.advance(10_000);
    assert.equal((await r.renew(A)).status, 200);
    clock.advance(10_000); // 20 s after acquire, 10 s after renew
    assert.equal((await r.props()).facts.state, "leased");
    assert.equal((await r.change(A, B)).status, 200);
    clock.advance(4_999);
    assert.equal((await r.read(B)).status, 200);
    clock.advance(1);
    assert.equal((await r.props()).facts.state, "expired");
  });

  test("an expired lease cannot be renewed once the share was leased again", async () => {
    const { r } = await newShare();
    await r.acquire(A, 15);
    clock.advance(15_000);
    assert.equal((await r.acquire(B, 15)).status, 201);
    assert.equal((await r.release(B)).status, 200);
    const renew = await r.renew(A);
    assert.equal(renew.status, 409);
    assert.equal(renew.code, "LeaseIdMismatchWithLeaseOperation");
  });

  test("a share set-operation without an id leaves an expired lease renewable", async () => {
    const { r } = await newShare();
    await r.acquire(A, 15);
    clock.advance(16_000);
    assert.equal((await r.write()).status, 200);
    assert.equal((await r.props()).facts.state, "expired");
    assert.equal((await r.renew(A)).status, 200);
  });

  test("break period: min(period, remaining); the break completes at its time, not before", async () => {
    const { r } = await newShare();
    await r.acquire(A, 20);
    clock.advance(15_000);
    const brk = await r.breakLease(30);
    assert.equal(brk.status, 202);
    assert.equal(brk.header("x-ms-lease-time"), "5");
    clock.advance(4_999);
    assert.equal((await r.props()).facts.state, "breaking");
    assert.equal((await r.write(A)).status, 200, "writes with the id still pass while breaking");
    clock.advance(1);
    assert.deepEqual((await r.props()).facts, { state: "broken", status: "unlocked", duration: undefined });
    assert.equal((await r.write()).status, 200);
  });

  test("an infinite lease broken with a period: breaking for the period, then broken", async () => {
    const { r } = await newShare();
    await r.acquire(A, -1);
    const brk = await r.breakLease(60);
    assert.equal(brk.header("x-ms-lease-time"), "60");
    clock.advance(59_999);
    assert.equal((await r.write()).code, "LeaseIdMissing");
    clock.advance(1);
    assert.equal((await r.props()).facts.state, "broken");
  });

  for (const duration of [0, 1, 14, 61, -2]) {
    test(`duration ${duration} → 400 InvalidHeaderValue naming x-ms-lease-duration`, async () => {
      const { share, r } = await newShare();
      const sdk = await outcomeOf(share.getShareLeaseClient(A).acquireLease(duration));
      assert.equal(sdk.status, 400);
      assert.equal(sdk.code, "InvalidHeaderValue");
      const raw = await r.acquire(null, duration);
      assert.equal(raw.status, 400);
      assert.match(raw.body ?? "", /<HeaderName>x-ms-lease-duration<\/HeaderName>/);
      assert.match(raw.body ?? "", new RegExp(`<HeaderValue>${duration}</HeaderValue>`));
      assert.equal((await r.props()).facts.state, "available");
    });
  }

  for (const period of [61, -1]) {
    test(`break period ${period} → 400 InvalidHeaderValue naming x-ms-lease-break-period`, async () => {
      const { r } = await newShare();
      await r.acquire(A, -1);
      const out = await rawOutcome(ts, "PUT", `${r.url}?restype=share&comp=lease`, {
        "x-ms-lease-action": "break",
        "x-ms-lease-break-period": String(period),
      });
      assert.equal(out.status, 400);
      assert.equal(out.code, "InvalidHeaderValue");
      assert.match(out.body ?? "", /<HeaderName>x-ms-lease-break-period<\/HeaderName>/);
      assert.equal((await r.props()).facts.state, "leased");
    });
  }

  test("malformed requests: missing duration, unknown action, non-GUID ids", async () => {
    const { r } = await newShare();
    const url = `${r.url}?restype=share&comp=lease`;
    const noDuration = await rawOutcome(ts, "PUT", url, { "x-ms-lease-action": "acquire" });
    assert.equal(noDuration.status, 400);
    assert.equal(noDuration.code, "MissingRequiredHeader");
    const noAction = await rawOutcome(ts, "PUT", url, {});
    assert.equal(noAction.status, 400);
    assert.equal(noAction.code, "MissingRequiredHeader");
    const bad = await rawOutcome(ts, "PUT", url, { "x-ms-lease-action": "steal" });
    assert.equal(bad.code, "InvalidHeaderValue");
    const badId = await rawOutcome(ts, "PUT", url, {
      "x-ms-lease-action": "acquire",
      "x-ms-lease-duration": "-1",
      "x-ms-proposed-lease-id": "not-a-guid",
    });
    assert.equal(badId.status, 400);
    assert.equal(badId.code, "InvalidHeaderValue");
    const noId = await rawOutcome(ts, "PUT", url, { "x-ms-lease-action": "release" });
    assert.equal(noId.code, "MissingRequiredHeader");
    const textDuration = await rawOutcome(ts, "PUT", url, {
      "x-ms-lease-action": "acquire",
      "x-ms-lease-duration": "fifteen",
    });
    assert.equal(textDuration.status, 400);
    assert.equal(textDuration.code, "InvalidHeaderValue");
    assert.match(textDuration.body ?? "", /<HeaderName>x-ms-lease-duration<\/HeaderName>/);
    assert.equal((await r.props()).facts.state, "available");
  });

  test("lease ids compare case-insensitively; responses keep the stored spelling", async () => {
    const { r } = await newShare();
    await r.acquire(A.toUpperCase(), -1);
    assert.equal((await r.write(A)).status, 200);
    const again = await r.acquire(A, -1);
    assert.equal(again.status, 201);
    assert.equal(again.header("x-ms-lease-id"), A.toUpperCase());
  });

  test("a lease on a missing share → 404 ShareNotFound", async () => {
    const share = service.getShareClient(uniqueShareName("missing"));
    const out = await outcomeOf(share.getShareLeaseClient(A).acquireLease(-1));
    assert.equal(out.status, 404);
    assert.equal(out.code, "ShareNotFound");
  });

  test("List Shares reports LeaseStatus/LeaseState, and LeaseDuration only while leased", async () => {
    const { share, r } = await newShare();
    let item = await listed(share.name);
    assert.equal(item.properties.leaseStatus, "unlocked");
    assert.equal(item.properties.leaseState, "available");
    assert.equal(item.properties.leaseDuration, undefined);
    await r.acquire(A, 30);
    item = await listed(share.name);
    assert.equal(item.properties.leaseStatus, "locked");
    assert.equal(item.properties.leaseState, "leased");
    assert.equal(item.properties.leaseDuration, "fixed");
    await r.acquire(A, -1);
    assert.equal((await listed(share.name)).properties.leaseDuration, "infinite");
    await r.breakLease(20);
    item = await listed(share.name);
    assert.equal(item.properties.leaseState, "breaking");
    assert.equal(item.properties.leaseStatus, "locked");
    assert.equal(item.properties.leaseDuration, undefined);
    clock.advance(20_000);
    item = await listed(share.name);
    assert.equal(item.properties.leaseState, "broken");
    assert.equal(item.properties.leaseStatus, "unlocked");
    await r.acquire(B, 15);
    clock.advance(15_000);
    assert.equal((await listed(share.name)).properties.leaseState, "expired");
  });
});
