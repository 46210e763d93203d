/**
 * The seed's "Lease Monitoring and Diagnostics": report a file's lease status, state and duration
 * before acquiring, after acquiring, after renewing and after releasing.
 *
 * Run it: `npm start`, then `npx tsx examples/lease-monitoring.ts`.
 */
import { type LeaseState, type ShareFileClient, ShareLeaseClient } from "@sharelock/client";
import { connectionStringFromEnv, type Log, mainModuleUrl, prepareFile } from "./example-support.js";

/** The share this example works in. */
export const SHARE_NAME = "example-lease-monitoring";
/** The file it watches. */
export const FILE_PATH = "important_file.txt";

/** Reports the file's lease status; returns its state. */
async function monitorLeaseStatus(
  file: ShareFileClient,
  leaseClient: ShareLeaseClient,
  log: Log,
): Promise<LeaseState> {
  const { lease } = await file.getFileProperties();
  log("Lease Status Report:");
  log(`  Status: ${lease.status}`); // locked/unlocked
  log(`  State: ${lease.state}`); // available/leased/expired/breaking/broken
  log(`  Duration: ${lease.duration ?? "none"}`); // infinite/fixed, only while leased
  if (lease.state === "leased") {
    log(`  Current lease ID: ${leaseClient.id}`);
    log(`  Lease ETag: ${leaseClient.etag}`);
    log(`  Last modified: ${leaseClient.lastModified?.toISOString()}`);
  }
  return lease.state;
}

/** Runs the example, writing what happens to `log`. */
export async function run(connectionString: string, log: Log): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);
  const leaseClient = new ShareLeaseClient(file);

  log("Before acquiring lease:");
  await monitorLeaseStatus(file, leaseClient, log);

  await leaseClient.acquire({ leaseDuration: 60 });
  log("After acquiring lease:");
  const state = await monitorLeaseStatus(file, leaseClient, log);

  if (state === "leased") {
    await leaseClient.renew();
    log("After renewing lease:");
    await monitorLeaseStatus(file, leaseClient, log);
  }

  await leaseClient.release();
  log("After releasing lease:");
  await monitorLeaseStatus(file, leaseClient, log);
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
