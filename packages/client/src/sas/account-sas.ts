import { SERVICE_VERSION } from "../constants.js";
import type { SharedKeyCredential } from "../credentials/shared-key-credential.js";
import {
  ACCOUNT_PERMISSION_LETTERS,
  type AccountSasPermissions,
  type AccountSasResourceTypes,
  canonicalLetters,
  RESOURCE_TYPE_LETTERS,
} from "./sas-permissions.js";
import { formatSasTime, type SasProtocol, sasToken } from "./sas-values.js";

/** What an account SAS grants (the seed's `generate_account_sas` keywords, in camelCase). */
export interface AccountSasOptions {
  /** Resource types: letters from `sco` or flags. */
  resourceTypes: string | AccountSasResourceTypes;
  /** Permissions: letters from `rwdlacup` or flags. */
  permission: string | AccountSasPermissions;
  /** When the SAS stops working. */
  expiry: Date;
  /** When the SAS starts working (default: immediately). */
  start?: Date | undefined;
  /** Allowed client IP address or range. */
  ip?: string | undefined;
  /** Allowed protocols. */
  protocol?: SasProtocol | undefined;
  /** Services, letters from `bfqt` (default `f`, the File service). */
  services?: string | undefined;
  /** Signed service version (default `2026-06-06`). */
  version?: string | undefined;
}

/**
 * The account SAS string-to-sign: account, permissions, services, resource types, start, expiry,
 * IP, protocol, version, each followed by `\n`; from version 2020-12-06 an empty encryption-scope
 * line follows as well.
 */
export function accountSasStringToSign(
  accountName: string,
  fields: {
    permission: string;
    services: string;
    resourceTypes: string;
    start: string;
    expiry: string;
    ip: string;
    protocol: string;
    version: string;
  },
): string {
  const lines = [
    accountName,
    fields.permission,
    fields.services,
    fields.resourceTypes,
    fields.start,
    fields.expiry,
    fields.ip,
    fields.protocol,
    fields.version,
  ];
  if (fields.version >= "2020-12-06") lines.push("");
  return `${lines.join("\n")}\n`;
}

/**
 * Generates an account SAS token for the File service, signed with the account key.
 * @returns The token without a leading `?`.
 * @throws RangeError for invalid letters.
 */
export function generateAccountSas(credential: SharedKeyCredential, options: AccountSasOptions): string {
  const services = options.services ?? "f";
  if (!/^[bfqt]+$/.test(services)) throw new RangeError("services must be letters from 'bfqt'.");
  const fields = {
    permission: canonicalLetters(options.permission, ACCOUNT_PERMISSION_LETTERS, "permission"),
    services,
    resourceTypes: canonicalLetters(options.resourceTypes, RESOURCE_TYPE_LETTERS, "resource type"),
    start: options.start ? formatSasTime(options.start) : "",
    expiry: formatSasTime(options.expiry),
    ip: options.ip ?? "",
    protocol: options.protocol ?? "",
    version: options.version ?? SERVICE_VERSION,
  };
  const signature = credential.computeHmacSha256(accountSasStringToSign(credential.accountName, fields));
  return sasToken([
    ["sv", fields.version],
    ["ss", fields.services],
    ["srt", fields.resourceTypes],
    ["sp", fields.permission],
    ["st", fields.start],
    ["se", fields.expiry],
    ["sip", fields.ip],
    ["spr", fields.protocol],
    ["sig", signature],
  ]);
}
