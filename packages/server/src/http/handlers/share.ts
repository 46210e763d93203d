import {
  createPermission,
  createShare,
  type DeleteSnapshotsOption,
  deleteShare,
  getPermission,
  getShare,
  getShareUsage,
  setShareMetadata,
  setShareProperties,
} from "../../engine/shares.js";
import { createSnapshot } from "../../engine/snapshots.js";
import { httpDate } from "../../engine/times.js";
import { errors } from "../../errors/catalogue.js";
import type { ShareRecord } from "../../store/records.js";
import { readBody } from "../body.js";
import type { RequestContext } from "../context.js";
import { intHeader, leaseIdHeader, metadataHeaders, readMetadata } from "../request-headers.js";
import { send } from "../respond.js";
import { xmlDocument } from "../xml.js";
import { leaseHeaders } from "./lease-headers.js";

function snapshotOf(ctx: RequestContext): string {
  return ctx.query.get("sharesnapshot") ?? "";
}

function etagHeaders(share: ShareRecord): Record<string, string> {
  return { etag: share.etag, "last-modified": httpDate(share.lastModified) };
}

/** Create Share. */
export async function handleCreateShare(ctx: RequestContext): Promise<void> {
  const quota = intHeader(ctx, "x-ms-share-quota");
  const tier = ctx.header("x-ms-access-tier");
  const protocols = ctx.header("x-ms-enabled-protocols");
  const squash = ctx.header("x-ms-root-squash");
  const share = await createShare(ctx.deps.engine, {
    account: ctx.target.account,
    name: ctx.target.share,
    metadata: readMetadata(ctx.req),
    ...(quota !== undefined ? { quotaGiB: quota } : {}),
    ...(tier !== undefined ? { accessTier: tier } : {}),
    ...(protocols !== undefined ? { enabledProtocols: protocols } : {}),
    ...(squash !== undefined ? { rootSquash: squash } : {}),
  });
  send(ctx, 201, { ...etagHeaders(share), "x-ms-share-quota": String(share.quotaGiB) });
}

/** Get Share Properties (also Get Share Metadata). */
export async function handleGetShareProperties(ctx: RequestContext): Promise<void> {
  const share = await getShare(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    snapshotOf(ctx),
    leaseIdHeader(ctx),
  );
  const now = ctx.deps.engine.clock.now();
  send(ctx, 200, {
    ...etagHeaders(share),
    ...metadataHeaders(share.metadata),
    "x-ms-share-quota": String(share.quotaGiB),
    "x-ms-access-tier": share.accessTier,
    "x-ms-access-tier-change-time": httpDate(share.accessTierChangeTime),
    "x-ms-enabled-protocols": share.enabledProtocols,
    ...(share.rootSquash ? { "x-ms-root-squash": share.rootSquash } : {}),
    ...leaseHeaders(share.lease, now),
  });
}

/** Set Share Properties (quota, tier, root squash; lease-gated). */
export async function handleSetShareProperties(ctx: RequestContext): Promise<void> {
  const quota = intHeader(ctx, "x-ms-share-quota");
  const tier = ctx.header("x-ms-access-tier");
  const squash = ctx.header("x-ms-root-squash");
  const lease = leaseIdHeader(ctx);
  const share = await setShareProperties(ctx.deps.engine, ctx.target.account, ctx.target.share, {
    ...(quota !== undefined ? { quotaGiB: quota } : {}),
    ...(tier !== undefined ? { accessTier: tier } : {}),
    ...(squash !== undefined ? { rootSquash: squash } : {}),
    ...(lease !== undefined ? { leaseId: lease } : {}),
  });
  send(ctx, 200, etagHeaders(share));
}

/** Set Share Metadata (lease-gated). */
export async function handleSetShareMetadata(ctx: RequestContext): Promise<void> {
  const share = await setShareMetadata(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    readMetadata(ctx.req),
    leaseIdHeader(ctx),
  );
  send(ctx, 200, etagHeaders(share));
}

/** Delete Share (lease-gated; snapshots as `x-ms-delete-snapshots` says). */
export async function handleDeleteShare(ctx: RequestContext): Promise<void> {
  const raw = ctx.header("x-ms-delete-snapshots");
  let option: DeleteSnapshotsOption = "none";
  if (raw !== undefined) {
    const v = raw.toLowerCase();
    if (v !== "include" && v !== "include-leased")
      throw errors.invalidHeaderValue("x-ms-delete-snapshots", raw);
    option = v;
  }
  await deleteShare(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    snapshotOf(ctx),
    option,
    leaseIdHeader(ctx),
  );
  send(ctx, 202, {});
}

/** Get Share Stats: real usage in bytes. */
export async function handleGetShareStats(ctx: RequestContext): Promise<void> {
  const { share, usageBytes } = await getShareUsage(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    leaseIdHeader(ctx),
  );
  const body = xmlDocument({
    ShareStats: { ShareUsageBytes: usageBytes },
  });
  send(ctx, 200, etagHeaders(share), body);
}

const MAX_PERMISSION_BODY = 64 * 1024;

/** Create Permission: JSON `{ "permission": "<SDDL>" }` → `x-ms-file-permission-key`. */
export async function handleCreatePermission(ctx: RequestContext): Promise<void> {
  const body = await readBody(ctx, MAX_PERMISSION_BODY);
  let permission: unknown;
  try {
    permission = (JSON.parse(body.toString("utf8")) as { permission?: unknown }).permission;
  } catch {
    throw errors.invalidInput("The request body is not valid JSON.");
  }
  if (typeof permission !== "string" || permission === "")
    throw errors.invalidInput("The permission is missing.");
  const key = await createPermission(ctx.deps.engine, ctx.target.account, ctx.target.share, permission);
  send(ctx, 201, { "x-ms-file-permission-key": key });
}

/** Get Permission: the SDDL stored under `x-ms-file-permission-key`, as JSON. */
export async function handleGetPermission(ctx: RequestContext): Promise<void> {
  const key = ctx.header("x-ms-file-permission-key");
  if (!key) throw errors.missingRequiredHeader("x-ms-file-permission-key");
  const sddl = await getPermission(ctx.deps.engine, ctx.target.account, ctx.target.share, key);
  const format = ctx.header("x-ms-file-permission-format")?.toLowerCase();
  const payload =
    format === "binary"
      ? { permission: Buffer.from(sddl).toString("base64"), format: "binary" }
      : { permission: sddl };
  send(ctx, 200, {}, JSON.stringify(payload), "application/json; charset=utf-8");
}

/** Create Share Snapshot: 201 with `x-ms-snapshot`. */
export async function handleCreateSnapshot(ctx: RequestContext): Promise<void> {
  const md = readMetadata(ctx.req);
  const snapshot = await createSnapshot(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    Object.keys(md).length > 0 ? md : undefined,
  );
  send(ctx, 201, { ...etagHeaders(snapshot), "x-ms-snapshot": snapshot.snapshot });
}
