import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { uniqueShareName } from "./helpers/names.js";
import { requireProgram, runProgram, skipExternalClients } from "./helpers/run-program.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

// Debian's python3-azure-storage: the Python Azure Files SDK 12.11, which sends x-ms-version
// 2021-12-02 and nested paths percent-encoded as one segment (dir%2Fsub).
const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./python/sdk_smoke.py", import.meta.url));

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => ts.dispose());

describe("the Python Azure Files SDK (12.11)", { skip: skipExternalClients }, () => {
  test("shares, directories, files, metadata, listings, ranges, file and share leases", async () => {
    requireProgram(PYTHON, "apt-get install -y python3-azure-storage");
    const shareName = uniqueShareName("py");
    const run = await runProgram(PYTHON, [SCRIPT, ts.connectionString, shareName], { timeoutMs: 180_000 });
    assert.equal(run.code, 0, `python failed:\n${run.stderr}\n${run.stdout}`);
    const out = JSON.parse(run.stdout.trim().split("\n").at(-1) as string) as Record<string, unknown>;
    assert.match(out.sdk_version as string, /^12\.11/);
    assert.deepEqual(out.service_properties, {
      hour_metrics_enabled: false,
      cors: 0,
      smb_multichannel: false,
    });
    assert.deepEqual(out.duplicate_share, [409, "ShareAlreadyExists"]);
    assert.deepEqual(out.share, { quota: 3, metadata: { origin: "python" } });
    assert.deepEqual(out.subdirectory_metadata, { level: "two" });
    assert.equal(out.download_matches, true);
    assert.equal(out.partial_download, true);
    assert.deepEqual(out.file, { size: 5 * 1024 * 1024 + 321, metadata: { kind: "changed", Case: "Kept" } });
    assert.deepEqual(out.ranges, [[65536, 66559]]);
    assert.deepEqual(out.listing, ["hello.bin"]);
    assert.deepEqual(out.root_listing, [
      ["dir", true],
      ["sparse.bin", false],
    ]);
    assert.deepEqual(out.listed_shares, [{ name: shareName, metadata: { origin: "python" } }]);
    assert.equal(typeof out.stats_bytes, "number");
    assert.ok((out.stats_bytes as number) >= 5 * 1024 * 1024 + 321);
    assert.equal(out.file_lease_state, "leased");
    assert.deepEqual(out.write_without_lease, [412, "LeaseIdMissing"]);
    assert.equal(out.file_lease_after_break, "broken");
    assert.equal(out.share_lease_state, "leased");
    assert.deepEqual(out.delete_share_without_lease, [412, "LeaseIdMissing"]);
    assert.equal(out.share_lease_after_break, "broken");
    assert.deepEqual(out.deleted_file_error, [404, "ResourceNotFound"]);
    assert.deepEqual(out.non_empty_dir_delete, [409, "DirectoryNotEmpty"]);
    assert.deepEqual(out.deleted_share_error, [404, "ShareNotFound"]);
  });
});
