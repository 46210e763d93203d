import type {
  ContentSettings,
  CopyProperties,
  LeaseProperties,
  ResponseInfo,
  SmbInfo,
  SmbWriteResult,
  WriteResult,
} from "./models.js";

/** A header's value, or `undefined` when absent. */
export function header(headers: Headers, name: string): string | undefined {
  return headers.get(name) ?? undefined;
}

/** A header read as an integer, or `undefined` when absent or not a number. */
export function intHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** A header read as a boolean (`true`/`false`), or `undefined` when absent. */
export function boolHeader(headers: Headers, name: string): boolean | undefined {
  const value = headers.get(name);
  if (value === null) return undefined;
  return value.trim().toLowerCase() === "true";
}

/** Parses an RFC 1123 or ISO 8601 date (any number of fractional digits); `undefined` if unreadable. */
export function parseDate(value: string | undefined | null): Date | undefined {
  if (value === undefined || value === null || value.trim() === "") return undefined;
  let text = value.trim();
  // ISO 8601 with more than three fractional digits (Azure sends seven): keep milliseconds.
  text = text.replace(/(\.\d{3})\d+(Z|[+-]\d\d:?\d\d)?$/, "$1$2");
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** A header read as a date, or `undefined`. */
export function dateHeader(headers: Headers, name: string): Date | undefined {
  return parseDate(headers.get(name));
}

/** Decodes a base64 header (e.g. `Content-MD5`) into bytes, or `undefined`. */
export function bytesHeader(headers: Headers, name: string): Uint8Array | undefined {
  const value = headers.get(name);
  if (!value) return undefined;
  return new Uint8Array(Buffer.from(value, "base64"));
}

/** User metadata from `x-ms-meta-*` headers (keys lower-cased by HTTP). */
export function metadataFromHeaders(headers: Headers): Record<string, string> {
  const metadata: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith("x-ms-meta-")) metadata[name.slice("x-ms-meta-".length)] = value;
  });
  return metadata;
}

/**
 * Lease status, state and duration from `x-ms-lease-*` headers. Absent headers read as
 * `unlocked` / `available`, which is what a resource without lease information is.
 */
export function leaseFromHeaders(headers: Headers): LeaseProperties {
  return {
    status: header(headers, "x-ms-lease-status") ?? "unlocked",
    state: header(headers, "x-ms-lease-state") ?? "available",
    duration: header(headers, "x-ms-lease-duration"),
  };
}

/** Request id, client request id, version and date. */
export function responseInfo(headers: Headers): ResponseInfo {
  return {
    requestId: header(headers, "x-ms-request-id"),
    clientRequestId: header(headers, "x-ms-client-request-id"),
    version: header(headers, "x-ms-version"),
    date: dateHeader(headers, "date"),
  };
}

/** {@link responseInfo} plus ETag and Last-Modified. */
export function writeResult(headers: Headers): WriteResult {
  return {
    ...responseInfo(headers),
    etag: header(headers, "etag"),
    lastModified: dateHeader(headers, "last-modified"),
  };
}

/** SMB attributes, times, permission key and ids. */
export function smbInfo(headers: Headers): SmbInfo {
  return {
    fileAttributes: header(headers, "x-ms-file-attributes"),
    creationTime: dateHeader(headers, "x-ms-file-creation-time"),
    lastWriteTime: dateHeader(headers, "x-ms-file-last-write-time"),
    changeTime: dateHeader(headers, "x-ms-file-change-time"),
    filePermissionKey: header(headers, "x-ms-file-permission-key"),
    fileId: header(headers, "x-ms-file-id"),
    fileParentId: header(headers, "x-ms-file-parent-id"),
  };
}

/** {@link writeResult} plus {@link smbInfo} and the encryption flag. */
export function smbWriteResult(headers: Headers): SmbWriteResult {
  return {
    ...writeResult(headers),
    ...smbInfo(headers),
    serverEncrypted: boolHeader(headers, "x-ms-request-server-encrypted"),
  };
}

/**
 * Content headers of a file. For a ranged download, `Content-MD5` covers only the range, so the
 * whole-file hash is taken from `x-ms-content-md5` instead.
 */
export function contentSettingsFromHeaders(headers: Headers, ranged = false): ContentSettings {
  return {
    contentType: header(headers, "content-type"),
    contentEncoding: header(headers, "content-encoding"),
    contentLanguage: header(headers, "content-language"),
    contentDisposition: header(headers, "content-disposition"),
    cacheControl: header(headers, "cache-control"),
    contentMd5: ranged ? bytesHeader(headers, "x-ms-content-md5") : bytesHeader(headers, "content-md5"),
  };
}

/** Copy status from `x-ms-copy-*` headers. */
export function copyFromHeaders(headers: Headers): CopyProperties {
  return {
    id: header(headers, "x-ms-copy-id"),
    status: header(headers, "x-ms-copy-status"),
    source: header(headers, "x-ms-copy-source"),
    progress: header(headers, "x-ms-copy-progress"),
    completionTime: dateHeader(headers, "x-ms-copy-completion-time"),
    statusDescription: header(headers, "x-ms-copy-status-description"),
  };
}
