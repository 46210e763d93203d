/**
 * Our SDK (packages/client) against the official @azure/storage-file-share, both against Sharelock:
 * sequential lease cycles, and the large upload + download round trip. Skipped with an "n/a" row
 * while packages/client/dist/index.js does not export ShareFileClient.
 */
import { randomFillSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { closedLoop } from "../lib/closed-loop.mjs";
import { MiB } from "../lib/constants.mjs";
import { loadOurClient, ourFilesClient } from "../lib/our-client.mjs";
import { interleaved, rowFrom } from "../lib/rows.mjs";

const SPEC = { peerName: "official SDK (both against Sharelock)", limitName: "none" };

/** @param {any} ctx */
export async function ourSdkScenario(ctx) {
  const { sizes, log } = ctx;
  const size = sizes.transferBytes;
  const leaseRow = {
    ...SPEC,
    id: "sdk-lease",
    title: "our SDK: lease acquire+release, 1 worker",
    unit: "cycles/s",
    better: "higher",
  };
  const tripRow = {
    ...SPEC,
    id: "sdk-roundtrip",
    title: `our SDK: ${size / MiB} MiB upload+download`,
    unit: "MB/s",
    better: "higher",
  };
  const ours = await loadOurClient();
  if (!ours.module) {
    log(`our SDK: ${ours.unavailable}`);
    return [leaseRow, tripRow].map((row) => ({ ...row, cells: { ours: { na: ours.unavailable } } }));
  }
  const clients = {
    ours: ourFilesClient(ours.module, ctx.servers.ours.connectionString, ctx.root),
    peer: ctx.clients.ours,
  };
  const roles = ["ours", "peer"];
  const down = ctx.unavailable.ours;
  const unavailable = down ? { ours: down, peer: down } : {};
  log("our SDK vs official SDK: lease cycles, 1 worker");
  const leases = await interleaved(
    roles,
    sizes.rounds,
    async (role) => {
      const leaser = clients[role].leaser(0);
      const result = await closedLoop({
        workers: 1,
        warmupMs: sizes.warmupMs,
        durationMs: sizes.sdkLeaseMs,
        iteration: () => leaser.cycle(),
      });
      return { cyclesPerSecond: result.iterationsPerSecond };
    },
    log,
    unavailable,
  );
  log(`our SDK vs official SDK: ${size / MiB} MiB round trip`);
  const source = randomFillSync(Buffer.allocUnsafe(size));
  const target = Buffer.alloc(size);
  const trips = await interleaved(
    roles,
    sizes.rounds,
    async (role, round) => {
      const client = clients[role];
      const name = `sdk-${role}-${round}`;
      const started = performance.now();
      await client.upload(name, source, sizes.rangeBytes, sizes.transferConcurrency);
      await client.download(name, target, sizes.rangeBytes, sizes.transferConcurrency);
      const seconds = (performance.now() - started) / 1000;
      return { roundTripMBps: (2 * size) / 1e6 / seconds };
    },
    log,
    unavailable,
  );
  return [rowFrom(leaseRow, leases, "cyclesPerSecond"), rowFrom(tripRow, trips, "roundTripMBps")];
}
