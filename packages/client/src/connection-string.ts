import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, DEV_FILE_ENDPOINT } from "./constants.js";

/** The parts of a storage connection string this SDK uses. */
export interface ConnectionStringParts {
  /** The account name (`AccountName`, or taken from a path-style `FileEndpoint`). */
  accountName: string | undefined;
  /** `AccountKey`, when the string authorizes with the account key. */
  accountKey: string | undefined;
  /** `SharedAccessSignature`, when the string authorizes with a SAS token. */
  sasToken: string | undefined;
  /**
   * The File service endpoint: `FileEndpoint` as given (path-style endpoints keep the account
   * segment, e.g. `http://127.0.0.1:10004/devstoreaccount1`), or
   * `<DefaultEndpointsProtocol>://<AccountName>.file.<EndpointSuffix>`.
   */
  fileEndpoint: string;
}

/**
 * Parses a connection string such as
 * `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;FileEndpoint=http://127.0.0.1:10004/devstoreaccount1;`.
 *
 * Keys are case-insensitive; values may contain `=`. `UseDevelopmentStorage=true` means the local
 * Sharelock development account at `http://127.0.0.1:10004/devstoreaccount1` with its well-known key.
 * Without `FileEndpoint`, the endpoint is `https://<AccountName>.file.core.windows.net` (protocol and
 * suffix from `DefaultEndpointsProtocol` and `EndpointSuffix`).
 *
 * @throws TypeError when neither `FileEndpoint` nor `AccountName` is present, or a pair has no `=`.
 */
export function parseConnectionString(connectionString: string): ConnectionStringParts {
  const values = new Map<string, string>();
  for (const rawPair of connectionString.split(";")) {
    const pair = rawPair.trim();
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new TypeError(`Connection string entry "${pair}" is not of the form Key=Value.`);
    values.set(pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1).trim());
  }

  if (values.get("usedevelopmentstorage")?.toLowerCase() === "true") {
    return {
      accountName: DEV_ACCOUNT_NAME,
      accountKey: DEV_ACCOUNT_KEY,
      sasToken: undefined,
      fileEndpoint: DEV_FILE_ENDPOINT,
    };
  }

  const accountName = values.get("accountname") || undefined;
  const accountKey = values.get("accountkey") || undefined;
  const sasToken = values.get("sharedaccesssignature")?.replace(/^\?/, "") || undefined;
  let fileEndpoint = values.get("fileendpoint") || undefined;
  if (fileEndpoint === undefined) {
    if (!accountName) {
      throw new TypeError("The connection string needs FileEndpoint or AccountName.");
    }
    const protocol = (values.get("defaultendpointsprotocol") || "https").toLowerCase();
    const suffix = values.get("endpointsuffix") || "core.windows.net";
    fileEndpoint = `${protocol}://${accountName}.file.${suffix}`;
  }
  fileEndpoint = fileEndpoint.replace(/\/+$/, "");
  if (accountKey && !accountName) {
    throw new TypeError("The connection string has AccountKey but no AccountName.");
  }
  return { accountName, accountKey, sasToken, fileEndpoint };
}
