/**
 * The seed's "Lease Management with Context Manager": Python's `with ShareLeaseClient(file) as lease`
 * is `await using lease = await new ShareLeaseClient(file).acquire()` here. The lease is released
 * when the block ends, also when the block throws.
 *
 * Run it: `npm start`, then `npx tsx examples/context-manager.ts`.
 */
import { ShareLeaseClient } from "@sharelock/client";
import { connectionStringFromEnv, type Log, mainModuleUrl, prepareFile } from "./example-support.js";

/** The share this example works in. */
export const SHARE_NAME = "example-context-manager";
/** The file it leases. */
export const FILE_PATH = "important_file.txt";
/** What it uploads under the lease. */
export const UPDATED_CONTENT = "Content updated with automatic lease management";

/** Runs the example, writing what happens to `log`. */
export async function run(connectionString: string, log: Log): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);

  {
    // Acquired here (infinite, the default), released when the block is left.
    await using lease = await new ShareLeaseClient(file).acquire();
    log(`Lease automatically acquired: ${lease.id}`);

    // Perform protected operations.
    await file.uploadFile(UPDATED_CONTENT, { overwrite: true, leaseId: lease.id });
    const properties = await file.getFileProperties();
    log(`File size: ${properties.size} bytes`);
    log(`Lease state inside the block: ${properties.lease.state}`);
  }

  // The lease was released when the block ended.
  const after = await file.getFileProperties();
  log(`Lease automatically released (state: ${after.lease.state})`);
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
