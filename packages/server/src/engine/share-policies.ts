import { errors } from "../errors/catalogue.js";
import type { ShareRecord } from "../store/records.js";
import type { EngineDeps } from "./deps.js";
import { newEtag } from "./etag.js";
import { parseIso8601 } from "./iso-time.js";
import { checkRead } from "./lease-machine.js";
import { requireShare } from "./lookup.js";
import { withShareWriteGate } from "./shares.js";
import { smbTime } from "./times.js";

/** Azure's limit of stored access policies per share. */
export const MAX_SIGNED_IDENTIFIERS = 5;
/** Azure's limit on a signed identifier's Id. */
export const MAX_SIGNED_IDENTIFIER_ID_LENGTH = 64;
/** The permission letters a share's stored access policy may grant. */
export const POLICY_PERMISSIONS = "rcwdl";

/**
 * A stored access policy of a share (one `<SignedIdentifier>`). Every field but the id is optional:
 * a SAS naming the policy supplies what the policy leaves out. Times are ISO-8601 UTC with 7
 * fractional digits.
 */
export interface SignedIdentifier {
  id: string;
  start?: string;
  expiry?: string;
  permission?: string;
}

/** A signed identifier as the client sent it, before validation; "" counts as absent. */
export interface SignedIdentifierInput {
  id?: string;
  start?: string;
  expiry?: string;
  permission?: string;
}

/**
 * Validates a Set Share ACL request: at most 5 identifiers (400 InvalidXmlDocument), each with an
 * Id of 1–64 characters, unique; permissions from "rcwdl"; Start/Expiry ISO-8601 (400
 * InvalidXmlNodeValue). Times come back normalised to 7 fractional digits.
 */
export function validateSignedIdentifiers(input: readonly SignedIdentifierInput[]): SignedIdentifier[] {
  if (input.length > MAX_SIGNED_IDENTIFIERS) throw errors.invalidXmlDocument();
  const seen = new Set<string>();
  return input.map((raw) => {
    const id = raw.id ?? "";
    if (id === "") throw errors.invalidXmlDocument();
    if (id.length > MAX_SIGNED_IDENTIFIER_ID_LENGTH || seen.has(id))
      throw errors.invalidXmlNodeValue("Id", id);
    seen.add(id);
    const out: SignedIdentifier = { id };
    if (raw.start) out.start = normaliseTime("Start", raw.start);
    if (raw.expiry) out.expiry = normaliseTime("Expiry", raw.expiry);
    if (raw.permission) {
      for (const letter of raw.permission)
        if (!POLICY_PERMISSIONS.includes(letter))
          throw errors.invalidXmlNodeValue("Permission", raw.permission);
      out.permission = raw.permission;
    }
    return out;
  });
}

function normaliseTime(node: string, value: string): string {
  const ms = parseIso8601(value);
  if (ms === null) throw errors.invalidXmlNodeValue(node, value);
  return smbTime(ms);
}

/** The stored form: JSON array of `{ Id, Start?, Expiry?, Permission? }`. */
interface StoredIdentifier {
  Id: string;
  Start?: string;
  Expiry?: string;
  Permission?: string;
}

/** Decodes a share's `acl` column; anything unreadable counts as no policies. */
export function decodeAcl(json: string): SignedIdentifier[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: SignedIdentifier[] = [];
  for (const item of parsed as Array<Partial<StoredIdentifier> | null>) {
    if (!item || typeof item.Id !== "string") continue;
    const id: SignedIdentifier = { id: item.Id };
    if (typeof item.Start === "string") id.start = item.Start;
    if (typeof item.Expiry === "string") id.expiry = item.Expiry;
    if (typeof item.Permission === "string") id.permission = item.Permission;
    out.push(id);
  }
  return out;
}

/** Encodes signed identifiers for the share's `acl` column. */
export function encodeAcl(identifiers: readonly SignedIdentifier[]): string {
  const stored: StoredIdentifier[] = identifiers.map((i) => ({
    Id: i.id,
    ...(i.start !== undefined ? { Start: i.start } : {}),
    ...(i.expiry !== undefined ? { Expiry: i.expiry } : {}),
    ...(i.permission !== undefined ? { Permission: i.permission } : {}),
  }));
  return JSON.stringify(stored);
}

/**
 * The stored access policies of a base share, for SAS verification (no lease check: authorization
 * reads them on every si= request, so a change or removal takes effect at once). Null when the
 * share does not exist.
 */
export async function getSharePolicies(
  deps: EngineDeps,
  account: string,
  share: string,
): Promise<SignedIdentifier[] | null> {
  return deps.store.transaction(async (tx) => {
    const record = await tx.getShare(account, share, "");
    return record ? decodeAcl(record.acl) : null;
  });
}

/** Get Share ACL: the share (for ETag/Last-Modified) and its policies; a given lease id must match. */
export async function getShareAccessPolicy(
  deps: EngineDeps,
  account: string,
  name: string,
  leaseId: string | undefined,
): Promise<{ share: ShareRecord; identifiers: SignedIdentifier[] }> {
  return deps.store.transaction(async (tx) => {
    const share = await requireShare(tx, account, name);
    checkRead(share.lease, deps.clock.now(), leaseId, "share");
    return { share, identifiers: decodeAcl(share.acl) };
  });
}

/** Set Share ACL: replaces every stored access policy, behind the share lease like Set Share Metadata. */
export async function setShareAccessPolicy(
  deps: EngineDeps,
  account: string,
  name: string,
  input: readonly SignedIdentifierInput[],
  leaseId: string | undefined,
): Promise<ShareRecord> {
  const identifiers = validateSignedIdentifiers(input);
  return withShareWriteGate(deps, account, name, leaseId, async (tx, share, lease, now) => {
    const patch = { lease, acl: encodeAcl(identifiers), etag: newEtag(now), lastModified: now };
    await tx.updateShare(share.id, patch);
    return { ...share, ...patch };
  });
}
