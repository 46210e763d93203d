/**
 * The result model: one row per figure, with a cell for each role — "ours" (Sharelock, or our SDK),
 * "peer" (Azurite, or the official SDK) and "limit" (the bare node:http server) — and the ratios
 * ours/peer and ours/limit that the table reports.
 */

/** The roles a figure is measured for, in table order. */
export const ROLES = /** @type {const} */ (["ours", "peer", "limit"]);

/**
 * @typedef {{ value: number, runs: number[] } | { error: string } | { na: string }} Cell
 * @typedef {{ id: string, title: string, unit: string, better: "higher" | "lower",
 *   peerName: string, limitName: string, note?: string,
 *   cells: Partial<Record<"ours" | "peer" | "limit", Cell>> }} Row
 */

/** A short, single-line message for an error. */
export function errorText(err) {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, " ").slice(0, 160);
}

/**
 * The best of several runs: the highest for throughputs, the lowest for times, CPU and memory.
 * Interference on a shared machine only ever makes a run worse, so the best run is the least
 * disturbed one.
 */
export function best(runs, better) {
  return better === "higher" ? Math.max(...runs) : Math.min(...runs);
}

/** The median of some numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Runs `measure(role, round)` for every role, `rounds` times, interleaved (ours, peer, limit, ours,
 * …) so that slow drifts of the machine hit every role alike. A role that fails once is not retried;
 * a role listed in `unavailable` (e.g. its server did not start) is not run and reports that reason.
 * @returns {Promise<Record<string, { runs: object[] } | { error: string }>>} metric objects per role.
 */
export async function interleaved(roles, rounds, measure, log = () => {}, unavailable = {}) {
  /** @type {Record<string, { runs: object[] } | { error: string }>} */
  const outcome = {};
  for (const role of roles) {
    if (unavailable[role]) outcome[role] = { error: unavailable[role] };
  }
  for (let round = 0; round < rounds; round++) {
    for (const role of roles) {
      const sofar = outcome[role];
      if (sofar && "error" in sofar) continue;
      try {
        const metrics = await measure(role, round);
        log(
          `    ${role}: ${JSON.stringify(metrics, (_, v) => (typeof v === "number" ? Number(v.toPrecision(4)) : v))}`,
        );
        if (sofar) sofar.runs.push(metrics);
        else outcome[role] = { runs: [metrics] };
      } catch (err) {
        log(`    ${role}: error: ${errorText(err)}`);
        outcome[role] = { error: errorText(err) };
      }
    }
  }
  return outcome;
}

/**
 * A row whose cells take metric `key` from interleaved outcomes (best run).
 * @param {Omit<Row, "cells" | "peerName" | "limitName"> & { peerName?: string, limitName?: string }} spec
 * @param {Record<string, { runs: object[] } | { error: string }>} outcome
 * @param {string} key
 * @returns {Row}
 */
export function rowFrom(spec, outcome, key) {
  /** @type {Row["cells"]} */
  const cells = {};
  for (const [role, result] of Object.entries(outcome)) {
    if ("error" in result) {
      cells[role] = { error: result.error };
      continue;
    }
    const runs = result.runs.map((m) => m[key]).filter((v) => typeof v === "number" && Number.isFinite(v));
    cells[role] = runs.length ? { value: best(runs, spec.better), runs } : { error: `no ${key} measured` };
  }
  return { peerName: "Azurite", limitName: "bare node:http", ...spec, cells };
}

/** A row whose every cell is the same error (a scenario that failed as a whole). */
export function errorRow(spec, roles, err) {
  const cells = Object.fromEntries(roles.map((role) => [role, { error: errorText(err) }]));
  return { peerName: "Azurite", limitName: "bare node:http", ...spec, cells };
}

/** The value of a row's cell, if it has one. */
export function cellValue(row, role) {
  const cell = row.cells[role];
  return cell && "value" in cell ? cell.value : undefined;
}

/** ours / other, if both were measured. */
export function ratio(row, role) {
  const ours = cellValue(row, "ours");
  const other = cellValue(row, role);
  return ours !== undefined && other !== undefined && other !== 0 ? ours / other : undefined;
}
