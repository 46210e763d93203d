import type { ContentSettings, FileTime, SmbProperties } from "./models.js";

/**
 * Adds `x-ms-meta-<key>: <value>` for each metadata entry.
 * The service checks that keys are valid C# identifiers; this only refuses keys that cannot be
 * sent as a header name at all.
 * @throws TypeError for an empty key or a key that is not a valid HTTP header name.
 */
export function setMetadataHeaders(headers: Headers, metadata: Record<string, string> | undefined): void {
  if (!metadata) return;
  for (const [key, value] of Object.entries(metadata)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new TypeError(`Metadata key "${key}" cannot be sent as an HTTP header name.`);
    }
    headers.set(`x-ms-meta-${key}`, String(value));
  }
}

/** Adds `x-ms-content-*` and `x-ms-cache-control` headers for the settings that are present. */
export function setContentSettingsHeaders(headers: Headers, settings: ContentSettings | undefined): void {
  if (!settings) return;
  const pairs: Array<[string, string | undefined]> = [
    ["x-ms-content-type", settings.contentType],
    ["x-ms-content-encoding", settings.contentEncoding],
    ["x-ms-content-language", settings.contentLanguage],
    ["x-ms-content-disposition", settings.contentDisposition],
    ["x-ms-cache-control", settings.cacheControl],
    [
      "x-ms-content-md5",
      settings.contentMd5 ? Buffer.from(settings.contentMd5).toString("base64") : undefined,
    ],
  ];
  for (const [name, value] of pairs) if (value !== undefined) headers.set(name, value);
}

/** Formats a file time the way the service expects: ISO 8601 with seven fractional digits. */
export function formatFileTime(time: FileTime): string {
  if (time === "now" || time === "preserve") return time;
  return time.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/**
 * Adds the SMB headers for the properties that are present, with optional defaults for absent ones.
 * @throws TypeError when both `filePermission` and `filePermissionKey` are given.
 */
export function setSmbHeaders(
  headers: Headers,
  properties: SmbProperties | undefined,
  defaults: SmbProperties = {},
): void {
  const merged: SmbProperties = { ...defaults, ...stripUndefined(properties ?? {}) };
  if (properties?.filePermission !== undefined && properties.filePermissionKey !== undefined) {
    throw new TypeError("Give filePermission or filePermissionKey, not both.");
  }
  if (properties?.filePermissionKey !== undefined) merged.filePermission = undefined;
  if (merged.fileAttributes !== undefined) headers.set("x-ms-file-attributes", merged.fileAttributes);
  if (merged.fileCreationTime !== undefined) {
    headers.set("x-ms-file-creation-time", formatFileTime(merged.fileCreationTime));
  }
  if (merged.fileLastWriteTime !== undefined) {
    headers.set("x-ms-file-last-write-time", formatFileTime(merged.fileLastWriteTime));
  }
  if (merged.fileChangeTime !== undefined) {
    headers.set("x-ms-file-change-time", formatFileTime(merged.fileChangeTime));
  }
  if (merged.filePermission !== undefined) headers.set("x-ms-file-permission", merged.filePermission);
  if (merged.filePermissionKey !== undefined)
    headers.set("x-ms-file-permission-key", merged.filePermissionKey);
}

/** Adds `x-ms-lease-id` when a lease id is given. */
export function setLeaseHeader(headers: Headers, leaseId: string | undefined): void {
  if (leaseId !== undefined && leaseId !== "") headers.set("x-ms-lease-id", leaseId);
}

/** Formats an inclusive byte range for `x-ms-range`: `bytes=<start>-<end>`. */
export function formatRange(start: number, endInclusive: number): string {
  return `bytes=${start}-${endInclusive}`;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
