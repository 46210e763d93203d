import { createHmac } from "node:crypto";
import { request } from "node:http";

/** How a raw request is authorized. */
export type RawScheme = "SharedKey" | "SharedKeyLite" | "none";

/** A request sent byte-for-byte as given: the path is not normalized (`..`, `%2F` stay as written). */
export interface RawRequest {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  method: string;
  /** Request target as sent on the wire, e.g. `/devstoreaccount1/share/a%2Fb?restype=directory`. */
  path: string;
  accountName: string;
  accountKey: string;
  /** Default SharedKey. */
  scheme?: RawScheme;
  /** Request headers; `x-ms-date` and `x-ms-version` are added unless given (a `null` value omits one). */
  headers?: Record<string, string | null>;
  body?: Buffer | string;
  /** The account the signature names (default `accountName`); the canonical resource uses it too. */
  signAs?: string;
  /** Milliseconds before the request is abandoned as hung (default 10 s). */
  timeoutMs?: number;
}

/** What came back. */
export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function header(headers: Record<string, string>, name: string): string {
  return headers[name] ?? "";
}

/** `x-ms-*` headers, lower-cased and sorted, one `name:value\n` line each (whitespace folded). */
function canonicalHeaders(headers: Record<string, string>): string {
  return Object.keys(headers)
    .filter((k) => k.startsWith("x-ms-"))
    .sort()
    .map((k) => `${k}:${header(headers, k).replace(/\s+/g, " ").trim()}\n`)
    .join("");
}

function decodedQuery(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  return rawQuery
    .split("&")
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      return [safeDecode(name).toLowerCase(), safeDecode(value.replace(/\+/g, "%20"))];
    });
}

/** Decoded text, or the text itself when it is not valid percent-encoding (as the server does). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The documented string-to-sign of SharedKey or SharedKeyLite over the raw (still encoded) path,
 * as the SDKs compute it. `headers` must have lower-case names.
 */
export function stringToSign(
  scheme: "SharedKey" | "SharedKeyLite",
  method: string,
  rawPathAndQuery: string,
  account: string,
  headers: Record<string, string>,
): string {
  const q = rawPathAndQuery.indexOf("?");
  const path = q < 0 ? rawPathAndQuery : rawPathAndQuery.slice(0, q);
  const query = decodedQuery(q < 0 ? "" : rawPathAndQuery.slice(q + 1));
  const date = headers["x-ms-date"] !== undefined ? "" : header(headers, "date");
  if (scheme === "SharedKeyLite") {
    const comp = query.filter(([k]) => k === "comp").map(([, v]) => v);
    const resource = `/${account}${path}${comp.length > 0 ? `?comp=${comp.join(",")}` : ""}`;
    return [
      method,
      header(headers, "content-md5"),
      header(headers, "content-type"),
      date,
      canonicalHeaders(headers) + resource,
    ].join("\n");
  }
  const names = [...new Set(query.map(([k]) => k))].sort();
  const resource =
    `/${account}${path}` +
    names
      .map(
        (n) =>
          `\n${n}:${query
            .filter(([k]) => k === n)
            .map(([, v]) => v)
            .sort()
            .join(",")}`,
      )
      .join("");
  const length = header(headers, "content-length");
  return [
    method,
    header(headers, "content-encoding"),
    header(headers, "content-language"),
    length === "0" ? "" : length,
    header(headers, "content-md5"),
    header(headers, "content-type"),
    date,
    header(headers, "if-modified-since"),
    header(headers, "if-match"),
    header(headers, "if-none-match"),
    header(headers, "if-unmodified-since"),
    header(headers, "range"),
    canonicalHeaders(headers) + resource,
  ].join("\n");
}

/** base64 HMAC-SHA256 under a base64 account key. */
export function hmac(accountKey: string, text: string): string {
  return createHmac("sha256", Buffer.from(accountKey, "base64")).update(text, "utf8").digest("base64");
}

/**
 * Sends one request with node:http exactly as written and signs it (unless `scheme: "none"`).
 * Rejects when nothing comes back within `timeoutMs` — a hang is a failure, not a wait.
 */
export function rawRequest(opts: RawRequest): Promise<RawResponse> {
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  const headers: Record<string, string> = {};
  const given = opts.headers ?? {};
  const defaults: Record<string, string> = {
    "x-ms-date": new Date().toUTCString(),
    "x-ms-version": "2026-06-06",
  };
  for (const [k, v] of Object.entries(defaults)) if (!(k in given)) headers[k] = v;
  for (const [k, v] of Object.entries(given)) if (v !== null) headers[k.toLowerCase()] = v;
  if (body !== undefined && headers["content-length"] === undefined)
    headers["content-length"] = String(body.length);
  const scheme = opts.scheme ?? "SharedKey";
  if (scheme !== "none") {
    const account = opts.signAs ?? opts.accountName;
    const sts = stringToSign(scheme, opts.method, opts.path, account, headers);
    headers.authorization = `${scheme} ${account}:${hmac(opts.accountKey, sts)}`;
  }
  const url = new URL(opts.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method,
        path: opts.path,
        headers,
        agent: false,
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${opts.method} ${opts.path} hung`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** The `<Code>` of an Azure error body (BOM tolerated), or undefined. */
export function errorCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

/** The text of one element of an Azure error body (XML entities decoded), or undefined. */
export function errorDetail(body: string, element: string): string | undefined {
  const raw = new RegExp(`<${element}>([\\s\\S]*?)</${element}>`).exec(body)?.[1];
  return raw
    ?.replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
