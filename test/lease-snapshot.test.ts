import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { FakeClock } from "../packages/server/src/index.js";
import { A, B, outcomeOf } from "./helpers/lease-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

/** Share snapshots carry their own lease, independent of the base share's. */

const clock = new FakeClock();
let ts: TestServer;
let service: ShareServiceClient;

before(async () => {
  ts = await startTestServer({ clock });
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
});
after(async () => ts.dispose());

async function shareWithSnapshot(): Promise<{ base: ShareClient; snap: ShareClient }> {
  const base = service.getShareClient(uniqueShareName("snap"));
  await base.create();
  await base.rootDirectoryClient.getFileClient("f.bin").create(512);
  const { snapshot } = await base.createSnapshot();
  assert.ok(snapshot);
  return { base, snap: base.withSnapshot(snapshot) };
}

describe("share snapshot leases", () => {
  test("a snapshot's lease is independent of the base share's", async () => {
    const { base, snap } = await shareWithSnapshot();
    const acquired = await snap.getShareLeaseClient(A).acquireLease(30);
    assert.equal(acquired._response.status, 201);
    assert.equal((await snap.getProperties()).leaseState, "leased");
    assert.equal((await snap.getProperties()).leaseDuration, "fixed");
    assert.equal((await base.getProperties()).leaseState, "available");
    assert.equal((await base.getShareLeaseClient(B).acquireLease(-1))._response.status, 201);
    assert.equal(
      (
        await base
          .getShareLeaseClient(A)
          .releaseLease()
          .catch((e) => e)
      ).statusCode,
      409,
    );
    assert.equal((await snap.getShareLeaseClient(A).releaseLease())._response.status, 200);
    assert.equal((await base.getProperties()).leaseState, "leased");
  });

  test("Create Snapshot is not gated by the base share's lease", async () => {
    const base = service.getShareClient(uniqueShareName("snap"));
    await base.create();
    await base.getShareLeaseClient(A).acquireLease(-1);
    const res = await base.createSnapshot();
    assert.equal(res._response.status, 201);
  });

  test("a leased snapshot is deleted only with its lease id", async () => {
    const { snap } = await shareWithSnapshot();
    await snap.getShareLeaseClient(A).acquireLease(-1);
    const missing = await outcomeOf(snap.delete());
    assert.equal(missing.status, 412);
    assert.equal(missing.code, "LeaseIdMissing");
    const wrong = await outcomeOf(snap.delete({ leaseAccessConditions: { leaseId: B } }));
    assert.equal(wrong.code, "LeaseIdMismatchWithContainerOperation");
    assert.equal((await snap.delete({ leaseAccessConditions: { leaseId: A } }))._response.status, 202);
  });

  test("Delete Share: include → 409 DeleteShareWhenSnapshotLeased; include-leased deletes all", async () => {
    const { base, snap } = await shareWithSnapshot();
    await snap.getShareLeaseClient(A).acquireLease(-1);
    const refused = await outcomeOf(base.delete({ deleteSnapshots: "include" }));
    assert.equal(refused.status, 409);
    assert.equal(refused.code, "DeleteShareWhenSnapshotLeased");
    assert.equal((await snap.getProperties()).leaseState, "leased");
    assert.equal((await base.delete({ deleteSnapshots: "include-leased" }))._response.status, 202);
    assert.equal(await base.exists(), false);
  });

  test("a broken snapshot lease no longer blocks Delete Share with include", async () => {
    const { base, snap } = await shareWithSnapshot();
    await snap.getShareLeaseClient(A).acquireLease(-1);
    await snap.getShareLeaseClient().breakLease({ breakPeriod: 10 } as object);
    assert.equal(
      (await outcomeOf(base.delete({ deleteSnapshots: "include" }))).status,
      409,
      "still breaking",
    );
    clock.advance(10_000);
    assert.equal((await base.delete({ deleteSnapshots: "include" }))._response.status, 202);
  });

  test("Lease File on a file in a snapshot → 400 ShareSnapshotOperationNotSupported", async () => {
    const { snap } = await shareWithSnapshot();
    const file = snap.rootDirectoryClient.getFileClient("f.bin");
    const out = await outcomeOf(file.getShareLeaseClient(A).acquireLease(-1));
    assert.equal(out.status, 400);
    assert.equal(out.code, "ShareSnapshotOperationNotSupported");
  });
});
