/**
 * What every example needs besides the lease calls it shows: where to connect, a share and a file
 * to work on, a pause, and a short description of a failure.
 */
import { pathToFileURL } from "node:url";
import { ShareClient, ShareError, type ShareFileClient, ShareLeaseClient } from "@sharelock/client";

/** Where an example writes its output (`console.log` when run from the command line). */
export type Log = (line: string) => void;

/** Signature every example module exports as `run`. */
export type ExampleRun = (connectionString: string, log: Log) => Promise<void>;

/**
 * The connection string for examples run from the command line: `SHARELOCK_CONNECTION_STRING`, or
 * the local development account that `npm start` serves (`UseDevelopmentStorage=true`).
 */
export function connectionStringFromEnv(): string {
  return process.env.SHARELOCK_CONNECTION_STRING || "UseDevelopmentStorage=true";
}

/** The `file:` URL of the script node was started with, to compare with `import.meta.url`. */
export function mainModuleUrl(): string {
  const script = process.argv[1];
  return script === undefined ? "" : pathToFileURL(script).href;
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `412 LeaseIdMissing`-style summary of a service error; the message of anything else. */
export function describeError(error: unknown): string {
  if (error instanceof ShareError && error.statusCode !== undefined) {
    return `${error.statusCode} ${error.errorCode ?? "(no error code)"}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Makes sure `shareName` exists, is not leased, and holds `filePath` with `content` (a run that was
 * interrupted may have left a lease behind; it is broken first). Returns the share's client.
 */
export async function prepareShare(connectionString: string, shareName: string): Promise<ShareClient> {
  const share = ShareClient.fromConnectionString(connectionString, shareName);
  await share.createIfNotExists();
  await breakAnyLease(new ShareLeaseClient(share));
  return share;
}

/**
 * Makes sure the share exists and `filePath` holds `content`, with no lease left on it by an
 * interrupted earlier run. Returns the file's client.
 */
export async function prepareFile(
  connectionString: string,
  shareName: string,
  filePath: string,
  content = "Original content\n",
): Promise<ShareFileClient> {
  const share = await prepareShare(connectionString, shareName);
  const file = share.getFileClient(filePath);
  if (await file.exists()) await breakAnyLease(new ShareLeaseClient(file));
  await file.uploadFile(content);
  return file;
}

async function breakAnyLease(lease: ShareLeaseClient): Promise<void> {
  try {
    await lease.breakLease({ leaseBreakPeriod: 0 });
  } catch (error) {
    // No lease to break is the normal case.
    if (!(error instanceof ShareError && error.errorCode === "LeaseNotPresentWithLeaseOperation"))
      throw error;
  }
}
