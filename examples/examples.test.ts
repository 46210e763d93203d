/**
 * Runs every example against a Sharelock server started here and checks what it claims: the exact
 * lines it prints, and the state it leaves on the server, read independently with the official
 * `@azure/storage-file-share` SDK. Some claims are also checked while an example runs, from its log
 * callback, at points where the example pauses (a check started there completes during the pause).
 *
 * The server's clock follows real time but can be moved forward or frozen: the renewal loop gets
 * the seed's ten seconds per step without waiting for them, and the break example's break period
 * cannot run out while the example is still showing what happens during it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ShareServiceClient as AzureShareServiceClient, RestError } from "@azure/storage-file-share";
import { startTestServer, type TestServer } from "../test/helpers/server.js";
import * as basicLease from "./basic-lease.js";
import * as breakAndRecovery from "./break-and-recovery.js";
import * as changeLeaseId from "./change-lease-id.js";
import * as concurrentWorkers from "./concurrent-workers.js";
import * as contextManager from "./context-manager.js";
import * as errorHandling from "./error-handling.js";
import type { ExampleRun } from "./example-support.js";
import * as leaseMonitoring from "./lease-monitoring.js";
import * as renewalLoop from "./renewal-loop.js";
import * as shareLease from "./share-lease.js";

/** A clock that follows real time, can jump ahead, and can stand still. */
class SteerableClock {
  #offsetMs = 0;
  #frozenAt: number | undefined;
  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }
  advance(ms: number): void {
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    else this.#offsetMs += ms;
  }
  freeze(): void {
    this.#frozenAt ??= this.now();
  }
  /** Lets time run again from where it stood. */
  resume(): void {
    if (this.#frozenAt === undefined) return;
    this.#offsetMs = this.#frozenAt - Date.now();
    this.#frozenAt = undefined;
  }
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const clock = new SteerableClock();
let ts: TestServer;
let azure: AzureShareServiceClient;

before(async () => {
  ts = await startTestServer({ clock });
  azure = AzureShareServiceClient.fromConnectionString(ts.connectionString);
});
after(async () => ts.dispose());

/** What an example printed, plus the checks its log callback started. */
interface ExampleOutput {
  lines: string[];
  /** Seconds the example took. */
  seconds: number;
}

/**
 * Runs an example. `onLine` sees each line as it is printed and may start a check; every check is
 * awaited after the example ends.
 */
async function runExample(
  run: ExampleRun,
  onLine: (line: string, checks: Array<Promise<void>>) => void = () => undefined,
): Promise<ExampleOutput> {
  const lines: string[] = [];
  const checks: Array<Promise<void>> = [];
  const started = Date.now();
  await run(ts.connectionString, (line) => {
    lines.push(line);
    onLine(line, checks);
  });
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(checks);
  return { lines, seconds };
}

/**
 * Asserts the printed lines one by one (a string must be equal, a RegExp must match) and returns the
 * first capture group of every RegExp, in order.
 */
function assertLines(lines: string[], expected: Array<string | RegExp>): string[] {
  const captures: string[] = [];
  assert.equal(lines.length, expected.length, `printed:\n${lines.join("\n")}`);
  expected.forEach((want, i) => {
    const line = lines[i] ?? "";
    if (typeof want === "string") {
      assert.equal(line, want, `line ${i + 1}`);
      return;
    }
    const match = want.exec(line);
    assert.ok(match, `line ${i + 1}: ${JSON.stringify(line)} should match ${want}`);
    if (match[1] !== undefined) captures.push(match[1]);
  });
  return captures;
}

const azureFile = (shareName: string, filePath: string) =>
  azure.getShareClient(shareName).rootDirectoryClient.getFileClient(filePath);

async function azureText(shareName: string, filePath: string): Promise<string> {
  return (await azureFile(shareName, filePath).downloadToBuffer()).toString("utf8");
}

/** Asserts that a promise from the official SDK fails with this status and code. */
async function refusedByAzure(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RestError, String(error));
    assert.equal(error.statusCode, status);
    assert.equal(error.code, code);
    return true;
  });
}

async function assertFileUnleased(shareName: string, filePath: string): Promise<void> {
  const properties = await azureFile(shareName, filePath).getProperties();
  assert.equal(properties.leaseState, "available");
  assert.equal(properties.leaseStatus, "unlocked");
  assert.equal(properties.leaseDuration, undefined);
}

