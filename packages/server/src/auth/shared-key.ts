import { createHmac, timingSafeEqual } from "node:crypto";
import { errors } from "../errors/catalogue.js";
import type { Account } from "./accounts.js";
import {
  canonicalizedHeaders,
  canonicalizedResource,
  canonicalizedResourceLite,
  type SignedRequest,
} from "./canonical.js";

/** How far a request's date may be from ours. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The SharedKey string-to-sign (versions 2015-02-21+: Content-Length "0" signs as ""). */
export function sharedKeyStringToSign(
  req: SignedRequest,
  account: string,
  path: string,
  foldWhitespace = false,
): string {
  const h = (n: string) => req.header(n) ?? "";
  const contentLength = h("content-length") === "0" ? "" : h("content-length");
  return [
    req.method.toUpperCase(),
    h("content-encoding"),
    h("content-language"),
    contentLength,
    h("content-md5"),
    h("content-type"),
    req.header("x-ms-date") !== undefined ? "" : h("date"),
    h("if-modified-since"),
    h("if-match"),
    h("if-none-match"),
    h("if-unmodified-since"),
    h("range"),
    canonicalizedHeaders(req, foldWhitespace) + canonicalizedResource(account, path, req.rawQuery),
  ].join("\n");
}

/** The SharedKeyLite string-to-sign. */
export function sharedKeyLiteStringToSign(
  req: SignedRequest,
  account: string,
  path: string,
  foldWhitespace = false,
): string {
  const h = (n: string) => req.header(n) ?? "";
  return [
    req.method.toUpperCase(),
    h("content-md5"),
    h("content-type"),
    req.header("x-ms-date") !== undefined ? "" : h("date"),
    canonicalizedHeaders(req, foldWhitespace) + canonicalizedResourceLite(account, path, req.rawQuery),
  ].join("\n");
}

/** base64 HMAC-SHA256 of a string-to-sign under an account key. */
export function sign(key: Buffer, stringToSign: string): string {
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("base64");
}

/**
 * Verifies an `Authorization: SharedKey|SharedKeyLite <account>:<signature>` header.
 * `paths` are the candidate canonical paths, first the raw request path (what the SDKs sign), then
 * tolerated variants. Throws 403 AuthenticationFailed with the string-to-sign on mismatch.
 */
export function verifySharedKey(
  req: SignedRequest,
  scheme: "SharedKey" | "SharedKeyLite",
  claimedAccount: string,
  signature: string,
  account: Account,
  paths: string[],
  now: number,
): void {
  if (claimedAccount !== account.name) {
    throw errors.authenticationFailed(
      `The account name '${claimedAccount}' in the Authorization header is not valid.`,
    );
  }
  const dateHeader = req.header("x-ms-date") ?? req.header("date");
  if (!dateHeader) {
    throw errors.authenticationFailed("Request date header not specified.");
  }
  const date = Date.parse(dateHeader);
  if (Number.isNaN(date))
    throw errors.authenticationFailed(`Request date header '${dateHeader}' is not valid.`);
  if (Math.abs(now - date) > MAX_CLOCK_SKEW_MS) {
    throw errors.authenticationFailed(
      `Request date header too old: '${dateHeader}'. The request must be made within 15 minutes of the server time.`,
    );
  }
  const given = Buffer.from(signature, "base64");
  let firstStringToSign = "";
  for (const path of paths) {
    for (const fold of [false, true]) {
      const stringToSign =
        scheme === "SharedKey"
          ? sharedKeyStringToSign(req, account.name, path, fold)
          : sharedKeyLiteStringToSign(req, account.name, path, fold);
      if (!firstStringToSign) firstStringToSign = stringToSign;
      const expected = Buffer.from(sign(account.key, stringToSign), "base64");
      if (expected.length === given.length && timingSafeEqual(expected, given)) return;
    }
  }
  throw errors.authenticationFailed(
    `The MAC signature found in the HTTP request '${signature}' is not the same as any computed signature. Server used following string to sign: '${firstStringToSign}'.`,
  );
}
