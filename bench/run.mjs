/**
 * The benchmark suite: Sharelock vs Azurite (the peer) vs a bare node:http server (the limit), every
 * figure measured side by side in the same run and reported as ratios. `node bench/run.mjs --help`.
 */
import { readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { formatProfileSummary, summarizeProfile } from "./lib/cpu-profile.mjs";
import { parseOptions } from "./lib/options.mjs";
import { environment, stamp, writeJson, writeLatestMarkdown } from "./lib/results.mjs";
import { errorRow, errorText, ROLES } from "./lib/rows.mjs";
import { officialClientFor } from "./lib/sdk-clients.mjs";
import { startAzurite, startBare, startSharelock } from "./lib/servers.mjs";
import { peerNotes, textTable } from "./lib/table.mjs";
import { leaseRawScenario } from "./scenarios/lease-raw.mjs";
import { leaseSdkScenario } from "./scenarios/lease-sdk.mjs";
import { listingScenario } from "./scenarios/listing.mjs";
import { ourSdkScenario } from "./scenarios/our-sdk.mjs";
import { smallFilesScenario } from "./scenarios/small-files.mjs";
import { startupScenario } from "./scenarios/startup.mjs";
import { transferScenario } from "./scenarios/transfer.mjs";

/** Scenarios that share one long-running server of each kind. */
const ON_SHARED_SERVERS = {
  "lease-sdk": leaseSdkScenario,
  "lease-raw": leaseRawScenario,
  "small-files": smallFilesScenario,
  transfer: transferScenario,
  "our-sdk": ourSdkScenario,
};
/** Scenarios that start servers of their own. */
const ON_OWN_SERVERS = { listing: listingScenario, startup: startupScenario };

const log = (line) => process.stderr.write(`${line}\n`);

/** Rejects if `promise` takes longer than `ms`. */
function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function runScenario(name, scenario, ctx, rows) {
  const started = performance.now();
  log(`\n== ${name}`);
  try {
    rows.push(...(await withTimeout(scenario(ctx), ctx.scenarioTimeoutMs, name)));
  } catch (err) {
    log(`   error: ${errorText(err)}`);
    rows.push(errorRow({ id: name, title: name, unit: "", better: "higher" }, ROLES, err));
  }
  log(`   (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

/** Starts one server of each kind; a server that fails makes its role unavailable. */
async function startSharedServers(ctx) {
  const starters = {
    ours: () => startSharelock({ cpuProfDir: ctx.profileDir }),
    peer: startAzurite,
    limit: startBare,
  };
  for (const role of ROLES) {
    try {
      const server = await starters[role]();
      ctx.servers[role] = server;
      log(
        `   ${server.kind}: pid ${server.pid}, ${server.endpoint}, first request after ${server.startMs.toFixed(0)} ms`,
      );
      ctx.clients[role] = officialClientFor(server, ctx.root);
      await withTimeout(ctx.clients[role].prepare(ctx.sizes.workers), 60_000, `${server.kind} set-up`);
    } catch (err) {
      ctx.unavailable[role] = `${role} server unavailable: ${errorText(err)}`;
      log(`   ${ctx.unavailable[role]}`);
    }
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const started = performance.now();
  const env = environment();
  // Profiles are large: they go to the temp dir, only their summaries into the results.
  const profileDir = options.profile
    ? join(tmpdir(), "sharelock-bench-profiles", stamp(startedAt))
    : undefined;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  log(`Sharelock bench (${options.quick ? "quick" : "full"}): ${options.only.join(", ")}`);
  log(`node ${env.node}, ${env.cores} × ${env.cpu}, load average ${env.loadAverage.join(" / ")}`);
  const ctx = {
    sizes: options.sizes,
    root: "bench",
    servers: {},
    clients: {},
    unavailable: {},
    profileDir,
    log,
    scenarioTimeoutMs: options.quick ? 120_000 : 30 * 60_000,
  };
  const rows = [];
  const shared = options.only.filter((name) => name in ON_SHARED_SERVERS);
  if (shared.length) {
    log("\n== starting Sharelock, Azurite and the bare server");
    await startSharedServers(ctx);
    try {
      for (const name of shared) await runScenario(name, ON_SHARED_SERVERS[name], ctx, rows);
    } finally {
      await Promise.all(Object.values(ctx.servers).map((server) => server.close()));
    }
  }
  for (const name of options.only.filter((n) => n in ON_OWN_SERVERS)) {
    await runScenario(name, ON_OWN_SERVERS[name], ctx, rows);
  }

  const report = {
    startedAt: startedAt.toISOString(),
    seconds: (performance.now() - started) / 1000,
    quick: options.quick,
    scenarios: options.only,
    sizes: options.sizes,
    environment: { ...env, loadAverageAtEnd: environment().loadAverage },
    rows,
    profiles: [],
  };
  if (profileDir) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) {
      const summary = summarizeProfile(join(profileDir, file));
      report.profiles.push({ file: join(profileDir, file), ...summary });
      log(`\n== CPU profile of Sharelock ${file}\n${formatProfileSummary(summary)}`);
    }
  }
  process.stdout.write(`\n${textTable(rows)}\n`);
  for (const note of peerNotes(rows)) process.stdout.write(`  * ${note}\n`);
  const jsonPath = await writeJson(report);
  process.stdout.write(`\nJSON: ${jsonPath}\n`);
  if (options.complete && !options.quick && !options.profile) {
    process.stdout.write(`Summary: ${await writeLatestMarkdown(report)}\n`);
  }
}

main().catch((err) => {
  log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
