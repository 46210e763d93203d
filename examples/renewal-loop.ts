/**
 * The seed's "Lease Renewal and Extension": a long job on a short lease, renewing it after every
 * step. The seed uses a 30-second lease and five 10-second steps; this version uses a 15-second
 * lease (the shortest fixed lease) and three steps one second apart by default, so it finishes in
 * about three seconds. Each renewal restarts the lease's 15 seconds.
 *
 * For renewal without a loop of your own, see `acquire({ leaseDuration: 15, autoRenew: true })`.
 *
 * Run it: `npm start`, then `npx tsx examples/renewal-loop.ts`.
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
export const SHARE_NAME = "example-renewal-loop";
/** The file it leases. */
export const FILE_PATH = "important_file.txt";

/** How long the simulated job runs. */
export interface RenewalLoopOptions {
  /** Work steps, each followed by a renewal (default 3). */
  steps?: number;
  /** Milliseconds of "work" per step (default 1000). */
  stepMs?: number;
}

/** Runs the example, writing what happens to `log`. */
export async function run(
  connectionString: string,
  log: Log,
  { steps = 3, stepMs = 1000 }: RenewalLoopOptions = {},
): Promise<void> {
  const file = await prepareFile(connectionString, SHARE_NAME, FILE_PATH);

  // Acquire a short-term lease.
  const lease = new ShareLeaseClient(file);
  await lease.acquire({ leaseDuration: 15 });
  log(`Initial lease acquired: ${lease.id}`);

  // Simulate a long-running operation, renewing the lease after each step.
  for (let i = 0; i < steps; i++) {
    log(`Processing step ${i + 1}...`);
    await sleep(stepMs);
    try {
      await lease.renew();
      log("Lease renewed successfully");
    } catch (error) {
      log(`Failed to renew lease: ${describeError(error)}`);
      break;
    }
  }

  await lease.release();
  log("Lease released");
}

if (import.meta.url === mainModuleUrl()) await run(connectionStringFromEnv(), console.log);
