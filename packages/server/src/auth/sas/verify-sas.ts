import { createHmac, timingSafeEqual } from "node:crypto";
import type { EngineDeps } from "../../engine/deps.js";
import { parseIso8601 } from "../../engine/iso-time.js";
import { nodeExists } from "../../engine/node-exists.js";
import { getSharePolicies } from "../../engine/share-policies.js";
import { errors } from "../../errors/catalogue.js";
import type { Operation, Target } from "../../operations.js";
import type { Account } from "../accounts.js";
import { accountSasStringToSign } from "./account-sas-string-to-sign.js";
import { ipInRange, parseIpRange } from "./sas-ip.js";
import type { SasParams } from "./sas-params.js";
import { grants, type OperationAccess, SAS_ACCESS } from "./sas-permissions.js";
import { fileCanonicalResource, fileServiceSasStringToSign } from "./service-sas-string-to-sign.js";

/** What SAS verification needs to know about a request. */
export interface SasRequest {
  params: SasParams;
  operation: Operation;
  target: Target;
  /** The client's IP address (IPv4-mapped IPv6 already unwrapped). */
  clientIp: string;
  /** True when the request came over TLS. */
  secure: boolean;
}

/** Response headers a service SAS overrides on Get File (rscc, rscd, rsce, rscl, rsct). */
export interface ResponseOverrides {
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentType?: string;
}

/** A verified SAS: which kind it was and what it asks of the response. */
export interface SasGrant {
  kind: "AccountSas" | "ServiceSas";
  overrides: ResponseOverrides;
}

const RESOURCE_LEVEL = "The specified signed resource is not allowed for the this resource level";

/**
 * Verifies a shared access signature for one operation on one target, in this order: signature
 * (constant-time, 403 AuthenticationFailed with the string-to-sign), stored access policy (si=,
 * read from the share on every request), time window, protocol (403 AuthorizationProtocolMismatch),
 * source IP (403 AuthorizationSourceIPMismatch), then service / resource type / scope / permission
 * (403 AuthorizationServiceMismatch, AuthorizationResourceTypeMismatch, AuthenticationFailed,
 * AuthorizationPermissionMismatch).
 */
export async function verifySas(
  req: SasRequest,
  account: Account,
  engine: EngineDeps,
  now: number,
): Promise<SasGrant> {
  const p = req.params;
  if (p.userDelegation)
    throw errors.authenticationFailed(
      "User delegation SAS needs Microsoft Entra ID, which this server has not.",
    );
  if (p.sr !== undefined) return verifyServiceSas(req, account, engine, now);
  if (p.ss !== undefined || p.srt !== undefined) return verifyAccountSas(req, account, engine, now);
  throw errors.authenticationFailed("sr is mandatory. Cannot be empty");
}

async function verifyAccountSas(
  req: SasRequest,
  account: Account,
  engine: EngineDeps,
  now: number,
): Promise<SasGrant> {
  const p = req.params;
  checkSignature(account, accountSasStringToSign(account.name, p), p.sig);
  for (const [name, value] of [
    ["sp", p.sp],
    ["ss", p.ss],
    ["srt", p.srt],
    ["se", p.se],
  ] as const) {
    if (!value) throw errors.authenticationFailed(`${name} is mandatory. Cannot be empty`);
  }
  checkTimeWindow(p.st, p.se, now);
  checkProtocolAndIp(req);
  const access = SAS_ACCESS[req.operation];
  if (!(p.ss ?? "").includes("f")) throw errors.authorizationServiceMismatch();
  if (!(p.srt ?? "").includes(access.resourceType))
    throw errors.authorizationResourceTypeMismatch(access.resourceType);
  await checkPermission(access, p.sp ?? "", req, engine);
  return { kind: "AccountSas", overrides: {} };
}

