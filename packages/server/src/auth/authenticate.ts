import type { EngineDeps } from "../engine/deps.js";
import { errors } from "../errors/catalogue.js";
import type { Operation, Target } from "../operations.js";
import type { AccountRegistry } from "./accounts.js";
import type { SignedRequest } from "./canonical.js";
import { hasSasSignature, parseSasParams } from "./sas/sas-params.js";
import { type ResponseOverrides, verifySas } from "./sas/verify-sas.js";
import { verifySharedKey } from "./shared-key.js";

/** Who a request was proven to come from. */
export interface Principal {
  account: string;
  scheme: "SharedKey" | "SharedKeyLite" | "AccountSas" | "ServiceSas";
  /** Response headers a service SAS overrides on Get File (rscc, rscd, rsce, rscl, rsct). */
  responseOverrides?: ResponseOverrides;
}

const AUTHORIZATION = /^(SharedKey|SharedKeyLite)\s+([^:\s]+):(\S+)$/;

/**
 * Authenticates a request for `accountName` by its Authorization header: SharedKey or
 * SharedKeyLite (authenticateRequest below also takes shared access signatures).
 * `canonicalPaths` lists the raw paths a client may have signed, most likely first.
 */
export function authenticate(
  req: SignedRequest,
  accounts: AccountRegistry,
  accountName: string,
  canonicalPaths: string[],
  now: number,
): Principal {
  const account = accounts.get(accountName);
  const authorization = req.header("authorization");
  if (!authorization) {
    throw errors.noAuthenticationInformation();
  }
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) {
    throw errors.invalidAuthenticationInfo(
      "The Authorization header is not of the form 'SharedKey account:signature'.",
    );
  }
  const scheme = match[1] as "SharedKey" | "SharedKeyLite";
  const claimed = match[2] as string;
  if (!account)
    throw errors.authenticationFailed(`The account '${accountName}' does not exist on this server.`);
  verifySharedKey(req, scheme, claimed, match[3] as string, account, canonicalPaths, now);
  return { account: account.name, scheme };
}

/** What a shared access signature is checked against besides the request itself. */
export interface SasContext {
  operation: Operation;
  target: Target;
  /** The client's address (IPv4-mapped IPv6 unwrapped), for `sip`. */
  clientIp: string;
  /** True when the request came over TLS, for `spr`. */
  secure: boolean;
  /** Stored access policies (si=) and the clock come from the engine. */
  engine: EngineDeps;
}

/**
 * Authenticates any request: SharedKey / SharedKeyLite when it has an Authorization header, else a
 * shared access signature when its query carries `sig` (account SAS, or service SAS for a share or
 * file, verified by auth/sas/verify-sas.ts for this operation and target).
 */
export async function authenticateRequest(
  req: SignedRequest,
  accounts: AccountRegistry,
  accountName: string,
  canonicalPaths: string[],
  now: number,
  sas: SasContext,
): Promise<Principal> {
  if (req.header("authorization") !== undefined || !hasSasSignature(req.rawQuery)) {
    return authenticate(req, accounts, accountName, canonicalPaths, now);
  }
  const account = accounts.get(accountName);
  if (!account)
    throw errors.authenticationFailed(`The account '${accountName}' does not exist on this server.`);
  const grant = await verifySas(
    {
      params: parseSasParams(req.rawQuery),
      operation: sas.operation,
      target: sas.target,
      clientIp: sas.clientIp,
      secure: sas.secure,
    },
    account,
    sas.engine,
    sas.engine.clock.now(),
  );
  return { account: account.name, scheme: grant.kind, responseOverrides: grant.overrides };
}
