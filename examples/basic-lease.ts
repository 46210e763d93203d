/**
 * The seed's "Basic Lease Operations": acquire a 60-second lease under an id of our choosing, change
 * the file's metadata and content under it, and always release it.
 *
 * Run it: `npm start` in one terminal, then `npx tsx examples/basic-lease.ts`
 * (`SHARELOCK_CONNECTION_STRING` selects another server).
 */
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
export const SHARE_NAME = "example-basic-lease";
/** The file it leases. */
export const FILE_PATH = "important_file.txt";
/** What it uploads under the lease. */
export const UPDATED_CONTENT = "Updated content under lease";

/** Runs the example, writing what happens to `log`. */
export async function run(connectionString: string, log: Log): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);

  // Acquire a lease with a specific id: a 60-second lease.
  const leaseId = randomUUID();
  const lease = new ShareLeaseClient(file, leaseId);
  await lease.acquire({ leaseDuration: 60 });
  log(`Lease acquired: ${lease.id}`);

  try {
    // While the lease is held, writes must carry its id.
    try {
      await file.setFileMetadata({ locked: "true" });
    } catch (error) {
      log(`Writes without the lease id are refused: ${describeError(error)}`);
    }

    await file.setFileMetadata({ locked: "true", locked_by: "process_123" }, { leaseId: lease.id });
    log("Metadata set under the lease: locked=true, locked_by=process_123");

    // Upload new content with lease protection.
    const result = await file.uploadFile(UPDATED_CONTENT, { overwrite: true, leaseId: lease.id });
    log(`Content uploaded under the lease: ${result.contentLength} bytes`);
  } finally {
    // Always release the lease.
    await lease.release();
    log("Lease released");
  }

  // uploadFile replaces the file (Azure's Create File), and with it the metadata set above; pass
  // `metadata` to uploadFile to keep a marker on the new content.
  const properties = await file.getFileProperties();
  log(
    `Afterwards: ${properties.size} bytes, metadata ${JSON.stringify(properties.metadata)}, lease ${properties.lease.state}`,
  );
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
