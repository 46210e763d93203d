import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { rejectsWith } from "./helpers/sdk-assertions.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let service: ShareServiceClient;

before(async () => {
  ts = await startTestServer();
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
});
after(async () => ts.dispose());

describe("share snapshots through the official SDK", () => {
  test("a snapshot keeps the content of its moment; the base moves on", async () => {
    const share = service.getShareClient(uniqueShareName());
    await share.create({ metadata: { v: "1" } });
    await share.getDirectoryClient("d").create();
    const file = share.getDirectoryClient("d").getFileClient("f.txt");
    await file.uploadData(Buffer.from("version one"));
    const { snapshot } = await share.createSnapshot();
    assert.match(snapshot as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);

    await file.uploadData(Buffer.from("version two!"));
    await share.rootDirectoryClient.createFile("new.txt", 1);

    const snap = share.withSnapshot(snapshot as string);
    const old = await snap.getDirectoryClient("d").getFileClient("f.txt").downloadToBuffer();
    assert.equal(old.toString(), "version one");
    assert.equal((await file.downloadToBuffer()).toString(), "version two!");
    const names: string[] = [];
    for await (const item of snap.rootDirectoryClient.listFilesAndDirectories()) names.push(item.name);
    assert.deepEqual(names, ["d"]);
    assert.deepEqual((await snap.getProperties()).metadata, { v: "1" });
  });

  test("snapshots are read-only; listing includes them when asked; delete rules", async () => {
    const name = uniqueShareName();
    const share = service.getShareClient(name);
    await share.create();
    await share.rootDirectoryClient.createFile("a.txt", 3);
    const { snapshot } = await share.createSnapshot({ metadata: { tag: "snap" } });
    const snap = share.withSnapshot(snapshot as string);
    await rejectsWith(
      snap.rootDirectoryClient.createFile("b.txt", 1),
      400,
      "ShareSnapshotOperationNotSupported",
    );
    await rejectsWith(
      snap.rootDirectoryClient.getFileClient("a.txt").uploadRange(Buffer.from("x"), 0, 1),
      400,
      "ShareSnapshotOperationNotSupported",
    );

    const listed: Array<{ name: string; snapshot?: string }> = [];
    for await (const s of service.listShares({ prefix: name, includeSnapshots: true })) {
      listed.push({ name: s.name, ...(s.snapshot ? { snapshot: s.snapshot } : {}) });
    }
    assert.equal(listed.length, 2);
    assert.ok(listed.some((s) => s.snapshot === snapshot));
    const plain: string[] = [];
    for await (const s of service.listShares({ prefix: name })) plain.push(s.name);
    assert.deepEqual(plain, [name]);

    await rejectsWith(share.delete(), 409, "ShareHasSnapshots");
    await share.delete({ deleteSnapshots: "include" });
    await rejectsWith(snap.getProperties(), 404, "ShareNotFound");
  });

  test("one snapshot can be deleted alone; a missing snapshot is 404", async () => {
    const share = service.getShareClient(uniqueShareName());
    await share.create();
    const { snapshot } = await share.createSnapshot();
    const snap = share.withSnapshot(snapshot as string);
    await snap.delete();
    await rejectsWith(snap.getProperties(), 404, "ShareSnapshotNotFound");
    assert.equal(await share.exists(), true);
  });
});

describe("range diff against a snapshot through the official SDK", () => {
  test("getRangeListDiff reports ranges written and cleared since the snapshot", async () => {
    const share = service.getShareClient(uniqueShareName());
    await share.create();
    const file = share.rootDirectoryClient.getFileClient("diff.bin");
    await file.create(64 * 1024);
    await file.uploadRange(Buffer.alloc(1024, 1), 0, 1024);
    await file.uploadRange(Buffer.alloc(1024, 1), 8192, 1024);
    const { snapshot } = await share.createSnapshot();
    await file.uploadRange(Buffer.alloc(512, 2), 32768, 512);
    await file.uploadRange(Buffer.alloc(100, 3), 100, 100);
    await file.clearRange(8192, 1024);
    const diff = await file.getRangeListDiff(snapshot as string);
    assert.deepEqual(
      diff.ranges?.map((r) => [r.start, r.end]),
      [
        [100, 199],
        [32768, 33279],
      ],
    );
    assert.deepEqual(
      diff.clearRanges?.map((r) => [r.start, r.end]),
      [[8192, 9215]],
    );
    await rejectsWith(file.getRangeListDiff("2001-01-01T00:00:00.0000000Z"), 404, "ShareSnapshotNotFound");
  });
});
