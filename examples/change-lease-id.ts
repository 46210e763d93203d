/**
 * The seed's "Lease ID Management and Change": hand a lease over to a new id (for example to another
 * process) without ever letting go of the file.
 *
 * Run it: `npm start`, then `npx tsx examples/change-lease-id.ts`.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ShareLeaseClient } from "@sharelock/client";
import {
  connectionStringFromEnv,
  describeError,
  type Log,
  mainModuleUrl,
  prepareFile,
} from "./example-support.js";

/** The share this example works in. */
export const SHARE_NAME = "example-change-lease-id";
/** The file it leases. */
export const FILE_PATH = "important_file.txt";

/** Runs the example, writing what happens to `log`. */
export async function run(connectionString: string, log: Log): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);

  // Start with a specific lease id, on an infinite lease.
  const originalLeaseId = randomUUID();
  const lease = new ShareLeaseClient(file, originalLeaseId);
  await lease.acquire({ leaseDuration: -1 });
  log(`Original lease ID: ${lease.id}`);

  // Change the lease id (useful for transferring lease ownership).
  const newLeaseId = randomUUID();
  await lease.change(newLeaseId);
  log(`Changed lease ID to: ${lease.id}`);

  // Verify the change worked.
  assert.equal(lease.id, newLeaseId);
  log("Lease ID change confirmed");

  // The old id no longer opens the file...
  try {
    await file.setFileMetadata({ lease_changed: "true" }, { leaseId: originalLeaseId });
  } catch (error) {
    log(`The original lease ID is refused now: ${describeError(error)}`);
  }

  // ...operations now use the new lease id.
  await file.setFileMetadata({ lease_changed: "true" }, { leaseId: lease.id });
  log("Metadata set with the new lease ID: lease_changed=true");

  await lease.release();
  log("Lease released");
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
