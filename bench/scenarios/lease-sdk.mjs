/**
 * Lease acquire+release cycles through the official SDKs: one worker on one file, then 16 workers on
 * 16 files, with the server's CPU time per lease operation over the 16-worker window.
 */
import { closedLoop } from "../lib/closed-loop.mjs";
import { cpuMicros } from "../lib/proc-stats.mjs";
import { interleaved, ROLES, rowFrom } from "../lib/rows.mjs";

/** Lease cycles per second (and server µs per lease op) of one role. */
async function measure(ctx, role, workers, durationMs) {
  const client = ctx.clients[role];
  const pid = ctx.servers[role].pid;
  const leasers = Array.from({ length: workers }, (_, w) => client.leaser(w));
  const result = await closedLoop({
    workers,
    warmupMs: ctx.sizes.warmupMs,
    durationMs,
    iteration: (w) => leasers[w].cycle(),
    sample: () => cpuMicros(pid),
  });
  return {
    cyclesPerSecond: result.iterationsPerSecond,
    cpuMicrosPerOp: (result.endSample - result.startSample) / result.ops,
  };
}

/** @param {any} ctx */
export async function leaseSdkScenario(ctx) {
  const { sizes, log } = ctx;
  log("lease cycles, official SDKs, 1 worker");
  const sequential = await interleaved(
    ROLES,
    sizes.rounds,
    (role) => measure(ctx, role, 1, sizes.leaseSequentialMs),
    log,
    ctx.unavailable,
  );
  log(`lease cycles, official SDKs, ${sizes.workers} workers`);
  const parallel = await interleaved(
    ROLES,
    sizes.rounds,
    (role) => measure(ctx, role, sizes.workers, sizes.leaseWorkersMs),
    log,
    ctx.unavailable,
  );
  return [
    rowFrom(
      {
        id: "lease-sdk-1",
        title: "lease acquire+release, SDK, 1 worker",
        unit: "cycles/s",
        better: "higher",
      },
      sequential,
      "cyclesPerSecond",
    ),
    rowFrom(
      {
        id: "lease-sdk-16",
        title: `lease acquire+release, SDK, ${sizes.workers} workers/files`,
        unit: "cycles/s",
        better: "higher",
      },
      parallel,
      "cyclesPerSecond",
    ),
    rowFrom(
      {
        id: "lease-cpu-sdk-16",
        title: `server CPU per lease op, SDK, ${sizes.workers} workers`,
        unit: "µs/op",
        better: "lower",
      },
      parallel,
      "cpuMicrosPerOp",
    ),
  ];
}
