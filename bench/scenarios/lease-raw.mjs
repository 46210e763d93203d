/**
 * Server capacity for leases: 16 keep-alive connections replay pre-signed acquire/release requests
 * (proposed lease ids, one file per connection) as fast as the server answers. No SDK, no per-request
 * signing, so the client costs as little as possible.
 *
 * Besides the usual limit (the bare server's empty answer) it measures a second one: the bare server
 * syncing a log line per lease before answering (group commit), the least a server must do whose
 * acknowledged leases survive a crash. Its row shows how much of the gap to the first limit is
 * durability and how much is Sharelock's own work.
 */
import { randomUUID } from "node:crypto";
import { closedLoop } from "../lib/closed-loop.mjs";
import { cpuMicros } from "../lib/proc-stats.mjs";
import { dialectFor } from "../lib/raw-dialects.mjs";
import { expectStatus, openClient, send } from "../lib/raw-http.mjs";
import { interleaved, ROLES, rowFrom } from "../lib/rows.mjs";
import { startBare } from "../lib/servers.mjs";

/** The extra role measured here: the bare server with a durable lease log. */
const DURABLE = "durableLimit";

async function measure(ctx, servers, role) {
  const server = servers[role];
  const dialect = dialectFor(server.kind, ctx.root);
  const workers = ctx.sizes.workers;
  const plans = Array.from({ length: workers }, (_, w) => {
    const leaseId = randomUUID();
    return {
      client: openClient(server.origin),
      acquire: dialect.leaseAcquire(`lease-${w}`, leaseId),
      release: dialect.leaseRelease(`lease-${w}`, leaseId),
    };
  });
  try {
    const result = await closedLoop({
      workers,
      warmupMs: ctx.sizes.warmupMs,
      durationMs: ctx.sizes.rawMs,
      iteration: async (w) => {
        const plan = plans[w];
        expectStatus(await send(plan.client, plan.acquire), 201, "acquire");
        expectStatus(await send(plan.client, plan.release), 200, "release");
        return 2;
      },
      sample: () => cpuMicros(server.pid),
    });
    return {
      requestsPerSecond: result.opsPerSecond,
      cpuMicrosPerOp: (result.endSample - result.startSample) / result.ops,
    };
  } finally {
    await Promise.all(plans.map((plan) => plan.client.close()));
  }
}

/** @param {any} ctx */
export async function leaseRawScenario(ctx) {
  ctx.log(`raw pre-signed lease load, ${ctx.sizes.workers} connections`);
  const servers = { ...ctx.servers };
  const unavailable = { ...ctx.unavailable };
  try {
    servers[DURABLE] = await startBare({ durableLeases: true });
  } catch (err) {
    unavailable[DURABLE] = `durable bare server unavailable: ${err instanceof Error ? err.message : err}`;
  }
  let outcome;
  try {
    outcome = await interleaved(
      [...ROLES, DURABLE],
      ctx.sizes.rounds,
      (role) => measure(ctx, servers, role),
      ctx.log,
      unavailable,
    );
  } finally {
    await servers[DURABLE]?.close();
  }
  const { [DURABLE]: durable, ...byRole } = outcome;
  const againstDurable = { ours: byRole.ours, ...(durable ? { limit: durable } : {}) };
  return [
    rowFrom(
      {
        id: "lease-raw",
        title: `lease acquire/release, raw, ${ctx.sizes.workers} connections`,
        unit: "req/s",
        better: "higher",
      },
      byRole,
      "requestsPerSecond",
    ),
    rowFrom(
      {
        id: "lease-raw-durable",
        title: "the same, against a durable limit",
        unit: "req/s",
        better: "higher",
        limitName: "bare node:http + fdatasync per group",
        note: "limit = the bare server syncing a lease log line per request, one fdatasync per event-loop turn",
      },
      againstDurable,
      "requestsPerSecond",
    ),
    rowFrom(
      { id: "lease-cpu-raw", title: "server CPU per lease op, raw", unit: "µs/op", better: "lower" },
      byRole,
      "cpuMicrosPerOp",
    ),
  ];
}
