import { errors } from "../../errors/catalogue.js";

/**
 * The shared-access-signature fields of a request's query string, URL-decoded. Absent fields are
 * undefined; string-to-sign builders treat them as "".
 */
export interface SasParams {
  /** signedVersion: the string-to-sign layout and the rules the SAS follows. */
  sv: string;
  /** The base64 HMAC-SHA256 signature. */
  sig: string;
  /** signedPermissions. */
  sp?: string;
  /** signedStart, ISO-8601. */
  st?: string;
  /** signedExpiry, ISO-8601. */
  se?: string;
  /** signedIP: one IPv4 address or `a-b`. */
  sip?: string;
  /** signedProtocol: `https` or `https,http`. */
  spr?: string;
  /** signedIdentifier: a stored access policy of the share (service SAS). */
  si?: string;
  /** signedResource: `s` share or `f` file (service SAS). */
  sr?: string;
  /** signedServices (account SAS). */
  ss?: string;
  /** signedResourceTypes (account SAS). */
  srt?: string;
  /** signedEncryptionScope (account SAS, 2020-12-06+). */
  ses?: string;
  /** Response header overrides (service SAS). */
  rscc?: string;
  rscd?: string;
  rsce?: string;
  rscl?: string;
  rsct?: string;
  /** True when user-delegation fields (skoid, sktid, …) are present. */
  userDelegation: boolean;
}

const FIELDS = [
  "sv",
  "sig",
  "sp",
  "st",
  "se",
  "sip",
  "spr",
  "si",
  "sr",
  "ss",
  "srt",
  "ses",
  "rscc",
  "rscd",
  "rsce",
  "rscl",
  "rsct",
] as const;
type Field = (typeof FIELDS)[number];
const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);
const USER_DELEGATION = new Set(["skoid", "sktid", "skt", "ske", "sks", "skv", "sduoid", "skdutid", "saoid"]);

/**
 * Percent-decodes one query component. A literal "+" stays "+": the SDKs percent-encode every
 * SAS value, so a raw "+" can only be part of a base64 signature.
 */
function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Raw query pairs with lower-cased names; the first value of a repeated name wins. */
function queryPairs(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = decode(eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (!out.has(name)) out.set(name, decode(eq < 0 ? "" : part.slice(eq + 1)));
  }
  return out;
}

/** Whether a request is signed with a SAS: its query carries `sig`. */
export function hasSasSignature(rawQuery: string): boolean {
  return queryPairs(rawQuery).has("sig");
}

/**
 * Reads the SAS fields of a query string. `sv` and `sig` are mandatory (403 AuthenticationFailed,
 * in Azure's words, when either is missing or empty).
 */
export function parseSasParams(rawQuery: string): SasParams {
  const pairs = queryPairs(rawQuery);
  const sv = pairs.get("sv");
  const sig = pairs.get("sig");
  if (!sv) throw errors.authenticationFailed("sv is mandatory. Cannot be empty");
  if (!sig) throw errors.authenticationFailed("sig is mandatory. Cannot be empty");
  const out: SasParams = { sv, sig, userDelegation: false };
  for (const [name, value] of pairs) {
    if (USER_DELEGATION.has(name)) out.userDelegation = true;
    else if (FIELD_SET.has(name) && name !== "sv" && name !== "sig") {
      (out as unknown as Record<Field, string>)[name as Field] = value;
    }
  }
  return out;
}
