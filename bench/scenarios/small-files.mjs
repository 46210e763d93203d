/** Create+delete 1 KiB files with 16 workers through the official SDKs. */
import { randomBytes } from "node:crypto";
import { closedLoop } from "../lib/closed-loop.mjs";
import { KiB } from "../lib/constants.mjs";
import { cpuMicros } from "../lib/proc-stats.mjs";
import { interleaved, ROLES, rowFrom } from "../lib/rows.mjs";

/** @param {any} ctx */
export async function smallFilesScenario(ctx) {
  const { sizes, log } = ctx;
  const data = randomBytes(KiB);
  log(`create+delete 1 KiB files, ${sizes.workers} workers`);
  const outcome = await interleaved(
    ROLES,
    sizes.rounds,
    async (role, round) => {
      const client = ctx.clients[role];
      const pid = ctx.servers[role].pid;
      const result = await closedLoop({
        workers: sizes.workers,
        warmupMs: sizes.warmupMs,
        durationMs: sizes.smallFilesMs,
        iteration: (w, n) => client.createDelete(`small-${round}-${w}-${n}`, data),
        sample: () => cpuMicros(pid),
      });
      return {
        filesPerSecond: result.iterationsPerSecond,
        cpuMicrosPerFile: (result.endSample - result.startSample) / result.iterations,
      };
    },
    log,
    ctx.unavailable,
  );
  return [
    rowFrom(
      {
        id: "small-files",
        title: `create+delete 1 KiB files, SDK, ${sizes.workers} workers`,
        unit: "files/s",
        better: "higher",
        note: "a file takes Create File + Put Range + Delete, a blob Put Blob + Delete",
      },
      outcome,
      "filesPerSecond",
    ),
    rowFrom(
      { id: "small-files-cpu", title: "server CPU per 1 KiB file cycle", unit: "µs/file", better: "lower" },
      outcome,
      "cpuMicrosPerFile",
    ),
  ];
}
