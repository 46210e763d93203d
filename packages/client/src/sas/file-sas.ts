import { SERVICE_VERSION } from "../constants.js";
import type { SharedKeyCredential } from "../credentials/shared-key-credential.js";
import { splitPath } from "../urls.js";
import {
  canonicalLetters,
  FILE_PERMISSION_LETTERS,
  type FileSasPermissions,
  SHARE_PERMISSION_LETTERS,
  type ShareSasPermissions,
} from "./sas-permissions.js";
import { formatSasTime, type SasProtocol, sasToken } from "./sas-values.js";

/** What a share or file SAS grants (the seed's `generate_share_sas` keywords, in camelCase). */
export interface ShareSasOptions {
  /** The share. */
  shareName: string;
  /** Granted permissions: letters such as `"rl"` or flags. Required unless `policyId` supplies them. */
  permission?: string | ShareSasPermissions | undefined;
  /** When the SAS stops working. Required unless `policyId` supplies it. */
  expiry?: Date | undefined;
  /** When the SAS starts working (default: immediately). */
  start?: Date | undefined;
  /** A stored access policy on the share that supplies permission and/or times. */
  policyId?: string | undefined;
  /** Allowed client IP address or range, e.g. `"168.1.5.65"` or `"168.1.5.60-168.1.5.70"`. */
  ip?: string | undefined;
  /** Allowed protocols. */
  protocol?: SasProtocol | undefined;
  /** Signed service version (default `2026-06-06`). */
  version?: string | undefined;
  /** `Cache-Control` to return on reads with this SAS. */
  cacheControl?: string | undefined;
  /** `Content-Disposition` to return on reads with this SAS. */
  contentDisposition?: string | undefined;
  /** `Content-Encoding` to return on reads with this SAS. */
  contentEncoding?: string | undefined;
  /** `Content-Language` to return on reads with this SAS. */
  contentLanguage?: string | undefined;
  /** `Content-Type` to return on reads with this SAS. */
  contentType?: string | undefined;
}

/** What a file SAS grants. */
export interface FileSasOptions extends Omit<ShareSasOptions, "permission"> {
  /** The file's path within the share, e.g. `"dir/file.txt"`. */
  filePath: string;
  /** Granted permissions: letters such as `"rw"` or flags. */
  permission?: string | FileSasPermissions | undefined;
}

/**
 * Generates a service SAS token for a share (`sr=s`), signed with the account key.
 * @returns The token without a leading `?`, ready for {@link SasCredential} or a URL.
 * @throws RangeError when permission or expiry is missing and no `policyId` is given.
 */
export function generateShareSas(credential: SharedKeyCredential, options: ShareSasOptions): string {
  return generate(credential, options, undefined, SHARE_PERMISSION_LETTERS);
}

/**
 * Generates a service SAS token for one file (`sr=f`), signed with the account key.
 * @returns The token without a leading `?`.
 * @throws RangeError when permission or expiry is missing and no `policyId` is given.
 */
export function generateFileSas(credential: SharedKeyCredential, options: FileSasOptions): string {
  return generate(credential, options, options.filePath, FILE_PERMISSION_LETTERS);
}

/**
 * The service SAS string-to-sign for the File service: thirteen lines joined by `\n` (permissions,
 * start, expiry, canonical resource `/file/<account>/<share>[/<path>]`, policy id, IP, protocol,
 * version, then the five response-header overrides).
 */
export function fileSasStringToSign(
  accountName: string,
  fields: {
    permission: string;
    start: string;
    expiry: string;
    shareName: string;
    filePath: string | undefined;
    policyId: string;
    ip: string;
    protocol: string;
    version: string;
    cacheControl: string;
    contentDisposition: string;
    contentEncoding: string;
    contentLanguage: string;
    contentType: string;
  },
): string {
  const path = fields.filePath === undefined ? "" : `/${splitPath(fields.filePath).join("/")}`;
  return [
    fields.permission,
    fields.start,
    fields.expiry,
    `/file/${accountName}/${fields.shareName}${path}`,
    fields.policyId,
    fields.ip,
    fields.protocol,
    fields.version,
    fields.cacheControl,
    fields.contentDisposition,
    fields.contentEncoding,
    fields.contentLanguage,
    fields.contentType,
  ].join("\n");
}

function generate(
  credential: SharedKeyCredential,
  options: ShareSasOptions | FileSasOptions,
  filePath: string | undefined,
  letters: typeof SHARE_PERMISSION_LETTERS,
): string {
  if (!options.policyId && (options.permission === undefined || options.expiry === undefined)) {
    throw new RangeError(
      "A SAS needs permission and expiry unless a stored access policy (policyId) supplies them.",
    );
  }
  const permission =
    options.permission === undefined ? "" : canonicalLetters(options.permission, letters, "permission");
  const fields = {
    permission,
    start: options.start ? formatSasTime(options.start) : "",
    expiry: options.expiry ? formatSasTime(options.expiry) : "",
    shareName: options.shareName,
    filePath,
    policyId: options.policyId ?? "",
    ip: options.ip ?? "",
    protocol: options.protocol ?? "",
    version: options.version ?? SERVICE_VERSION,
    cacheControl: options.cacheControl ?? "",
    contentDisposition: options.contentDisposition ?? "",
    contentEncoding: options.contentEncoding ?? "",
    contentLanguage: options.contentLanguage ?? "",
    contentType: options.contentType ?? "",
  };
  const signature = credential.computeHmacSha256(fileSasStringToSign(credential.accountName, fields));
  return sasToken([
    ["sv", fields.version],
    ["spr", fields.protocol],
    ["st", fields.start],
    ["se", fields.expiry],
    ["sip", fields.ip],
    ["si", fields.policyId],
    ["sr", filePath === undefined ? "s" : "f"],
    ["sp", permission],
    ["sig", signature],
    ["rscc", fields.cacheControl],
    ["rscd", fields.contentDisposition],
    ["rsce", fields.contentEncoding],
    ["rscl", fields.contentLanguage],
    ["rsct", fields.contentType],
  ]);
}
