/**
 * The SharedKey string-to-sign for the File service (version 2015-02-21 and later), built exactly as
 * documented in "Authorize with Shared Key":
 *
 * ```
 * VERB \n Content-Encoding \n Content-Language \n Content-Length \n Content-MD5 \n Content-Type \n
 * Date \n If-Modified-Since \n If-Match \n If-None-Match \n If-Unmodified-Since \n Range \n
 * CanonicalizedHeaders CanonicalizedResource
 * ```
 */

/** The parts of a request the signature covers. */
export interface SignableRequest {
  /** HTTP method, e.g. `PUT`. */
  method: string;
  /** The URL exactly as it goes on the wire (path still percent-encoded). */
  url: URL;
  /** The request headers. */
  headers: Headers;
  /** Body length in bytes; `undefined` or 0 both sign as an empty Content-Length. */
  contentLength?: number | undefined;
}

/** The standard headers, in the documented order, that sit between the verb and the x-ms headers. */
const STANDARD_HEADERS = [
  "content-encoding",
  "content-language",
  "content-length",
  "content-md5",
  "content-type",
  "date",
  "if-modified-since",
  "if-match",
  "if-none-match",
  "if-unmodified-since",
  "range",
] as const;

/**
 * Builds the SharedKey string-to-sign for a request.
 * @param request - The request as it will be sent.
 * @param accountName - The storage account the key belongs to.
 */
export function sharedKeyStringToSign(request: SignableRequest, accountName: string): string {
  const lines: string[] = [request.method.toUpperCase()];
  for (const name of STANDARD_HEADERS) {
    if (name === "content-length") {
      const length = request.contentLength ?? 0;
      lines.push(length === 0 ? "" : String(length));
    } else {
      lines.push(request.headers.get(name) ?? "");
    }
  }
  return `${lines.join("\n")}\n${canonicalizedHeaders(request.headers)}${canonicalizedResource(request.url, accountName)}`;
}

/**
 * Every `x-ms-*` header as `name:value\n`: names lower-cased and sorted (ordinal), values trimmed.
 *
 * Whitespace inside a value is kept as is. The documentation speaks of folding "linear whitespace",
 * but the service verifies what it received (HTTP drops only leading and trailing whitespace), and
 * both official SDKs sign inner whitespace unchanged; folding here would break values such as
 * metadata `"a  b"` against Azure.
 */
export function canonicalizedHeaders(headers: Headers): string {
  const entries: Array<[string, string]> = [];
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("x-ms-")) entries.push([lower, value.trim()]);
  });
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([name, value]) => `${name}:${value}\n`).join("");
}

/**
 * `/` + account + the encoded URL path, then one `\nname:value` line per query parameter: names
 * lower-cased and sorted, values percent-decoded, several values for one name sorted and comma-joined.
 */
export function canonicalizedResource(url: URL, accountName: string): string {
  let resource = `/${accountName}${url.pathname}`;
  const params = new Map<string, string[]>();
  const query = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    const name = safeDecode(rawName).toLowerCase();
    const values = params.get(name) ?? [];
    values.push(safeDecode(rawValue));
    params.set(name, values);
  }
  const names = [...params.keys()].sort();
  for (const name of names) {
    const values = (params.get(name) ?? []).sort();
    resource += `\n${name}:${values.join(",")}`;
  }
  return resource;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
