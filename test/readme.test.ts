/**
 * Keeps the README true: its TypeScript snippets run, unchanged, against a live server.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ShareServiceClient } from "@azure/storage-file-share";
import { runProgram } from "./helpers/run-program.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");
let ts: TestServer;
let dir: string;

before(async () => {
  ts = await startTestServer();
  // Inside the repository, so the snippets resolve the workspace packages as a user's project would.
  dir = mkdtempSync(join(new URL("..", import.meta.url).pathname, ".tmp-readme-"));
});
after(async () => {
  await ts.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The first ```ts block after a heading. */
function snippetAfter(heading: string): string {
  const at = README.indexOf(heading);
  assert.ok(at >= 0, `README has "${heading}"`);
  const m = /```ts\n([\s\S]*?)```/.exec(README.slice(at));
  assert.ok(m?.[1], `a ts block follows "${heading}"`);
  return m[1];
}

async function runSnippet(name: string, code: string): Promise<string> {
  const file = join(dir, `${name}.mts`);
  writeFileSync(file, code);
  const result = await runProgram(process.execPath, ["--import", "tsx", file], {
    env: { ...process.env, SHARELOCK_CONNECTION_STRING: ts.connectionString },
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 0, `${name} failed:\n${result.stderr}`);
  return result.stdout;
}

test("the official-SDK snippet runs and leaves the file it describes", async () => {
  await runSnippet("official", snippetAfter("## Using it from the official Azure SDK"));
  const file = ShareServiceClient.fromConnectionString(ts.connectionString)
    .getShareClient("documents")
    .rootDirectoryClient.getFileClient("report.txt");
  const props = await file.getProperties();
  assert.deepEqual(props.metadata, { locked: "true" });
  assert.equal(props.leaseState, "available");
});

test("the @sharelock/client snippet runs: lease released by `await using`, a second one breaking", async () => {
  const printed = await runSnippet("client", snippetAfter("## The TypeScript SDK"));
  assert.deepEqual(printed.trim().split("\n"), ["leased", "30"], "what the snippet's comments promise");
  const file = ShareServiceClient.fromConnectionString(ts.connectionString)
    .getShareClient("documents")
    .rootDirectoryClient.getFileClient("important_file.txt");
  assert.equal((await file.downloadToBuffer()).toString(), "Updated content under lease");
  const props = await file.getProperties();
  assert.equal(props.leaseState, "breaking");
  assert.equal(props.leaseStatus, "locked");
});
