import { createHmac } from "node:crypto";

/**
 * Sends a request signed with SharedKey exactly as the documented algorithm says, for what the
 * official SDK cannot send (e.g. its broken renewLease) and for negative tests.
 */
export async function signedRequest(opts: {
  method: string;
  url: string;
  accountName: string;
  accountKey: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  version?: string;
  sign?: boolean;
}): Promise<{ status: number; headers: Headers; body: string }> {
  const url = new URL(opts.url);
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  const headers: Record<string, string> = {
    "x-ms-date": new Date().toUTCString(),
    "x-ms-version": opts.version ?? "2026-06-06",
    ...(opts.headers ?? {}),
  };
  if (body !== undefined) headers["content-length"] = String(body.length);
  if (opts.sign !== false) {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const get = (n: string) => lower[n] ?? "";
    const canonHeaders = Object.keys(lower)
      .filter((k) => k.startsWith("x-ms-"))
      .sort()
      .map((k) => `${k}:${(lower[k] ?? "").trim()}\n`)
      .join("");
    const params = [...url.searchParams.entries()].map(([k, v]) => [k.toLowerCase(), v] as const);
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonResource = `/${opts.accountName}${url.pathname}${params.map(([k, v]) => `\n${k}:${v}`).join("")}`;
    const stringToSign = [
      opts.method,
      get("content-encoding"),
      get("content-language"),
      get("content-length") === "0" ? "" : get("content-length"),
      get("content-md5"),
      get("content-type"),
      "",
      get("if-modified-since"),
      get("if-match"),
      get("if-none-match"),
      get("if-unmodified-since"),
      get("range"),
      canonHeaders + canonResource,
    ].join("\n");
    const sig = createHmac("sha256", Buffer.from(opts.accountKey, "base64"))
      .update(stringToSign)
      .digest("base64");
    headers.authorization = `SharedKey ${opts.accountName}:${sig}`;
  }
  const res = await fetch(url, { method: opts.method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, headers: res.headers, body: await res.text() };
}
