/**
 * The seed's "Concurrent Access Control": three workers start at the same time and each tries to
 * lease the same file; exactly one gets it and does its work, the others find the file locked.
 *
 * Changes from the seed: the workers are concurrent async functions rather than threads; the lease
 * lasts 15 seconds (the seed's `work_duration + 5` = 10 s is shorter than the shortest fixed lease,
 * 15 s); there are 3 work steps of 300 ms by default instead of 5 of one second.
 *
 * Run it: `npm start`, then `npx tsx examples/concurrent-workers.ts`.
 */
import { ShareError, type ShareFileClient, ShareLeaseClient } from "@sharelock/client";
import { connectionStringFromEnv, type Log, mainModuleUrl, prepareFile, sleep } from "./example-support.js";

/** The share this example works in. */
export const SHARE_NAME = "example-concurrent-workers";
/** The file the workers compete for. */
export const FILE_PATH = "important_file.txt";
/** How many workers compete. */
export const WORKER_COUNT = 3;

/** How much work the winner does. */
export interface WorkerOptions {
  /** Work steps (default 3). */
  steps?: number;
  /** Milliseconds per step (default 300). */
  stepMs?: number;
}

/** Tries to lease the file and, if that works, does exclusive work under the lease. */
async function workerWithLease(
  workerId: number,
  file: ShareFileClient,
  log: Log,
  { steps = 3, stepMs = 300 }: WorkerOptions,
): Promise<void> {
  log(`Worker ${workerId}: Starting`);
  const leaseClient = new ShareLeaseClient(file);
  try {
    // Try to acquire the lease.
    await leaseClient.acquire({ leaseDuration: 15 });
    log(`Worker ${workerId}: Lease acquired ${leaseClient.id}`);

    // Perform exclusive work.
    for (let i = 0; i < steps; i++) {
      log(`Worker ${workerId}: Working... step ${i + 1}`);
      // Update the file to show work progress.
      await file.setFileMetadata(
        { worker: String(workerId), step: String(i + 1), timestamp: String(Date.now() / 1000) },
        { leaseId: leaseClient.id },
      );
      await sleep(stepMs);
    }
    log(`Worker ${workerId}: Work completed`);
  } catch (error) {
    if (error instanceof ShareError && error.errorCode === "LeaseAlreadyPresent") {
      log(`Worker ${workerId}: File is locked by another worker`);
    } else if (error instanceof ShareError) {
      log(`Worker ${workerId}: Error - ${error.message}`);
    } else {
      log(`Worker ${workerId}: Unexpected error - ${String(error)}`);
    }
  } finally {
    // Only the worker that holds the lease releases it; for the others there is nothing to release.
    if (leaseClient.isHeld) {
      await leaseClient.release();
      log(`Worker ${workerId}: Lease released`);
    }
  }
}

/** Runs the example, writing what happens to `log`. */
export async function run(connectionString: string, log: Log, options: WorkerOptions = {}): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);
  // Start the workers together (only one will get the lease) and wait for all of them.
  const workers = Array.from({ length: WORKER_COUNT }, (_, i) => workerWithLease(i, file, log, options));
  await Promise.all(workers);
  log("All workers finished");
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
