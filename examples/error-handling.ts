/**
 * The seed's "Error Handling and Lease States": acquire a lease, and when another client already
 * holds one (409 `LeaseAlreadyPresent`), break it at once and acquire again; then work under the
 * lease, noticing if it is lost, and release it in any case.
 *
 * To show the recovery path, `run` first lets "another client" lease the file (turn that off with
 * `otherClientHoldsLease: false`). The seed's 2-second pause is `processingMs`, 500 ms by default.
 *
 * Run it: `npm start`, then `npx tsx examples/error-handling.ts`.
 */
import { ShareError, type ShareFileClient, ShareLeaseClient } from "@sharelock/client";
import { connectionStringFromEnv, type Log, mainModuleUrl, prepareFile, sleep } from "./example-support.js";

/** The share this example works in. */
export const SHARE_NAME = "example-error-handling";
/** The file it leases. */
export const FILE_PATH = "important_file.txt";
/** The content the protected operations write. */
export const PROCESSED_CONTENT = "Processed content";

/** Error codes meaning "the lease is gone" for an operation on a file. */
const LEASE_LOST_CODES = [
  "LeaseIdMissing",
  "LeaseIdMismatchWithFileOperation",
  "LeaseNotPresentWithFileOperation",
];

/** How the example sets the scene. */
export interface ErrorHandlingOptions {
  /** Let another client lease the file first, so that acquiring fails (default true). */
  otherClientHoldsLease?: boolean;
  /** Milliseconds of simulated processing under the lease (default 500). */
  processingMs?: number;
}

/** Runs the example, writing what happens to `log`. */
export async function run(
  connectionString: string,
  log: Log,
  { otherClientHoldsLease = true, processingMs = 500 }: ErrorHandlingOptions = {},
): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);
  if (otherClientHoldsLease) {
    const other = await new ShareLeaseClient(file).acquire();
    log(`Another client holds the lease: ${other.id}`);
  }
  const success = await safeLeaseOperations(file, log, processingMs);
  log(`Operation completed successfully: ${success}`);
}

/** Demonstrates safe lease handling with error recovery. */
async function safeLeaseOperations(file: ShareFileClient, log: Log, processingMs: number): Promise<boolean> {
  const leaseClient = new ShareLeaseClient(file);
  try {
    // Attempt to acquire the lease.
    await leaseClient.acquire({ leaseDuration: 60 });
    log(`Lease acquired successfully: ${leaseClient.id}`);
    return await performLeaseOperations(file, leaseClient, log, processingMs);
  } catch (error) {
    if (error instanceof ShareError && error.errorCode === "LeaseAlreadyPresent") {
      log("File is already leased by another client");
      // Try to break the existing lease, at once.
      await new ShareLeaseClient(file).breakLease({ leaseBreakPeriod: 0 });
      log("Broke existing lease, retrying...");
      // Retry the acquisition.
      await leaseClient.acquire({ leaseDuration: 60 });
      log(`Lease acquired on retry: ${leaseClient.id}`);
      return await performLeaseOperations(file, leaseClient, log, processingMs);
    }
    if (error instanceof ShareError) log(`Lease operation failed: ${error.message}`);
    else log(`Unexpected error: ${String(error)}`);
    throw error;
  } finally {
    // Make sure the lease is released.
    try {
      await leaseClient.release();
      log("Lease released in cleanup");
    } catch {
      // Ignore release errors in cleanup.
    }
  }
}

/** Performs file operations under lease protection; false if the lease was lost on the way. */
async function performLeaseOperations(
  file: ShareFileClient,
  leaseClient: ShareLeaseClient,
  log: Log,
  processingMs: number,
): Promise<boolean> {
  try {
    // Update the file's metadata.
    await file.setFileMetadata(
      { processing: "true", start_time: String(Date.now() / 1000) },
      { leaseId: leaseClient.id },
    );
    // Simulate processing.
    log("Performing protected operations...");
    await sleep(processingMs);
    // Update the content (this replaces the file, metadata included).
    await file.uploadFile(PROCESSED_CONTENT, { overwrite: true, leaseId: leaseClient.id });
    // Final metadata update.
    await file.setFileMetadata(
      { processing: "complete", end_time: String(Date.now() / 1000) },
      { leaseId: leaseClient.id },
    );
    return true;
  } catch (error) {
    if (error instanceof ShareError && LEASE_LOST_CODES.includes(error.errorCode ?? "")) {
      log("Lease was lost during operation");
      return false;
    }
    throw error;
  }
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
