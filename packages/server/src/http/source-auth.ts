import type { TLSSocket } from "node:tls";
import { normaliseClientIp } from "../auth/sas/sas-ip.js";
import { hasSasSignature, parseSasParams } from "../auth/sas/sas-params.js";
import { verifySas } from "../auth/sas/verify-sas.js";
import { errors } from "../errors/catalogue.js";
import { StorageError } from "../errors/storage-error.js";
import type { RequestContext } from "./context.js";
import type { Operation } from "./route.js";
import type { LocalSource } from "./source-url.js";

/** How a request may prove it can use its source besides a SAS on the source URL. */
export type SourceCover =
  /** Copy File: the request's own Shared Key covers a source in the same account. */
  | "sharedKeyOfSameAccount"
  /** Rename: whatever authorized the request covers the source (it is in the same share). */
  | "request"
  /** Put Range From URL: only a SAS on the source URL does. */
  | "none";

/**
 * Authorizes the use of a local source. A SAS on the source URL is verified exactly as if the
 * request went to that URL for `operation` (signature, window, IP, protocol, permissions); without
 * one, `cover` says whether the request's own credentials reach the source.
 * @throws StorageError from SAS verification, or 401 NoAuthenticationInformation when nothing
 * authorizes the source.
 */
export async function authorizeSource(
  ctx: RequestContext,
  source: LocalSource,
  operation: Operation,
  cover: SourceCover,
): Promise<void> {
  if (hasSasSignature(source.rawQuery)) {
    const account = ctx.deps.accounts.get(source.target.account);
    if (!account)
      throw errors.authenticationFailed(
        `The account '${source.target.account}' does not exist on this server.`,
      );
    await verifySas(
      {
        params: parseSasParams(source.rawQuery),
        operation,
        target: source.target,
        clientIp: normaliseClientIp(ctx.req.socket.remoteAddress),
        secure: (ctx.req.socket as Partial<TLSSocket>).encrypted === true,
      },
      account,
      ctx.deps.engine,
      ctx.deps.engine.clock.now(),
    );
    return;
  }
  if (cover === "request") return;
  const principal = ctx.principal;
  const sharedKey = principal?.scheme === "SharedKey" || principal?.scheme === "SharedKeyLite";
  if (cover === "sharedKeyOfSameAccount" && sharedKey && principal?.account === source.target.account) return;
  throw errors.noAuthenticationInformation();
}

/**
 * Runs `work` (reading or authorizing a copy source) and reports its failures as Azure reports a
 * source it could not read: 4xx/5xx CannotVerifyCopySource naming the source's status and code.
 */
export async function asCopySourceError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof StorageError && err.code !== "CannotVerifyCopySource") {
      throw errors.cannotVerifyCopySource(err.status, err.code, err.message);
    }
    throw err;
  }
}

/**
 * `x-ms-copy-source-authorization`: only `Bearer <token>` is defined (Microsoft Entra ID), which
 * this server has not, so a bearer token cannot authorize a source here.
 * @throws StorageError 400 InvalidHeaderValue for another scheme, 401 CannotVerifyCopySource for a bearer token.
 */
export function refuseCopySourceAuthorization(ctx: RequestContext): void {
  const value = ctx.header("x-ms-copy-source-authorization");
  if (value === undefined) return;
  if (!/^Bearer\s+\S+$/i.test(value.trim()))
    throw errors.invalidHeaderValue("x-ms-copy-source-authorization", value.split(/\s/)[0] ?? "");
  throw errors.cannotVerifyCopySource(
    401,
    "InvalidAuthenticationInfo",
    "Bearer tokens need Microsoft Entra ID, which this server has not; authorize the source with a SAS.",
  );
}
