/** Command-line options and the sizes of the full and the quick (smoke) run. */
import { parseArgs } from "node:util";
import { MiB } from "./constants.mjs";

/** Sizes of the full run: the figures the targets are about. */
const FULL = {
  rounds: 3,
  warmupMs: 1000,
  leaseSequentialMs: 5000,
  leaseWorkersMs: 8000,
  rawMs: 8000,
  smallFilesMs: 6000,
  workers: 16,
  transferBytes: 256 * MiB,
  rangeBytes: 4 * MiB,
  transferConcurrency: 4,
  listSmall: 10_000,
  listLarge: 100_000,
  pageSize: 5000,
  listWalks: 3,
  startups: 5,
  idleSettleMs: 2000,
  rssSettleMs: 5000,
  sdkLeaseMs: 5000,
};

/** Sizes of `--quick`: every scenario, small, to check the suite works (well under a minute). */
const QUICK = {
  ...FULL,
  rounds: 1,
  warmupMs: 200,
  leaseSequentialMs: 600,
  leaseWorkersMs: 600,
  rawMs: 600,
  smallFilesMs: 600,
  transferBytes: 16 * MiB,
  listSmall: 300,
  listLarge: 1200,
  pageSize: 200,
  listWalks: 2,
  startups: 1,
  idleSettleMs: 300,
  rssSettleMs: 500,
  sdkLeaseMs: 600,
};

/** Every scenario, in run order. */
export const SCENARIO_NAMES = [
  "lease-sdk",
  "lease-raw",
  "small-files",
  "transfer",
  "our-sdk",
  "listing",
  "startup",
];

const USAGE = `usage: node bench/run.mjs [--quick] [--only name,name] [--profile]
  --quick    small sizes, one round: a smoke run in well under a minute
  --only     run only these scenarios: ${SCENARIO_NAMES.join(", ")}
  --profile  start Sharelock with --cpu-prof and print its hottest functions afterwards`;

/** Parses argv into { quick, only, profile, sizes }. */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      profile: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : SCENARIO_NAMES;
  const unknown = only.filter((name) => !SCENARIO_NAMES.includes(name));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")}\n${USAGE}`);
  return {
    quick: values.quick,
    only,
    profile: values.profile,
    complete: only.length === SCENARIO_NAMES.length,
    sizes: values.quick ? QUICK : FULL,
  };
}
