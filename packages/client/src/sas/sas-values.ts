/** Formats a SAS time: ISO 8601 in UTC without fractional seconds (`2024-01-01T00:00:00Z`). */
export function formatSasTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Allowed protocols: HTTPS only, or both. */
export type SasProtocol = "https" | "https,http";

/** Builds a SAS token from ordered parameters, skipping empty ones and URL-encoding values. */
export function sasToken(params: ReadonlyArray<readonly [string, string | undefined]>): string {
  return params
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined && pair[1] !== "")
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("&");
}
