/**
 * The seed's "Share-Level Lease Management": an infinite lease on a whole share, share metadata set
 * under it, and a directory created while it is held.
 *
 * The seed passes the share lease id to `create_directory`; `createDirectory` accepts it for the
 * same code to work, but does not send it: directory operations take no lease on Azure, and a share
 * lease gates only operations on the share itself (delete, metadata, properties, ACL).
 *
 * Run it: `npm start`, then `npx tsx examples/share-lease.ts`.
 */
import { ShareLeaseClient } from "@sharelock/client";
import {
  connectionStringFromEnv,
  describeError,
  type Log,
  mainModuleUrl,
  prepareShare,
} from "./example-support.js";

/** The share this example leases. */
export const SHARE_NAME = "example-protected-share";
/** The directory it creates under the lease. */
export const DIRECTORY_NAME = "maintenance";

/** Runs the example, writing what happens to `log`. */
export async function run(connectionString: string, log: Log): Promise<void> {
  const share = await prepareShare(connectionString, SHARE_NAME);
  const leftover = share.getDirectoryClient(DIRECTORY_NAME);
  if (await leftover.exists()) await leftover.delete();

  // Acquire an infinite lease on the share.
  const shareLease = new ShareLeaseClient(share);
  await shareLease.acquire();
  log(`Share lease acquired: ${shareLease.id}`);

  try {
    // Share operations require the lease id.
    try {
      await share.setShareMetadata({ maintenance_mode: "true" });
    } catch (error) {
      log(`Share metadata without the lease id is refused: ${describeError(error)}`);
    }
    await share.setShareMetadata(
      { maintenance_mode: "true", locked_by: "admin" },
      { leaseId: shareLease.id },
    );
    log("Share metadata set under the lease: maintenance_mode=true, locked_by=admin");

    // Create a directory while the share is leased.
    const directory = await share.createDirectory(DIRECTORY_NAME, { leaseId: shareLease.id });
    log(`Directory created: ${directory.path}`);

    const properties = await share.getShareProperties();
    log(`Share lease: ${properties.lease.state}, ${properties.lease.duration}`);
  } finally {
    await shareLease.release();
    log("Share lease released");
  }
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
