import {
  getShareAccessPolicy,
  type SignedIdentifier,
  type SignedIdentifierInput,
  setShareAccessPolicy,
} from "../../engine/share-policies.js";
import { httpDate } from "../../engine/times.js";
import { errors } from "../../errors/catalogue.js";
import type { ShareRecord } from "../../store/records.js";
import { readBody } from "../body.js";
import type { RequestContext } from "../context.js";
import { leaseIdHeader } from "../request-headers.js";
import { send } from "../respond.js";
import { parseXml, xmlDocument } from "../xml.js";

/** Five identifiers fit easily; anything larger is not a share ACL. */
const MAX_ACL_BODY = 64 * 1024;

function etagHeaders(share: ShareRecord): Record<string, string> {
  return { etag: share.etag, "last-modified": httpDate(share.lastModified) };
}

/** A text node's value, "" when empty; any other shape is not a valid ACL document. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string") return value;
  throw errors.invalidXmlDocument();
}

/**
 * Reads `<SignedIdentifiers><SignedIdentifier><Id/><AccessPolicy><Start/><Expiry/><Permission/>
 * </AccessPolicy></SignedIdentifier>…</SignedIdentifiers>`; an empty body clears every policy.
 */
export function parseSignedIdentifiersXml(body: Buffer): SignedIdentifierInput[] {
  if (
    body
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim() === ""
  )
    return [];
  const doc = parseXml(body);
  const root = doc.SignedIdentifiers;
  if (root === undefined) throw errors.invalidXmlDocument();
  if (root === "") return [];
  if (typeof root !== "object" || root === null) throw errors.invalidXmlDocument();
  const items = (root as { SignedIdentifier?: unknown }).SignedIdentifier ?? [];
  if (!Array.isArray(items)) throw errors.invalidXmlDocument();
  return items.map((item: unknown) => {
    if (typeof item !== "object" || item === null) throw errors.invalidXmlDocument();
    const { Id, AccessPolicy } = item as { Id?: unknown; AccessPolicy?: unknown };
    const out: SignedIdentifierInput = {};
    const id = text(Id);
    if (id !== undefined) out.id = id;
    if (AccessPolicy !== undefined && AccessPolicy !== "") {
      if (typeof AccessPolicy !== "object" || AccessPolicy === null) throw errors.invalidXmlDocument();
      const policy = AccessPolicy as { Start?: unknown; Expiry?: unknown; Permission?: unknown };
      const start = text(policy.Start);
      const expiry = text(policy.Expiry);
      const permission = text(policy.Permission);
      if (start !== undefined) out.start = start;
      if (expiry !== undefined) out.expiry = expiry;
      if (permission !== undefined) out.permission = permission;
    }
    return out;
  });
}

/** The Get Share ACL document. */
export function signedIdentifiersXml(identifiers: readonly SignedIdentifier[]): string {
  if (identifiers.length === 0) return xmlDocument({ SignedIdentifiers: "" });
  return xmlDocument({
    SignedIdentifiers: {
      SignedIdentifier: identifiers.map((i) => ({
        Id: i.id,
        AccessPolicy: {
          ...(i.start !== undefined ? { Start: i.start } : {}),
          ...(i.expiry !== undefined ? { Expiry: i.expiry } : {}),
          ...(i.permission !== undefined ? { Permission: i.permission } : {}),
        },
      })),
    },
  });
}

/** Get Share ACL: the stored access policies as XML, with the share's ETag and Last-Modified. */
export async function handleGetShareAcl(ctx: RequestContext): Promise<void> {
  const { share, identifiers } = await getShareAccessPolicy(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    leaseIdHeader(ctx),
  );
  send(ctx, 200, etagHeaders(share), signedIdentifiersXml(identifiers));
}

/** Set Share ACL: replaces the stored access policies (validated, share-lease gated). */
export async function handleSetShareAcl(ctx: RequestContext): Promise<void> {
  const identifiers = parseSignedIdentifiersXml(await readBody(ctx, MAX_ACL_BODY));
  const share = await setShareAccessPolicy(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    identifiers,
    leaseIdHeader(ctx),
  );
  send(ctx, 200, etagHeaders(share));
}
