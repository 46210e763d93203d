/**
 * Cold start: from spawning the server process (node directly, fresh empty data directory) to the end
 * of the first HTTP response it serves; then its RSS once it has been idle for a moment.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { MiB } from "../lib/constants.mjs";
import { rssBytes } from "../lib/proc-stats.mjs";
import { interleaved, ROLES, rowFrom } from "../lib/rows.mjs";
import { startServer } from "../lib/servers.mjs";

const KINDS = { ours: "sharelock", peer: "azurite", limit: "bare" };

/** @param {any} ctx */
export async function startupScenario(ctx) {
  const { sizes, log } = ctx;
  log(`cold start and idle RSS, ${sizes.startups} launches each`);
  const outcome = await interleaved(
    ROLES,
    sizes.startups,
    async (role) => {
      const server = await startServer(KINDS[role]);
      try {
        await sleep(sizes.idleSettleMs);
        return { startMs: server.startMs, idleRssMiB: rssBytes(server.pid) / MiB };
      } finally {
        await server.close();
      }
    },
    log,
  );
  return [
    rowFrom(
      { id: "startup", title: "cold start to first served request", unit: "ms", better: "lower" },
      outcome,
      "startMs",
    ),
    rowFrom(
      { id: "idle-rss", title: "idle RSS after start", unit: "MiB", better: "lower" },
      outcome,
      "idleRssMiB",
    ),
  ];
}