describe("examples run against a live server", () => {
  test("basic-lease: 60 s lease, metadata and upload under it, release", async () => {
    const { lines, seconds } = await runExample(basicLease.run);
    const size = Buffer.byteLength(basicLease.UPDATED_CONTENT);
    assertLines(lines, [
      new RegExp(`^Lease acquired: (${UUID})$`),
      "Writes without the lease id are refused: 412 LeaseIdMissing",
      "Metadata set under the lease: locked=true, locked_by=process_123",
      `Content uploaded under the lease: ${size} bytes`,
      "Lease released",
      `Afterwards: ${size} bytes, metadata {}, lease available`,
    ]);
    const { SHARE_NAME, FILE_PATH } = basicLease;
    assert.equal(await azureText(SHARE_NAME, FILE_PATH), basicLease.UPDATED_CONTENT);
    const properties = await azureFile(SHARE_NAME, FILE_PATH).getProperties();
    assert.deepEqual(properties.metadata, {});
    assert.equal(properties.contentLength, size);
    await assertFileUnleased(SHARE_NAME, FILE_PATH);
    assert.ok(seconds < 5, `took ${seconds} s`);
  });

  test("context-manager: `await using` acquires, and releases at the end of the block", async () => {
    const { lines } = await runExample(contextManager.run);
    assertLines(lines, [
      new RegExp(`^Lease automatically acquired: ${UUID}$`),
      `File size: ${Buffer.byteLength(contextManager.UPDATED_CONTENT)} bytes`,
      "Lease state inside the block: leased",
      "Lease automatically released (state: available)",
    ]);
    assert.equal(
      await azureText(contextManager.SHARE_NAME, contextManager.FILE_PATH),
      contextManager.UPDATED_CONTENT,
    );
    await assertFileUnleased(contextManager.SHARE_NAME, contextManager.FILE_PATH);
  });

  test("share-lease: share metadata under the lease, a directory created while it is held", async () => {
    const { lines } = await runExample(shareLease.run);
    const [leaseId] = assertLines(lines, [
      new RegExp(`^Share lease acquired: (${UUID})$`),
      "Share metadata without the lease id is refused: 412 LeaseIdMissing",
      "Share metadata set under the lease: maintenance_mode=true, locked_by=admin",
      `Directory created: ${shareLease.DIRECTORY_NAME}`,
      "Share lease: leased, infinite",
      "Share lease released",
    ]);
    const share = azure.getShareClient(shareLease.SHARE_NAME);
    const properties = await share.getProperties();
    assert.deepEqual(properties.metadata, { maintenance_mode: "true", locked_by: "admin" });
    assert.equal(properties.leaseState, "available");
    assert.equal(properties.leaseStatus, "unlocked");
    assert.ok(await share.getDirectoryClient(shareLease.DIRECTORY_NAME).exists());
    // Released: the old id no longer opens the share, and the share needs no id any more.
    await refusedByAzure(
      share.setMetadata({ x: "1" }, { leaseAccessConditions: { leaseId: leaseId ?? "" } }),
      412,
      "LeaseNotPresentWithContainerOperation",
    );
    await share.setMetadata(properties.metadata);
  });

  test("renewal-loop: renewing a 15 s lease keeps it through 30 s of (server) time", async () => {
    const { SHARE_NAME, FILE_PATH } = renewalLoop;
    const states: string[] = [];
    const { lines, seconds } = await runExample(renewalLoop.run, (line, checks) => {
      if (!line.startsWith("Processing step")) return;
      // The seed's ten seconds of work per step, on the server's clock. Without the renewals the
      // lease would have expired by step 2.
      clock.advance(10_000);
      checks.push(
        azureFile(SHARE_NAME, FILE_PATH)
          .getProperties()
          .then((properties) => {
            states.push(`${properties.leaseState}/${properties.leaseDuration}`);
          }),
      );
    });
    assertLines(lines, [
      new RegExp(`^Initial lease acquired: ${UUID}$`),
      "Processing step 1...",
      "Lease renewed successfully",
      "Processing step 2...",
      "Lease renewed successfully",
      "Processing step 3...",
      "Lease renewed successfully",
      "Lease released",
    ]);
    assert.deepEqual(states, ["leased/fixed", "leased/fixed", "leased/fixed"]);
    await assertFileUnleased(SHARE_NAME, FILE_PATH);
    assert.ok(seconds < 5, `took ${seconds} s`);
  });

  test("change-lease-id: the lease moves to a new id, the old id is refused", async () => {
    const { lines } = await runExample(changeLeaseId.run);
    const [original, changed] = assertLines(lines, [
      new RegExp(`^Original lease ID: (${UUID})$`),
      new RegExp(`^Changed lease ID to: (${UUID})$`),
      "Lease ID change confirmed",
      "The original lease ID is refused now: 412 LeaseIdMismatchWithFileOperation",
      "Metadata set with the new lease ID: lease_changed=true",
      "Lease released",
    ]);
    assert.notEqual(original, changed);
    const file = azureFile(changeLeaseId.SHARE_NAME, changeLeaseId.FILE_PATH);
    assert.deepEqual((await file.getProperties()).metadata, { lease_changed: "true" });
    await assertFileUnleased(changeLeaseId.SHARE_NAME, changeLeaseId.FILE_PATH);
  });

  test("break-and-recovery: a 2 s break period, old id refused once broken, writes work again", async () => {
    const { SHARE_NAME, FILE_PATH } = breakAndRecovery;
    let duringBreak = "";
    const { lines, seconds } = await runExample(breakAndRecovery.run, (line, checks) => {
      // Nothing the example shows "during the break period" may race the period's end.
      if (line.startsWith("Lease break initiated")) clock.freeze();
      if (line.startsWith("Waiting for lease to break")) {
        clock.resume();
        checks.push(
          azureFile(SHARE_NAME, FILE_PATH)
            .getProperties()
            .then((p) => {
              duringBreak = `${p.leaseState}/${p.leaseStatus}/${JSON.stringify(p.metadata)}`;
            }),
        );
      }
    });
    const [holder] = assertLines(lines, [
      new RegExp(`^Lease acquired: (${UUID})$`),
      "Lease break initiated, 2 seconds remaining",
      "Lease state during the break period: breaking (locked)",
      "Writes without the lease id still fail: 412 LeaseIdMissing",
      "The holder can still finish up with its lease id",
      "Waiting for lease to break naturally...",
      "Lease state: broken",
      "Operation with the old lease id failed as expected: 412 LeaseNotPresentWithFileOperation",
      "Operation successful after lease break",
    ]);
    assert.equal(duringBreak, 'breaking/locked/{"finishing":"true"}');
    assert.equal(await azureText(SHARE_NAME, FILE_PATH), breakAndRecovery.RECOVERED_CONTENT);
    await assertFileUnleased(SHARE_NAME, FILE_PATH);
    await refusedByAzure(
      azureFile(SHARE_NAME, FILE_PATH).setMetadata({}, { leaseAccessConditions: { leaseId: holder ?? "" } }),
      412,
      "LeaseNotPresentWithFileOperation",
    );
    assert.ok(seconds < 5, `took ${seconds} s`);
  });

  test("break-and-recovery with a break period of 0: the seed's 'broken immediately' branch", async () => {
    const { lines } = await runExample((cs, log) => breakAndRecovery.run(cs, log, { breakPeriodSeconds: 0 }));
    assertLines(lines, [
      new RegExp(`^Lease acquired: ${UUID}$`),
      "Lease break initiated, 0 seconds remaining",
      "Lease broken immediately",
      "Lease state: broken",
      "Operation with the old lease id failed as expected: 412 LeaseNotPresentWithFileOperation",
      "Operation successful after lease break",
    ]);
    assert.equal(
      await azureText(breakAndRecovery.SHARE_NAME, breakAndRecovery.FILE_PATH),
      breakAndRecovery.RECOVERED_CONTENT,
    );
    await assertFileUnleased(breakAndRecovery.SHARE_NAME, breakAndRecovery.FILE_PATH);
  });

  test("error-handling: LeaseAlreadyPresent, break at once, reacquire, work, release", async () => {
    const { SHARE_NAME, FILE_PATH } = errorHandling;
    let whileProcessing: { state?: string; metadata?: Record<string, string> } = {};
    const { lines } = await runExample(errorHandling.run, (line, checks) => {
      if (line !== "Performing protected operations...") return;
      checks.push(
        azureFile(SHARE_NAME, FILE_PATH)
          .getProperties()
          .then((p) => {
            whileProcessing = { state: p.leaseState, metadata: p.metadata };
          }),
      );
    });
    const [other, ours] = assertLines(lines, [
      new RegExp(`^Another client holds the lease: (${UUID})$`),
      "File is already leased by another client",
      "Broke existing lease, retrying...",
      new RegExp(`^Lease acquired on retry: (${UUID})$`),
      "Performing protected operations...",
      "Lease released in cleanup",
      "Operation completed successfully: true",
    ]);
    assert.notEqual(other, ours);
    assert.equal(whileProcessing.state, "leased");
    assert.equal(whileProcessing.metadata?.processing, "true");
    assert.match(whileProcessing.metadata?.start_time ?? "", /^\d+(\.\d+)?$/);

    assert.equal(await azureText(SHARE_NAME, FILE_PATH), errorHandling.PROCESSED_CONTENT);
    const { metadata } = await azureFile(SHARE_NAME, FILE_PATH).getProperties();
    assert.deepEqual(Object.keys(metadata ?? {}).sort(), ["end_time", "processing"]);
    assert.equal(metadata?.processing, "complete");
    await assertFileUnleased(SHARE_NAME, FILE_PATH);
    // The other client's lease was broken: its id opens nothing any more.
    await refusedByAzure(
      azureFile(SHARE_NAME, FILE_PATH).setMetadata({}, { leaseAccessConditions: { leaseId: other ?? "" } }),
      412,
      "LeaseNotPresentWithFileOperation",
    );
  });

  test("error-handling without a competing lease takes the direct path", async () => {
    const { lines } = await runExample((cs, log) =>
      errorHandling.run(cs, log, { otherClientHoldsLease: false, processingMs: 50 }),
    );
    assertLines(lines, [
      new RegExp(`^Lease acquired successfully: ${UUID}$`),
      "Performing protected operations...",
      "Lease released in cleanup",
      "Operation completed successfully: true",
    ]);
    await assertFileUnleased(errorHandling.SHARE_NAME, errorHandling.FILE_PATH);
  });

  test("concurrent-workers: exactly one of three workers gets the lease and does the work", async () => {
    const { lines, seconds } = await runExample(concurrentWorkers.run);
    const acquired = lines.filter((line) => / Lease acquired /.test(line));
    const locked = lines.filter((line) => line.endsWith(": File is locked by another worker"));
    assert.equal(acquired.length, 1, lines.join("\n"));
    assert.equal(locked.length, concurrentWorkers.WORKER_COUNT - 1, lines.join("\n"));
    const winner = Number(/^Worker (\d+):/.exec(acquired[0] ?? "")?.[1]);
    const losers = [0, 1, 2].filter((id) => id !== winner);
    assert.deepEqual(
      locked.map((line) => Number(/^Worker (\d+):/.exec(line)?.[1])).sort(),
      losers,
      "the other two workers report the lock",
    );
    // The winner's own lines, in order.
    assertLines(
      lines.filter((line) => line.startsWith(`Worker ${winner}:`)),
      [
        `Worker ${winner}: Starting`,
        new RegExp(`^Worker ${winner}: Lease acquired ${UUID}$`),
        `Worker ${winner}: Working... step 1`,
        `Worker ${winner}: Working... step 2`,
        `Worker ${winner}: Working... step 3`,
        `Worker ${winner}: Work completed`,
        `Worker ${winner}: Lease released`,
      ],
    );
    for (const loser of losers) {
      assertLines(
        lines.filter((line) => line.startsWith(`Worker ${loser}:`)),
        [`Worker ${loser}: Starting`, `Worker ${loser}: File is locked by another worker`],
      );
    }
    assert.equal(lines.at(-1), "All workers finished");
    assert.equal(lines.length, 7 + 2 * 2 + 1);

    const { metadata } = await azureFile(
      concurrentWorkers.SHARE_NAME,
      concurrentWorkers.FILE_PATH,
    ).getProperties();
    assert.equal(metadata?.worker, String(winner));
    assert.equal(metadata?.step, "3");
    await assertFileUnleased(concurrentWorkers.SHARE_NAME, concurrentWorkers.FILE_PATH);
    assert.ok(seconds < 5, `took ${seconds} s`);
  });

  test("lease-monitoring: available, leased, leased after renew, available", async () => {
    const { lines } = await runExample(leaseMonitoring.run);
    const leasedReport = (after: string) => [
      after,
      "Lease Status Report:",
      "  Status: locked",
      "  State: leased",
      "  Duration: fixed",
      new RegExp(`^  Current lease ID: (${UUID})$`),
      /^ {2}Lease ETag: (".+")$/,
      /^ {2}Last modified: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/,
    ];
    const availableReport = (when: string) => [
      when,
      "Lease Status Report:",
      "  Status: unlocked",
      "  State: available",
      "  Duration: none",
    ];
    const [id1, etag1, modified1, id2, etag2, modified2] = assertLines(lines, [
      ...availableReport("Before acquiring lease:"),
      ...leasedReport("After acquiring lease:"),
      ...leasedReport("After renewing lease:"),
      ...availableReport("After releasing lease:"),
    ]);
    assert.equal(id1, id2, "renewing keeps the lease id");
    // Lease operations leave the file's ETag and last-modified time alone: what the example printed
    // is the file's real ETag and time.
    const properties = await azureFile(leaseMonitoring.SHARE_NAME, leaseMonitoring.FILE_PATH).getProperties();
    assert.equal(etag1, properties.etag);
    assert.equal(etag2, properties.etag);
    assert.equal(modified1, properties.lastModified?.toISOString());
    assert.equal(modified2, properties.lastModified?.toISOString());
    await assertFileUnleased(leaseMonitoring.SHARE_NAME, leaseMonitoring.FILE_PATH);
  });
});
