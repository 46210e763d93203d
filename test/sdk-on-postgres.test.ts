import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { countPostgresRows, postgresBackendRequested, TEST_POSTGRES_URL } from "./helpers/postgres.js";
import { runProgram } from "./helpers/run-program.js";
import { startTestServer } from "./helpers/server.js";

// The official-SDK suites again, with every test server keeping its metadata in PostgreSQL
// (SHARELOCK_TEST_BACKEND=postgres, read by startTestServer; one fresh schema per server).
const SUITES = ["sdk-shares.test.ts", "sdk-directories.test.ts", "sdk-files.test.ts"];
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The environment minus what makes a nested `node --test` report to its parent runner instead of stdout. */
function withoutTestRunnerContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _ignored, ...rest } = env;
  return rest;
}

describe("the official-SDK suites on the PostgreSQL metadata store", {
  // When the whole run is already on PostgreSQL, the suites ran that way themselves.
  skip: postgresBackendRequested() ? "SHARELOCK_TEST_BACKEND=postgres already" : false,
}, () => {
  test("SHARELOCK_TEST_BACKEND=postgres really puts a test server's metadata in PostgreSQL", async () => {
    const before = process.env.SHARELOCK_TEST_BACKEND;
    process.env.SHARELOCK_TEST_BACKEND = "postgres";
    const ts = await startTestServer().finally(() => {
      if (before === undefined) delete process.env.SHARELOCK_TEST_BACKEND;
      else process.env.SHARELOCK_TEST_BACKEND = before;
    });
    try {
      assert.ok(ts.postgres, "the server runs on PostgreSQL");
      assert.equal(ts.postgres.url, TEST_POSTGRES_URL);
      assert.equal(await countPostgresRows(ts.postgres.url, ts.postgres.schema, "shares"), 0);
      await ShareServiceClient.fromConnectionString(ts.connectionString)
        .getShareClient(uniqueShareName())
        .create();
      assert.equal(await countPostgresRows(ts.postgres.url, ts.postgres.schema, "shares"), 1);
    } finally {
      await ts.dispose();
    }
  });

  test(`${SUITES.join(", ")} pass with SHARELOCK_TEST_BACKEND=postgres`, async () => {
    const run = await runProgram(
      process.execPath,
      ["--import", "tsx", "--test", "--test-reporter=tap", ...SUITES.map((s) => `test/${s}`)],
      {
        cwd: ROOT,
        timeoutMs: 300_000,
        env: {
          ...withoutTestRunnerContext(process.env),
          SHARELOCK_TEST_BACKEND: "postgres",
          SHARELOCK_TEST_POSTGRES_URL: TEST_POSTGRES_URL,
        },
      },
    );
    const summary = run.stdout
      .split("\n")
      .filter((l) => /^# (tests|pass|fail)/.test(l))
      .join(", ");
    assert.equal(
      run.code,
      0,
      `the suites failed on PostgreSQL (${summary}):\n${run.stdout.slice(-8000)}\n${run.stderr.slice(-4000)}`,
    );
    assert.match(summary, /# fail 0/);
    assert.doesNotMatch(summary, /# pass 0\b/);
  });
});
