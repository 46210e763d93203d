import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { uniqueShareName } from "./helpers/names.js";
import { requireProgram, runProgram, skipExternalClients } from "./helpers/run-program.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

// Debian's azure-cli (2.45): `az storage …` with --connection-string, nothing but loopback.
const AZ = "/usr/bin/az";

let ts: TestServer;
let work: string;

before(async () => {
  ts = await startTestServer();
  work = mkdtempSync(join(tmpdir(), "sharelock-az-"));
});
after(async () => {
  await ts.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `az storage <args> --connection-string … -o json` and parses its output. */
async function az(args: string[]): Promise<unknown> {
  const run = await runProgram(
    AZ,
    ["storage", ...args, "--connection-string", ts.connectionString, "-o", "json"],
    {
      timeoutMs: 120_000,
      env: {
        ...process.env,
        AZURE_CONFIG_DIR: join(work, "azure-config"),
        AZURE_CORE_COLLECT_TELEMETRY: "no",
        AZURE_CORE_NO_COLOR: "true",
        NO_PROXY: "127.0.0.1,localhost",
        no_proxy: "127.0.0.1,localhost",
      },
    },
  );
  assert.equal(run.code, 0, `az storage ${args.join(" ")} failed:\n${run.stderr}\n${run.stdout}`);
  return run.stdout.trim() === "" ? null : JSON.parse(run.stdout);
}

describe("azure-cli (az storage) with --connection-string", { skip: skipExternalClients }, () => {
  test("share create, file upload, list, download, share delete", async () => {
    requireProgram(AZ, "apt-get install -y azure-cli");
    const share = uniqueShareName("az");
    const data = randomBytes(5 * 1024 * 1024 + 77); // more than one 4 MiB range
    const source = join(work, "upload.bin");
    const dest = join(work, "download.bin");
    writeFileSync(source, data);

    assert.deepEqual(await az(["share", "create", "--name", share, "--metadata", "from=az"]), {
      created: true,
    });
    assert.deepEqual(await az(["directory", "create", "--share-name", share, "--name", "docs"]), {
      created: true,
    });
    await az(["file", "upload", "--share-name", share, "--source", source, "--path", "docs/upload.bin"]);
    await az(["file", "upload", "--share-name", share, "--source", source, "--path", "top.bin"]);

    const listed = (await az(["file", "list", "--share-name", share, "--path", "docs"])) as Array<{
      name: string;
      type: string;
      properties: { contentLength: number };
    }>;
    assert.deepEqual(
      listed.map((f) => [f.name, f.type, f.properties.contentLength]),
      [["upload.bin", "file", data.length]],
    );
    const root = (await az(["file", "list", "--share-name", share])) as Array<{ name: string; type: string }>;
    assert.deepEqual(root.map((f) => [f.name, f.type]).sort(), [
      ["docs", "dir"],
      ["top.bin", "file"],
    ]);

    await az(["file", "download", "--share-name", share, "--path", "docs/upload.bin", "--dest", dest]);
    assert.ok(readFileSync(dest).equals(data), "downloaded bytes equal the uploaded ones");

    const shares = (await az(["share", "list", "--include-metadata"])) as Array<{
      name: string;
      metadata: Record<string, string> | null;
    }>;
    assert.deepEqual(
      shares.filter((s) => s.name === share).map((s) => s.metadata),
      [{ from: "az" }],
    );

    assert.deepEqual(await az(["share", "delete", "--name", share]), { deleted: true });
    assert.deepEqual(await az(["share", "exists", "--name", share]), { exists: false });
  });
});
