import { errors } from "../errors/catalogue.js";

/** Formats epoch ms as Azure's SMB time: ISO-8601 with 7 fractional digits. */
export function smbTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/**
 * Resolves an SMB time header value: "now", "preserve" (keep `current`), or an ISO-8601 time
 * (kept with up to 7 fractional digits, as given).
 */
export function resolveSmbTime(
  header: string,
  value: string | undefined,
  nowMs: number,
  current: string | undefined,
): string {
  if (value === undefined || value === "" || value.toLowerCase() === "now") {
    return value === undefined && current !== undefined ? current : smbTime(nowMs);
  }
  if (value.toLowerCase() === "preserve") return current ?? smbTime(nowMs);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(value);
  if (!m || Number.isNaN(Date.parse(`${m[1]}Z`))) throw errors.invalidHeaderValue(header, value);
  return `${m[1]}.${(m[2] ?? "").padEnd(7, "0")}Z`;
}

/** RFC 1123 date for Last-Modified / Date headers. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
