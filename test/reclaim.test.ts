import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let share: ShareClient;

before(async () => {
  ts = await startTestServer({ extentRollOverBytes: 256 * 1024, reclaimGraceMs: 0 });
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(uniqueShareName());
  await share.create();
});
after(async () => ts.dispose());

function extentBytes(): number {
  const dir = join(ts.dataDir, "extents");
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

test("deleted and overwritten content is reclaimed; live content survives compaction byte-identical", async () => {
  const keep = randomBytes(300 * 1024);
  const keeper = share.rootDirectoryClient.getFileClient("keep.bin");
  await keeper.uploadData(keep, { rangeSize: 64 * 1024 });
  for (let i = 0; i < 4; i++) {
    await share.rootDirectoryClient.getFileClient(`junk-${i}.bin`).uploadData(randomBytes(400 * 1024));
  }
  // Overwrite most of the kept file so its old bytes die too.
  const patch = randomBytes(200 * 1024);
  await keeper.uploadRange(patch, 0, patch.length);
  patch.copy(keep, 0);
  for (let i = 0; i < 4; i++) await share.rootDirectoryClient.getFileClient(`junk-${i}.bin`).delete();

  const before = extentBytes();
  assert.ok(before >= 1.8 * 1024 * 1024, `wrote ${before} bytes of extents`);
  // A download opened before compaction keeps reading the bytes it was promised.
  const open = await keeper.download();
  const result = await ts.server.compact();
  assert.ok(result.deleted > 0, JSON.stringify(result));
  const chunks: Buffer[] = [];
  for await (const c of open.readableStreamBody as NodeJS.ReadableStream) chunks.push(c as Buffer);
  assert.deepEqual(Buffer.concat(chunks), keep);

  await ts.server.compact();
  const afterBytes = extentBytes();
  assert.ok(afterBytes < before / 2, `extents shrank from ${before} to ${afterBytes}`);
  assert.deepEqual(await keeper.downloadToBuffer(), keep);
});