async function verifyServiceSas(
  req: SasRequest,
  account: Account,
  engine: EngineDeps,
  now: number,
): Promise<SasGrant> {
  const p = req.params;
  const { target } = req;
  if (p.sr !== "s" && p.sr !== "f")
    throw errors.authenticationFailed(
      `Invalid value '${p.sr}' for sr: Azure Files takes s (share) or f (file).`,
    );
  // The canonicalized resource comes from the request, so the signature itself keeps a share SAS
  // inside its share and a file SAS on its file: anything else is "Signature did not match".
  if (!target.share || (p.sr === "f" && target.path.length === 0))
    throw errors.authenticationFailed(RESOURCE_LEVEL);
  const resource = fileCanonicalResource(account.name, target.share, p.sr === "f" ? target.path : []);
  checkSignature(account, fileServiceSasStringToSign(resource, p), p.sig);

  let { sp, st, se } = p;
  if (p.si) {
    const policies = await getSharePolicies(engine, target.account, target.share);
    const policy = policies?.find((candidate) => candidate.id === p.si);
    if (!policy)
      throw errors.authenticationFailed(
        `The signed identifier '${p.si}' is not a stored access policy of the share.`,
      );
    if ((sp && policy.permission) || (st && policy.start) || (se && policy.expiry))
      throw errors.authenticationFailed(
        "Access policy fields can be associated with signature or SAS identifier but not both",
      );
    sp ||= policy.permission;
    st ||= policy.start;
    se ||= policy.expiry;
  }
  if (!sp) throw errors.authenticationFailed("sp is mandatory. Cannot be empty");
  if (!se) throw errors.authenticationFailed("se is mandatory. Cannot be empty");
  checkTimeWindow(st, se, now);
  checkProtocolAndIp(req);

  const access = SAS_ACCESS[req.operation];
  if (access.serviceSas === "never") throw errors.authorizationPermissionMismatch();
  if (p.sr === "f" && access.serviceSas !== "shareOrFile") throw errors.authenticationFailed(RESOURCE_LEVEL);
  await checkPermission(access, sp, req, engine);
  return { kind: "ServiceSas", overrides: overridesOf(p) };
}

/** Compares the given signature with ours in constant time; 403 AuthenticationFailed on mismatch. */
function checkSignature(account: Account, stringToSign: string, signature: string): void {
  const expected = createHmac("sha256", account.key).update(stringToSign, "utf8").digest();
  const given = Buffer.from(signature, "base64");
  if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw errors.authenticationFailed(`Signature did not match. String to sign used was ${stringToSign}`);
}

/** st ≤ now ≤ se, with Azure's message naming all three; malformed times are refused too. */
function checkTimeWindow(st: string | undefined, se: string | undefined, now: number): void {
  const start = st ? parseIso8601(st) : null;
  const expiry = se ? parseIso8601(se) : null;
  if (st && start === null) throw errors.authenticationFailed(`'${st}' is not a valid value for st.`);
  if (se && expiry === null) throw errors.authenticationFailed(`'${se}' is not a valid value for se.`);
  if ((start !== null && now < start) || expiry === null || now > expiry) {
    const show = (ms: number | null) => (ms === null ? "" : new Date(ms).toUTCString());
    throw errors.authenticationFailed(
      `Signature not valid in the specified time frame: Start [${show(start)}] - Expiry [${show(expiry)}] - Current [${show(now)}]`,
    );
  }
}

/** spr=https refuses plain HTTP; sip limits the client address. */
function checkProtocolAndIp(req: SasRequest): void {
  const { spr, sip } = req.params;
  if (spr) {
    const protocols = spr.split(",").map((s) => s.trim().toLowerCase());
    const valid = protocols.includes("https") && protocols.every((s) => s === "https" || s === "http");
    if (!valid) throw errors.authenticationFailed(`Invalid value '${spr}' for spr.`);
    if (!protocols.includes("http") && !req.secure) throw errors.authorizationProtocolMismatch();
  }
  if (sip) {
    const range = parseIpRange(sip);
    if (!range) throw errors.authenticationFailed(`Invalid value '${sip}' for sip.`);
    if (!ipInRange(req.clientIp, range)) throw errors.authorizationSourceIPMismatch(req.clientIp);
  }
}

/** The letters must cover the operation; "c" alone never replaces an existing file. */
async function checkPermission(
  access: OperationAccess,
  signedPermissions: string,
  req: SasRequest,
  engine: EngineDeps,
): Promise<void> {
  if (!grants(signedPermissions, access.anyOf)) throw errors.authorizationPermissionMismatch();
  if (access.createOnly && !signedPermissions.includes("w")) {
    const { account, share, path } = req.target;
    if (await nodeExists(engine, account, share, path)) throw errors.authorizationPermissionMismatch();
  }
}

function overridesOf(p: SasParams): ResponseOverrides {
  const out: ResponseOverrides = {};
  if (p.rscc) out.cacheControl = p.rscc;
  if (p.rscd) out.contentDisposition = p.rscd;
  if (p.rsce) out.contentEncoding = p.rsce;
  if (p.rscl) out.contentLanguage = p.rscl;
  if (p.rsct) out.contentType = p.rsct;
  return out;
}
