/**
 * SharedKey signing for raw requests, written from the documented string-to-sign. A signed request
 * stays valid for as long as the servers accept its x-ms-date (15 minutes), so the load scenarios
 * sign each distinct request once, before the clock starts, and replay it: "pre-signed" load.
 */
import { createHmac } from "node:crypto";
import { ACCOUNT, ACCOUNT_KEY, REST_VERSION } from "./constants.mjs";

const keyBytes = Buffer.from(ACCOUNT_KEY, "base64");

/** `x-ms-*` headers, sorted, one `name:value\n` line each. */
function canonicalHeaders(headers) {
  return Object.keys(headers)
    .filter((name) => name.startsWith("x-ms-"))
    .sort()
    .map((name) => `${name}:${String(headers[name]).trim()}\n`)
    .join("");
}

/** `/<account><path>` then `\nname:value` for each query parameter, names lower-cased and sorted. */
function canonicalResource(path, query) {
  const params = Object.keys(query)
    .map((name) => [name.toLowerCase(), query[name]])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `\n${name}:${value}`)
    .join("");
  return `/${ACCOUNT}${path}${params}`;
}

/**
 * A request ready to send: method, path with query string, and headers including `authorization`.
 * @param {string} method
 * @param {string} path - URL path as sent, already percent-encoded, starting with `/devstoreaccount1/`.
 * @param {Record<string, string>} query - decoded query parameters.
 * @param {Record<string, string>} headers - lower-case header names.
 */
export function signedRequest(method, path, query = {}, headers = {}) {
  const all = { "x-ms-date": new Date().toUTCString(), "x-ms-version": REST_VERSION, ...headers };
  const h = (name) => all[name] ?? "";
  const contentLength = h("content-length") === "0" ? "" : h("content-length");
  const stringToSign = [
    method,
    h("content-encoding"),
    h("content-language"),
    contentLength,
    h("content-md5"),
    h("content-type"),
    "",
    h("if-modified-since"),
    h("if-match"),
    h("if-none-match"),
    h("if-unmodified-since"),
    h("range"),
    canonicalHeaders(all) + canonicalResource(path, query),
  ].join("\n");
  const signature = createHmac("sha256", keyBytes).update(stringToSign, "utf8").digest("base64");
  const search = new URLSearchParams(query).toString();
  return {
    method,
    path: search ? `${path}?${search}` : path,
    headers: { ...all, authorization: `SharedKey ${ACCOUNT}:${signature}` },
  };
}
