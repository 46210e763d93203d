import type { ClientOptions } from "./client-context.js";
import { parseConnectionString } from "./connection-string.js";
import type { Credential } from "./credentials/credential.js";
import { SasCredential } from "./credentials/sas-credential.js";
import { SharedKeyCredential } from "./credentials/shared-key-credential.js";
import { buildUrl, parseUrl, splitPath } from "./urls.js";

/** A client's constructor arguments, worked out from a connection string. */
export interface ConnectionTarget {
  /** The resource URL. */
  url: string;
  /** The credential the connection string names (undefined for anonymous access). */
  credential: Credential | undefined;
  /** The caller's options plus the addressing style found from the endpoint. */
  options: ClientOptions;
}

/**
 * Works out the URL, credential and addressing of a client from a connection string.
 * @param share - The share name, for share, directory and file clients.
 * @param path - The directory or file path within the share.
 */
export function connectionTarget(
  connectionString: string,
  share: string | undefined,
  path: string | undefined,
  options: ClientOptions = {},
): ConnectionTarget {
  const parts = parseConnectionString(connectionString);
  const { endpoint } = parseUrl(parts.fileEndpoint, "service", {
    accountName: parts.accountName,
    pathStyle: options.pathStyle,
  });
  let credential: Credential | undefined;
  if (parts.accountKey)
    credential = new SharedKeyCredential(parts.accountName ?? endpoint.accountName, parts.accountKey);
  else if (parts.sasToken) credential = new SasCredential(parts.sasToken);
  const segments = share === undefined ? [] : [share, ...splitPath(path ?? "")];
  return {
    url: buildUrl(endpoint, segments).toString(),
    credential,
    options: { ...options, pathStyle: endpoint.pathStyle, accountName: endpoint.accountName },
  };
}
