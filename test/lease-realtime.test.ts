import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ShareServiceClient } from "@azure/storage-file-share";
import { A, B, leasableFile, leasableShare, stampOf } from "./helpers/lease-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

/** The one test on the real clock: a fixed 15 s lease expires by itself (everything else uses FakeClock). */

let ts: TestServer;
before(async () => {
  ts = await startTestServer(); // system clock
});
after(async () => ts.dispose());

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await sleep(wait);
}

test("a fixed 15 s file lease and share lease expire in real time (bounded: leased at 14 s, expired at 15 s)", {
  timeout: 30_000,
}, async () => {
  const sdkShare = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(
    uniqueShareName("realtime"),
  );
  const share = leasableShare(ts, sdkShare, stampOf(await sdkShare.create()));
  const sdkFile = sdkShare.rootDirectoryClient.getFileClient("timed.bin");
  const file = leasableFile(ts, sdkFile, stampOf(await sdkFile.create(512)));

  const t0 = Date.now();
  const [f, s] = await Promise.all([file.acquire(A, 15), share.acquire(B, 15)]);
  const t1 = Date.now();
  assert.equal(f.status, 201);
  assert.equal(s.status, 201);
  assert.ok(t1 - t0 < 1_000, "acquired within a second");

  // Both leases end between t0 + 15 s and t1 + 15 s.
  await sleepUntil(t0 + 14_000);
  for (const r of [file, share]) {
    assert.deepEqual((await r.props()).facts, { state: "leased", status: "locked", duration: "fixed" });
  }
  assert.equal((await file.write()).code, "LeaseIdMissing");

  await sleepUntil(t1 + 15_000 + 50);
  for (const r of [file, share]) {
    assert.deepEqual((await r.props()).facts, { state: "expired", status: "unlocked", duration: undefined });
  }
  assert.equal((await share.write()).status, 200, "an expired share lease no longer gates");
  assert.equal((await file.write(A)).code, "LeaseLost");
  assert.equal((await share.renew(B)).status, 200, "and can be renewed");
  assert.equal((await share.props()).facts.state, "leased");
});
