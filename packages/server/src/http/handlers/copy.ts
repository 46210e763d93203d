import { randomUUID } from "node:crypto";
import { abortCopy, type CopySmbOptions, startCopy } from "../../engine/copy-file.js";
import { httpDate } from "../../engine/times.js";
import { errors } from "../../errors/catalogue.js";
import type { CopyRecord } from "../../store/records.js";
import type { RequestContext } from "../context.js";
import { leaseIdHeader, readMetadata, requiredHeader } from "../request-headers.js";
import { send } from "../respond.js";
import { asCopySourceError, authorizeSource, refuseCopySourceAuthorization } from "../source-auth.js";
import { type LocalSource, locateSource } from "../source-url.js";
import { booleanHeader } from "./boolean-header.js";
import { addressOf, etagHeaders } from "./node-headers.js";

const MAX_SOURCE_LENGTH = 2048;

/**
 * The `x-ms-copy-source` of Copy File and Put Range From URL, located on this server and
 * authorized to be read. Failures reading the source are 4xx CannotVerifyCopySource.
 */
export async function readableCopySource(
  ctx: RequestContext,
  cover: "sharedKeyOfSameAccount" | "none",
): Promise<LocalSource> {
  const value = requiredHeader(ctx, "x-ms-copy-source");
  if (value.length > MAX_SOURCE_LENGTH) throw errors.invalidHeaderValue("x-ms-copy-source", value);
  refuseCopySourceAuthorization(ctx);
  const location = locateSource(ctx, "x-ms-copy-source", value);
  if (!location.local) throw errors.copySourceNotOnThisServer(location.host);
  const { source } = location;
  await asCopySourceError(() => authorizeSource(ctx, source, "File_Download", cover));
  return source;
}

function copySmbOptions(ctx: RequestContext): CopySmbOptions {
  const opts: CopySmbOptions = {
    ignoreReadOnly: booleanHeader(ctx, "x-ms-file-copy-ignore-readonly"),
    setArchive: booleanHeader(ctx, "x-ms-file-copy-set-archive"),
  };
  const set = (key: "attributes" | "creationTime" | "lastWriteTime" | "changeTime", header: string) => {
    const v = ctx.header(header);
    if (v !== undefined) opts[key] = v;
  };
  set("attributes", "x-ms-file-attributes");
  set("creationTime", "x-ms-file-creation-time");
  set("lastWriteTime", "x-ms-file-last-write-time");
  set("changeTime", "x-ms-file-change-time");
  const permission = ctx.header("x-ms-file-permission");
  const permissionKey = ctx.header("x-ms-file-permission-key");
  if (permission !== undefined) opts.permission = permission;
  if (permissionKey !== undefined) opts.permissionKey = permissionKey;
  const mode = ctx.header("x-ms-file-permission-copy-mode");
  if (mode !== undefined) {
    const lower = mode.toLowerCase();
    if (lower !== "source" && lower !== "override")
      throw errors.invalidHeaderValue("x-ms-file-permission-copy-mode", mode);
    opts.permissionCopyMode = lower;
  }
  return opts;
}

/**
 * Copy File: synchronous — the destination has its content (a copy of the source's range map)
 * when this answers 202 with `x-ms-copy-status: success`.
 */
export async function handleStartCopy(ctx: RequestContext): Promise<void> {
  const source = await readableCopySource(ctx, "sharedKeyOfSameAccount");
  const metadata = readMetadata(ctx.req);
  const leaseId = leaseIdHeader(ctx);
  const copyId = randomUUID();
  const file = await startCopy(ctx.deps.engine, addressOf(ctx), {
    source: {
      account: source.target.account,
      share: source.target.share,
      snapshot: source.snapshot,
      path: source.target.path,
    },
    sourceUrl: source.display,
    copyId,
    smb: copySmbOptions(ctx),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(leaseId !== undefined ? { leaseId } : {}),
  });
  send(ctx, 202, { ...etagHeaders(file), "x-ms-copy-id": copyId, "x-ms-copy-status": "success" });
}

/** Abort Copy File: `copyid` and `x-ms-copy-action: abort` are required; no copy is ever pending. */
export async function handleAbortCopy(ctx: RequestContext): Promise<void> {
  const copyId = ctx.query.get("copyid");
  if (copyId === null || copyId === "") throw errors.missingRequiredQueryParameter("copyid");
  const action = requiredHeader(ctx, "x-ms-copy-action");
  if (action.toLowerCase() !== "abort") throw errors.invalidHeaderValue("x-ms-copy-action", action);
  await abortCopy(ctx.deps.engine, addressOf(ctx), copyId, leaseIdHeader(ctx));
}

/** The `x-ms-copy-*` headers Get File and Get File Properties send for a file that was copied into. */
export function copyHeaders(copy: CopyRecord | null): Record<string, string> {
  if (copy === null) return {};
  const out: Record<string, string> = {
    "x-ms-copy-id": copy.id,
    "x-ms-copy-source": copy.source,
    "x-ms-copy-status": copy.status,
    "x-ms-copy-progress": copy.progress,
  };
  if (copy.completionTime !== null) out["x-ms-copy-completion-time"] = httpDate(copy.completionTime);
  if (copy.statusDescription !== null) out["x-ms-copy-status-description"] = copy.statusDescription;
  return out;
}
