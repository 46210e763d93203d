import assert from "node:assert/strict";
import { after, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { FakeClock } from "../packages/server/src/index.js";
import { A, B, C, type Leasable, leasableFile, leasableShare, stampOf } from "./helpers/lease-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

/** Leases are stored timestamps, not timers: their states survive a restart and move on with the clock. */

const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  await servers[servers.length - 1]?.dispose();
});

/** Starts a server; given an earlier one, on the same data (its directory, and its PostgreSQL schema if any). */
async function start(clock: FakeClock, earlier?: TestServer): Promise<TestServer> {
  const ts = await startTestServer({
    clock,
    ...(earlier ? { dataDir: earlier.dataDir } : {}),
    ...(earlier?.postgres
      ? { postgresUrl: earlier.postgres.url, postgresSchema: earlier.postgres.schema }
      : {}),
  });
  servers.push(ts);
  return ts;
}

/** Leasables for the same share and files on (possibly another instance of) a server. */
function resources(ts: TestServer, shareName: string, stamps: Map<string, Leasable["created"]>) {
  const share: ShareClient = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(
    shareName,
  );
  const file = (name: string) =>
    leasableFile(ts, share.rootDirectoryClient.getFileClient(name), stamps.get(name) as Leasable["created"]);
  return { share: leasableShare(ts, share, stamps.get("") as Leasable["created"]), file };
}

test("fixed, infinite and breaking leases survive a restart; expiry and break completion follow the new clock", async () => {
  const clock = new FakeClock();
  const ts1 = await start(clock);
  const shareName = uniqueShareName("restart");
  const stamps = new Map<string, Leasable["created"]>();
  const sdkShare = ShareServiceClient.fromConnectionString(ts1.connectionString).getShareClient(shareName);
  stamps.set("", stampOf(await sdkShare.create()));
  for (const name of ["fixed.bin", "infinite.bin", "breaking.bin"]) {
    stamps.set(name, stampOf(await sdkShare.rootDirectoryClient.getFileClient(name).create(512)));
  }
  const before = resources(ts1, shareName, stamps);
  assert.equal((await before.file("fixed.bin").acquire(A, 30)).status, 201);
  assert.equal((await before.file("infinite.bin").acquire(B, -1)).status, 201);
  assert.equal((await before.file("breaking.bin").acquire(C, -1)).status, 201);
  assert.equal((await before.file("breaking.bin").breakLease(45)).header("x-ms-lease-time"), "45");
  assert.equal((await before.share.acquire(A, 20)).status, 201);
  await ts1.stop();

  // A new server on the same data, its clock 31 s later: past the 30 s and 20 s leases, inside the break.
  const later = new FakeClock(clock.now() + 31_000);
  const ts2 = await start(later, ts1);
  const afterRestart = resources(ts2, shareName, stamps);
  const expired = { state: "expired", status: "unlocked", duration: undefined };
  assert.deepEqual((await afterRestart.file("fixed.bin").props()).facts, expired);
  assert.deepEqual((await afterRestart.share.props()).facts, expired);
  assert.deepEqual((await afterRestart.file("infinite.bin").props()).facts, {
    state: "leased",
    status: "locked",
    duration: "infinite",
  });
  assert.equal((await afterRestart.file("infinite.bin").write()).code, "LeaseIdMissing");
  assert.equal((await afterRestart.file("infinite.bin").write(B)).status, 200);
  const breaking = afterRestart.file("breaking.bin");
  assert.equal((await breaking.props()).facts.state, "breaking");
  assert.equal((await breaking.write()).code, "LeaseIdMissing");

  // Renew after expiry works on the new instance, and restarts the clock from its "now".
  const renewFile = await afterRestart.file("fixed.bin").renew(A);
  assert.equal(renewFile.status, 200);
  assert.equal(renewFile.header("x-ms-lease-id"), A);
  assert.equal((await afterRestart.share.renew(A)).status, 200);
  assert.equal((await afterRestart.file("fixed.bin").props()).facts.state, "leased");
  assert.equal((await afterRestart.share.props()).facts.duration, "fixed");

  later.advance(14_000); // 45 s after the break
  assert.deepEqual((await breaking.props()).facts, {
    state: "broken",
    status: "unlocked",
    duration: undefined,
  });
  assert.equal((await afterRestart.share.props()).facts.state, "leased"); // 14 s into a renewed 20 s lease
  later.advance(6_000);
  assert.equal((await afterRestart.share.props()).facts.state, "expired");
  assert.equal((await afterRestart.file("fixed.bin").props()).facts.state, "leased"); // 20 s into 30 s
});
