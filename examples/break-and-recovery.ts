/**
 * The seed's "Lease Breaking and Recovery": another process breaks a lease it does not hold, the
 * holder's writes stop working, and the file can be written without a lease again.
 *
 * Changes from the seed:
 * - The break period is a parameter, 2 seconds by default instead of the seed's 30, so the example
 *   does not sleep half a minute (`BREAK_PERIOD_SECONDS=30 npx tsx examples/break-and-recovery.ts`
 *   runs the seed's version; 0 breaks at once).
 * - On Azure a file lease always breaks at once (file leases have no break period), so the seed's
 *   write with the old lease id fails right after the break. Sharelock's default profile honours a
 *   break period on files, as Azure does on shares: while the lease is `breaking` the file stays
 *   locked (writes without the id fail) and its holder may still finish up with its id; once the
 *   period is over the lease is `broken` and the old id is refused. So the refusal is shown after
 *   the wait.
 *
 * Run it: `npm start`, then `npx tsx examples/break-and-recovery.ts`.
 */
import { ShareLeaseClient } from "@sharelock/client";
import {
  connectionStringFromEnv,
  describeError,
  type Log,
  mainModuleUrl,
  prepareFile,
  sleep,
} from "./example-support.js";

/** The share this example works in. */
export const SHARE_NAME = "example-break-and-recovery";
/** The file it leases. */
export const FILE_PATH = "important_file.txt";
/** What it writes once the lease is broken. */
export const RECOVERED_CONTENT = "This works after lease break";

/** How the lease is broken. */
export interface BreakOptions {
  /** Seconds the lease keeps running after the break request (0–60; default 2, the seed uses 30). */
  breakPeriodSeconds?: number;
}

/** Runs the example, writing what happens to `log`. */
export async function run(
  connectionString: string,
  log: Log,
  { breakPeriodSeconds = 2 }: BreakOptions = {},
): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);

  const lease = new ShareLeaseClient(file);
  await lease.acquire({ leaseDuration: -1 });
  log(`Lease acquired: ${lease.id}`);

  // Another process breaks the lease; breaking needs no lease id.
  const breaker = new ShareLeaseClient(file);
  const remainingTime = await breaker.breakLease({ leaseBreakPeriod: breakPeriodSeconds });
  log(`Lease break initiated, ${remainingTime} seconds remaining`);

  if (remainingTime > 0) {
    const { lease: state } = await file.getFileProperties();
    log(`Lease state during the break period: ${state.state} (${state.status})`);
    try {
      await file.uploadFile("This will fail", { overwrite: true });
    } catch (error) {
      log(`Writes without the lease id still fail: ${describeError(error)}`);
    }
    await file.setFileMetadata({ finishing: "true" }, { leaseId: lease.id });
    log("The holder can still finish up with its lease id");

    log("Waiting for lease to break naturally...");
    await sleep(remainingTime * 1000 + 250);
  } else {
    log("Lease broken immediately");
  }
  log(`Lease state: ${(await file.getFileProperties()).lease.state}`);

  // Operations with the original lease now fail.
  try {
    await file.uploadFile("This will fail", { overwrite: true, leaseId: lease.id });
  } catch (error) {
    log(`Operation with the old lease id failed as expected: ${describeError(error)}`);
  }

  // Now operations work without a lease.
  await file.uploadFile(RECOVERED_CONTENT, { overwrite: true });
  log("Operation successful after lease break");
}

if (import.meta.url === mainModuleUrl()) {
  await run(connectionStringFromEnv(), console.log, {
    breakPeriodSeconds: Number(process.env.BREAK_PERIOD_SECONDS ?? 2),
  });
}
