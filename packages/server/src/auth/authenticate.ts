import { errors } from "../errors/catalogue.js";
import type { AccountRegistry } from "./accounts.js";
import type { SignedRequest } from "./canonical.js";
import { verifySharedKey } from "./shared-key.js";

/** Who a request was proven to come from. */
export interface Principal {
  account: string;
  scheme: "SharedKey" | "SharedKeyLite";
}

const AUTHORIZATION = /^(SharedKey|SharedKeyLite)\s+([^:\s]+):(\S+)$/;

/**
 * Authenticates a request for `accountName`. Every operation needs credentials: SharedKey or
 * SharedKeyLite (shared access signatures are checked by auth/sas once they land).
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
