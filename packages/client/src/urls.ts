/**
 * Service and resource URLs in the two addressing styles:
 *
 * - host-style (Azure): `https://<account>.file.core.windows.net/<share>/<dir>/<file>`
 * - path-style (Sharelock, emulators): `http://127.0.0.1:10004/<account>/<share>/<dir>/<file>`
 *
 * **How the style is decided** (first rule that applies):
 * 1. an explicit `pathStyle` option;
 * 2. the host is an IP address (v4 or v6), `localhost`, `*.localhost`, or a single-label name such as a
 *    container name (`sharelock`): path-style;
 * 3. the account name is known (from the credential, a connection string or the `accountName` option):
 *    path-style when the URL's first path segment is that account name and the host does not start
 *    with `<account>.`; otherwise host-style;
 * 4. a service (account) URL with a non-empty path: path-style, the path being the account;
 * 5. otherwise host-style, and the account is the first label of the host name.
 *
 * Paths are encoded one segment at a time with `encodeURIComponent`, keeping `/` between segments.
 */

/** Where an account lives and how its URLs are shaped. */
export interface AccountEndpoint {
  /** `scheme://host[:port]`, no trailing slash. */
  readonly origin: string;
  /** The storage account name. */
  readonly accountName: string;
  /** True when the account is the first path segment rather than part of the host name. */
  readonly pathStyle: boolean;
}

/** What the caller knows about the addressing, used by the detection rules above. */
export interface AddressingHints {
  /** The account name, when known from a credential or connection string. */
  accountName?: string | undefined;
  /** Forces path-style (`true`) or host-style (`false`). */
  pathStyle?: boolean | undefined;
}

/** Query parameters in the order they should appear; `undefined` values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** True for IPv4/IPv6 literals, `localhost`, `*.localhost` and single-label host names. */
export function isPathStyleHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host.startsWith("[") || host.includes(":")) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return true;
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return !host.includes(".");
}

/** Splits a share-relative path into its non-empty segments (`"/a//b/"` → `["a", "b"]`). */
export function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

/** Encodes path segments for a URL: `["a b", "c"]` → `/a%20b/c`; no segments → `""`. */
export function encodePathSegments(segments: readonly string[]): string {
  return segments.map((segment) => `/${encodeURIComponent(segment)}`).join("");
}

/** Encodes query parameters as `?a=1&b=2` (values with `encodeURIComponent`); none → `""`. */
export function encodeQuery(query: QueryParams): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

/**
 * The URL of the account (no segments), a share (`[share]`) or a directory or file
 * (`[share, ...pathSegments]`), with the given query.
 */
export function buildUrl(
  endpoint: AccountEndpoint,
  segments: readonly string[],
  query: QueryParams = {},
): URL {
  const accountPart = endpoint.pathStyle ? encodePathSegments([endpoint.accountName]) : "";
  const path = `${accountPart}${encodePathSegments(segments)}` || "/";
  return new URL(`${endpoint.origin}${path}${encodeQuery(query)}`);
}

/** A URL taken apart: account endpoint, resource path, snapshot and any SAS token it carried. */
export interface ParsedUrl {
  /** The account endpoint. */
  endpoint: AccountEndpoint;
  /** Decoded path segments after the account: `[share, ...directories, file]`. */
  segments: string[];
  /** The `sharesnapshot` query value, if present. */
  snapshot?: string | undefined;
  /** The SAS part of the query (everything except `sharesnapshot`), if the query holds a `sig`. */
  sasToken?: string | undefined;
}

/**
 * Parses an account, share, directory or file URL.
 * @param kind - `"service"` for account URLs, which enables detection rule 4.
 * @throws TypeError for URLs that are not http(s) or where no account name can be found.
 */
export function parseUrl(text: string, kind: "service" | "resource", hints: AddressingHints = {}): ParsedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`Not a valid URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Only http and https URLs are supported, got ${url.protocol}`);
  }
  const rawSegments = url.pathname.split("/").filter((segment) => segment !== "");
  const segments = rawSegments.map(decodeSegment);
  const pathStyle = decidePathStyle(url.hostname, segments, kind, hints);
  let accountName: string | undefined;
  if (pathStyle) {
    accountName = segments.shift();
  } else {
    accountName = hints.accountName ?? url.hostname.split(".")[0];
  }
  if (!accountName) throw new TypeError(`Cannot tell the account name from ${text}`);

  const { snapshot, sasToken } = splitQuery(url.search);
  return {
    endpoint: { origin: url.origin, accountName, pathStyle },
    segments,
    snapshot,
    sasToken,
  };
}

function decidePathStyle(
  hostname: string,
  segments: readonly string[],
  kind: "service" | "resource",
  hints: AddressingHints,
): boolean {
  if (hints.pathStyle !== undefined) return hints.pathStyle;
  if (isPathStyleHost(hostname)) return true;
  const first = segments[0];
  if (first === undefined) return false;
  if (hints.accountName) {
    if (hostname.toLowerCase().startsWith(`${hints.accountName.toLowerCase()}.`)) return false;
    return first === hints.accountName;
  }
  return kind === "service";
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function splitQuery(search: string): { snapshot?: string; sasToken?: string } {
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (query === "") return {};
  let snapshot: string | undefined;
  const rest: string[] = [];
  let hasSig = false;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const name = decodeSegment(pair.split("=", 1)[0] ?? "").toLowerCase();
    if (name === "sharesnapshot") {
      snapshot = decodeSegment(pair.slice(pair.indexOf("=") + 1));
      continue;
    }
    if (name === "sig") hasSig = true;
    rest.push(pair);
  }
  const result: { snapshot?: string; sasToken?: string } = {};
  if (snapshot !== undefined) result.snapshot = snapshot;
  if (hasSig) result.sasToken = rest.join("&");
  return result;
}
