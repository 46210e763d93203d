/**
 * The issue's targets, attached to rows by id. Each target bounds one of: ours/peer, ours/limit, or
 * ours' own value (absolute).
 */
import { cellValue, ratio } from "./rows.mjs";

/**
 * @typedef {{ on: "peer" | "limit" | "value", min?: number, max?: number, text: string }} Target
 * @type {Record<string, Target[]>}
 */
export const TARGETS = {
  "lease-sdk-16": [{ on: "peer", min: 2, text: "≥ 2× peer" }],
  "lease-cpu-sdk-16": [{ on: "peer", max: 0.2, text: "≤ 1/5 of peer" }],
  "lease-raw": [
    { on: "peer", min: 5, text: "≥ 5× peer" },
    { on: "limit", min: 0.4, text: "≥ 40% of limit" },
  ],
  "lease-cpu-raw": [{ on: "peer", max: 0.2, text: "≤ 1/5 of peer" }],
  upload: [
    { on: "peer", min: 5, text: "≥ 5× peer" },
    { on: "limit", min: 0.7, text: "≥ 70% of limit" },
  ],
  download: [{ on: "limit", min: 0.8, text: "≥ 80% of limit" }],
  "listing-large-last-vs-first": [{ on: "value", max: 1.5, text: "≤ 1.5" }],
  "rss-after-files": [{ on: "value", max: 150, text: "≤ 150 MiB" }],
  startup: [{ on: "value", max: 200, text: "≤ 200 ms" }],
  "idle-rss": [{ on: "value", max: 60, text: "≤ 60 MiB" }],
  "sdk-lease": [{ on: "peer", min: 1, text: "≥ 1× official" }],
  "sdk-roundtrip": [{ on: "peer", min: 1, text: "≥ 1× official" }],
};

/**
 * Whether one target is met: true, false, or undefined when a figure it needs is missing.
 * @param {import("./rows.mjs").Row} row
 * @param {Target} target
 */
export function targetMet(row, target) {
  const figure = target.on === "value" ? cellValue(row, "ours") : ratio(row, target.on);
  if (figure === undefined) return undefined;
  if (target.min !== undefined && figure < target.min) return false;
  if (target.max !== undefined && figure > target.max) return false;
  return true;
}

/**
 * The targets of a row and whether each is met.
 * @param {import("./rows.mjs").Row} row
 * @returns {{ text: string, met: boolean | undefined }[]}
 */
export function evaluateTargets(row) {
  return (TARGETS[row.id] ?? []).map((target) => ({ text: target.text, met: targetMet(row, target) }));
}
