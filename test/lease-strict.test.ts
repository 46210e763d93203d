import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { FakeClock } from "../packages/server/src/index.js";
import { A, fileKit, type LeasableKit, outcomeOf, rawOutcome, shareKit } from "./helpers/lease-kit.js";
import { ALL_STATES, transitionTableTests } from "./helpers/lease-table.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const clock = new FakeClock();
let ts: TestServer;
let share: ShareClient;
let files: LeasableKit;
let shares: LeasableKit;

before(async () => {
  ts = await startTestServer({ clock, strict: true });
  const service = ShareServiceClient.fromConnectionString(ts.connectionString);
  share = service.getShareClient(uniqueShareName("strict"));
  await share.create();
  files = fileKit(ts, share);
  shares = shareKit(ts, service);
});
after(async () => ts.dispose());

describe("strict profile: file lease transition table (Azure's three states)", () => {
  transitionTableTests({
    kit: () => files,
    clock,
    profile: "strict",
    states: ["available", "leased-infinite", "broken"],
  });
});

describe("strict profile: share lease transition table (shares behave as in the extended profile)", () => {
  transitionTableTests({ kit: () => shares, clock, profile: "strict", states: ALL_STATES });
});

describe("strict profile: file leases exactly as Azure", () => {
  for (const duration of [15, 60, 30, 0]) {
    test(`the SDK's acquireLease(${duration}) on a file → 400 InvalidHeaderValue (x-ms-lease-duration)`, async () => {
      const r = await files.fresh();
      const file = share.rootDirectoryClient.getFileClient(r.url.split("/").pop() as string);
      const sdk = await outcomeOf(file.getShareLeaseClient(A).acquireLease(duration));
      assert.equal(sdk.status, 400);
      assert.equal(sdk.code, "InvalidHeaderValue");
      assert.match(sdk.body ?? "", /<HeaderName>x-ms-lease-duration<\/HeaderName>/);
      assert.match(sdk.body ?? "", new RegExp(`<HeaderValue>${duration}</HeaderValue>`));
      assert.equal((await r.props()).facts.state, "available");
    });
  }

  test("a file break is immediate: 202 with x-ms-lease-time 0 → broken", async () => {
    const r = await files.fresh();
    const file = share.rootDirectoryClient.getFileClient(r.url.split("/").pop() as string);
    const lease = file.getShareLeaseClient();
    await lease.acquireLease(-1);
    const brk = await lease.breakLease();
    assert.equal(brk._response.status, 202);
    assert.equal(brk._response.headers.get("x-ms-lease-time"), "0");
    assert.deepEqual((await r.props()).facts, { state: "broken", status: "unlocked", duration: undefined });
  });

  test("renew on a file lease → 400 InvalidHeaderValue naming x-ms-lease-action", async () => {
    const r = await files.fresh();
    await r.acquire(A, -1);
    const out = await r.renew(A);
    assert.equal(out.status, 400);
    assert.match(
      out.body ?? "",
      /<HeaderName>x-ms-lease-action<\/HeaderName><HeaderValue>renew<\/HeaderValue>/,
    );
    assert.equal((await r.props()).facts.state, "leased");
  });

  test("shares still take fixed leases and break periods under --strict", async () => {
    const r = await shares.fresh();
    assert.equal((await r.acquire(A, 15)).status, 201);
    assert.equal((await r.renew(A)).status, 200);
    const brk = await r.breakLease(10);
    assert.equal(brk.header("x-ms-lease-time"), "10");
    clock.advance(10_000);
    assert.equal((await r.props()).facts.state, "broken");
    const raw = await rawOutcome(ts, "PUT", `${r.url}?restype=share&comp=lease`, {
      "x-ms-lease-action": "acquire",
      "x-ms-lease-duration": "61",
    });
    assert.equal(raw.status, 400);
  });
});
