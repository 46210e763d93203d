/** Renders rows as one plain-text table (for the terminal) or a Markdown table (for latest.md). */
import { ROLES, ratio } from "./rows.mjs";
import { evaluateTargets } from "./targets.mjs";

/** A number with sensible precision: 12,345 / 123 / 12.3 / 1.23 / 0.123. */
export function formatNumber(value) {
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

function formatCell(cell) {
  if (!cell) return "—";
  if ("value" in cell) return formatNumber(cell.value);
  if ("na" in cell) return cell.na;
  return `error: ${cell.error}`;
}

function formatRatio(value) {
  return value === undefined ? "—" : `${formatNumber(value)}×`;
}

/** The cells of one row as strings, in column order. */
function rowCells(row) {
  const targets = evaluateTargets(row);
  const metText = targets.map((t) => (t.met === undefined ? "n/a" : t.met ? "met" : "MISSED")).join(", ");
  return [
    row.title,
    `${row.unit} ${row.better === "higher" ? "↑" : "↓"}`,
    ...ROLES.map((role) => formatCell(row.cells[role])),
    formatRatio(ratio(row, "peer")),
    formatRatio(ratio(row, "limit")),
    targets.map((t) => t.text).join(", ") || "—",
    metText || "—",
  ];
}

const HEADER = ["scenario", "unit", "Sharelock", "peer", "limit", "vs peer", "vs limit", "target", "met"];

/** A fixed-width text table; long error texts are kept whole on the right. */
export function textTable(rows) {
  const lines = [HEADER, ...rows.map(rowCells)];
  const widths = HEADER.map((_, col) =>
    Math.max(...lines.map((cells) => Math.min(col === 0 ? 56 : 24, (cells[col] ?? "").length))),
  );
  const render = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [render(lines[0] ?? []), rule, ...lines.slice(1).map(render)].join("\n");
}

/** The same table in Markdown. */
export function markdownTable(rows) {
  const escapeCell = (text) => text.replace(/\|/g, "\\|");
  const render = (cells) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [render(HEADER), render(HEADER.map(() => "---")), ...rows.map((row) => render(rowCells(row)))].join(
    "\n",
  );
}

/** Footnotes: what the peer is for rows where it is not Azurite, and rows' own notes. */
export function peerNotes(rows) {
  return rows
    .filter((row) => row.peerName !== "Azurite" || row.note)
    .map((row) => {
      const parts = [];
      if (row.peerName !== "Azurite") parts.push(`peer = ${row.peerName}`);
      if (row.note) parts.push(row.note);
      return `${row.title}: ${parts.join("; ")}`;
    });
}
