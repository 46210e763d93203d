/** Writing a run's results: the JSON (ignored by git) and, for full runs, results/latest.md. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { BENCH_DIR, RESULTS_DIR } from "./constants.mjs";
import { markdownTable, peerNotes } from "./table.mjs";
import { evaluateTargets } from "./targets.mjs";

/** Everything about the machine and the software that a reader of the figures needs. */
export function environment() {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      encoding: "utf8",
      timeout: 5000,
    }).trim();
  } catch {}
  let azurite = "not installed";
  const azuritePackage = join(BENCH_DIR, "node_modules/azurite/package.json");
  if (existsSync(azuritePackage)) azurite = JSON.parse(readFileSync(azuritePackage, "utf8")).version;
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((v) => Number(v.toFixed(2))),
    commit,
    azurite,
  };
}

/** A file-name-safe timestamp. */
export function stamp(date) {
  return date.toISOString().replace(/[:.]/g, "-");
}

/** Writes bench/results/<stamp>[-quick].json and returns its path. */
export async function writeJson(report) {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${stamp(new Date(report.startedAt))}${report.quick ? "-quick" : ""}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** Anything a person wrote below this line in latest.md survives the next full run. */
const KEEP_MARKER =
  "<!-- Everything below this line is written by hand and kept when the bench rewrites this file. -->";

/** Writes bench/results/latest.md: the table and the targets, keeping the hand-written notes below the marker. */
export async function writeLatestMarkdown(report) {
  const path = join(RESULTS_DIR, "latest.md");
  let kept = `${KEEP_MARKER}\n`;
  if (existsSync(path)) {
    const old = readFileSync(path, "utf8");
    const at = old.indexOf(KEEP_MARKER);
    if (at >= 0) kept = old.slice(at);
  }
  const env = report.environment;
  const targets = report.rows.flatMap((row) =>
    evaluateTargets(row).map(
      (t) => `- ${t.met === undefined ? "n/a" : t.met ? "met" : "**missed**"}: ${row.title} — ${t.text}`,
    ),
  );
  const notes = peerNotes(report.rows).map((line) => `- ${line}`);
  const text = [
    "# Benchmark results (latest full run)",
    "",
    `Run ${report.startedAt} (${Math.round(report.seconds)} s) at commit ${env.commit}: Node ${env.node}, ` +
      `${env.cores} × ${env.cpu}, ${env.memoryGiB} GiB, Azurite ${env.azurite}; load average ${env.loadAverage.join(" / ")} at the start, ` +
      `${(env.loadAverageAtEnd ?? []).join(" / ") || "?"} at the end.`,
    "Written by `npm run bench`; see ../README.md for what each row measures and how ratios are computed.",
    "Sharelock = ours; peer = Azurite (blob service) unless noted; limit = a bare node:http server.",
    "",
    markdownTable(report.rows),
    "",
    ...(notes.length ? ["Notes:", "", ...notes, ""] : []),
    "## Targets",
    "",
    ...targets,
    "",
    kept,
  ].join("\n");
  await writeFile(path, text.endsWith("\n") ? text : `${text}\n`);
  return path;
}
