/**
 * `sharelock serve` as the README runs it: the built CLI in its own process, stopped with Ctrl-C.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ShareServiceClient } from "@azure/storage-file-share";

const CLI = new URL("../dist/main.cjs", import.meta.url).pathname;

let dataDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), "sharelock-serve-"));
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

interface Served {
  child: ChildProcess;
  connectionString: string;
  stderr: () => string;
}

/** Starts `sharelock serve` on a free port; resolves once it has printed its connection string. */
function serve(...flags: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--data", dataDir, ...flags], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const cs = /^ {2}(DefaultEndpointsProtocol=\S+)$/m.exec(stdout)?.[1];
      if (cs) resolve({ child, connectionString: cs, stderr: () => stderr });
    });
    child.once("exit", (code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  });
}

/** Ctrl-C; resolves with the exit code. */
async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = once(child, "exit");
  child.kill("SIGINT");
  const [code] = (await exited) as [number | null];
  return code;
}

test("serve answers the SDK, logs its shutdown as JSON, and finds its data again after Ctrl-C", async () => {
  const first = await serve();
  const share = ShareServiceClient.fromConnectionString(first.connectionString).getShareClient("kept");
  await share.create();
  assert.equal(await interrupt(first.child), 0);
  const lines = first
    .stderr()
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    lines.map(({ level, service, signal, msg }) => ({ level, service, signal, msg })),
    [{ level: 30, service: "sharelock", signal: "SIGINT", msg: "shutting down" }],
  );

  const second = await serve("--log-level", "warn");
  const names: string[] = [];
  for await (const s of ShareServiceClient.fromConnectionString(second.connectionString).listShares()) {
    names.push(s.name);
  }
  assert.deepEqual(names, ["kept"]);
  assert.equal(await interrupt(second.child), 0);
  assert.equal(second.stderr(), "", "nothing at warn level or above to report");
});
