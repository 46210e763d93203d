import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { startTestServer, type TestServer } from "../../../test/helpers/server.js";

const run = promisify(execFile);
const CLI = new URL("../dist/main.cjs", import.meta.url).pathname;

let ts: TestServer;
let work: string;

before(async () => {
  ts = await startTestServer();
  work = mkdtempSync(join(tmpdir(), "sharelock-cli-"));
});
after(async () => {
  await ts.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI against the test server; resolves with stdout, or rejects with exit code and stderr. */
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, "--connection-string", ts.connectionString, ...args], {
    timeout: 30_000,
  });
  return stdout;
}

async function cliFails(...args: string[]): Promise<string> {
  try {
    await cli(...args);
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    assert.equal(e.code, 1);
    return e.stderr ?? "";
  }
  assert.fail(`sharelock ${args.join(" ")} succeeded`);
}

test("share, file and lease commands work end to end", async () => {
  assert.match(await cli("share", "create", "cli-share", "--quota", "5"), /created share cli-share/);
  assert.match(await cli("share", "list", "--prefix", "cli-"), /^cli-share\tquota=5GiB\tlease=available$/m);
  assert.match(await cli("mkdir", "cli-share/docs"), /created/);

  const local = join(work, "in.bin");
  const data = randomBytes(5 * 1024 * 1024 + 17);
  writeFileSync(local, data);
  assert.match(await cli("upload", local, "cli-share/docs/data.bin", "-q"), /uploaded .* \(5\.0 MiB\)/);
  assert.match(await cli("ls", "cli-share"), /^docs\/$/m);
  assert.match(await cli("ls", "cli-share/docs"), /^data\.bin\t5\.0 MiB$/m);

  const out = join(work, "out.bin");
  await cli("download", "cli-share/docs/data.bin", out, "-q");
  assert.deepEqual(readFileSync(out), data);

  const leaseId = (await cli("lease", "acquire", "cli-share/docs/data.bin", "--duration", "30")).trim();
  assert.match(leaseId, /^[0-9a-f-]{36}$/);
  assert.match(
    await cli("lease", "show", "cli-share/docs/data.bin"),
    /status=locked\tstate=leased\tduration=fixed/,
  );
  assert.match(await cliFails("upload", local, "cli-share/docs/data.bin", "-q"), /412 LeaseIdMissing/);
  assert.match(await cliFails("rm", "cli-share/docs/data.bin"), /412 LeaseIdMissing/);
  await cli("upload", local, "cli-share/docs/data.bin", "-q", "--lease-id", leaseId);
  assert.match(await cli("lease", "renew", "cli-share/docs/data.bin", "--id", leaseId), /renewed/);
  assert.equal((await cli("lease", "break", "cli-share/docs/data.bin", "--period", "0")).trim(), "0");
  assert.match(await cli("lease", "show", "cli-share/docs/data.bin"), /state=broken/);

  const shareLease = (await cli("lease", "acquire", "cli-share")).trim();
  assert.match(await cliFails("share", "delete", "cli-share"), /412 LeaseIdMissing/);
  assert.match(await cli("share", "stats", "cli-share"), /5242897 bytes/);
  assert.match(await cli("rm", "cli-share/docs/data.bin"), /deleted/);
  assert.match(
    await cli("share", "delete", "cli-share", "--lease-id", shareLease),
    /deleted share cli-share/,
  );
  assert.match(await cliFails("ls", "cli-share"), /404 ShareNotFound/);
});
