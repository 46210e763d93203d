/** Summaries of V8 .cpuprofile files (written by `node --cpu-prof`): where the CPU time went. */
import { readFileSync } from "node:fs";
import { REPO_DIR } from "./constants.mjs";

function shortLocation(url, line) {
  if (!url) return "(native)";
  const path = url.replace(/^file:\/\//, "").replace(`${REPO_DIR}/`, "");
  return `${path}:${line + 1}`;
}

function shortFile(url) {
  if (!url) return "(native / V8)";
  const path = url.replace(/^file:\/\//, "").replace(`${REPO_DIR}/`, "");
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return pkg ? `node_modules/${pkg[1]}` : path;
}

/**
 * Self time per function and per file (node_modules packages folded together), idle time excluded.
 * @param {string} path - a .cpuprofile file
 * @param {number} [top]
 */
export function summarizeProfile(path, top = 20) {
  const profile = JSON.parse(readFileSync(path, "utf8"));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map();
  const byFile = new Map();
  let busy = 0;
  for (const [id, micros] of selfMicros) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") continue;
    busy += micros;
    const name = frame.functionName || "(anonymous)";
    const key = `${name} ${shortLocation(frame.url, frame.lineNumber)}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const file = name.startsWith("(") ? name : shortFile(frame.url);
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, micros]) => ({ what, selfMs: micros / 1000, percent: (100 * micros) / (busy || 1) }));
  return { busyMs: busy / 1000, functions: rank(byFunction), files: rank(byFile) };
}

/** The summary as text lines. */
export function formatProfileSummary(summary) {
  const line = (entry) =>
    `  ${entry.percent.toFixed(1).padStart(5)}%  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.what}`;
  return [
    `busy CPU ${summary.busyMs.toFixed(0)} ms; hottest functions (self time):`,
    ...summary.functions.map(line),
    "by file / package (self time):",
    ...summary.files.map(line),
  ].join("\n");
}
