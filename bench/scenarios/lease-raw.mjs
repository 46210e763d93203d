/**
 * Server capacity for leases: 16 keep-alive connections replay pre-signed acquire/release requests
 * (proposed lease ids, one file per connection) as fast as the server answers. No SDK, no per-request
 * signing, so the client costs as little as possible.
 */
import { randomUUID } from "node:crypto";
import { closedLoop } from "../lib/closed-loop.mjs";
import { cpuMicros } from "../lib/proc-stats.mjs";
import { dialectFor } from "../lib/raw-dialects.mjs";
import { expectStatus, openClient, send } from "../lib/raw-http.mjs";
import { interleaved, ROLES, rowFrom } from "../lib/rows.mjs";

async function measure(ctx, role) {
  const server = ctx.servers[role];
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
  const outcome = await interleaved(
    ROLES,
    ctx.sizes.rounds,
    (role) => measure(ctx, role),
    ctx.log,
    ctx.unavailable,
  );
  return [
    rowFrom(
      {
        id: "lease-raw",
        title: `lease acquire/release, raw, ${ctx.sizes.workers} connections`,
        unit: "req/s",
        better: "higher",
      },
      outcome,
      "requestsPerSecond",
    ),
    rowFrom(
      { id: "lease-cpu-raw", title: "server CPU per lease op, raw", unit: "µs/op", better: "lower" },
      outcome,
      "cpuMicrosPerOp",
    ),
  ];
}
