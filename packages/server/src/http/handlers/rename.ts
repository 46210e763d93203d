import { renameNode } from "../../engine/rename.js";
import { errors } from "../../errors/catalogue.js";
import type { NodeKind } from "../../store/records.js";
import type { RequestContext } from "../context.js";
import { readMetadata, readSmb, requiredHeader } from "../request-headers.js";
import { send } from "../respond.js";
import { authorizeSource } from "../source-auth.js";
import { locateSource } from "../source-url.js";
import { booleanHeader } from "./boolean-header.js";
import { addressOf, etagHeaders, smbHeaders } from "./node-headers.js";

const SOURCE_HEADER = "x-ms-file-rename-source";
const MAX_SOURCE_LENGTH = 2048;

/** Rename File (`comp=rename`). */
export async function handleRenameFile(ctx: RequestContext): Promise<void> {
  await rename(ctx, "file");
}

/** Rename Directory (`restype=directory&comp=rename`). */
export async function handleRenameDirectory(ctx: RequestContext): Promise<void> {
  await rename(ctx, "directory");
}

/**
 * Both renames: the source is a full URL (or absolute path) of this server in the destination's
 * account and share, authorized by its own SAS when it carries one (else by the request).
 */
async function rename(ctx: RequestContext, kind: NodeKind): Promise<void> {
  const sourceValue = requiredHeader(ctx, SOURCE_HEADER);
  if (sourceValue.length > MAX_SOURCE_LENGTH) throw errors.invalidHeaderValue(SOURCE_HEADER, sourceValue);
  const location = locateSource(ctx, SOURCE_HEADER, sourceValue);
  if (!location.local) throw errors.invalidHeaderValue(SOURCE_HEADER, sourceValue);
  const { source } = location;
  const destination = addressOf(ctx);
  const sameShare =
    source.target.account === destination.account && source.target.share === destination.share;
  if (!sameShare || source.target.path.length === 0)
    throw errors.invalidHeaderValue(SOURCE_HEADER, sourceValue);
  if (source.snapshot) throw errors.shareSnapshotOperationNotSupported();
  await authorizeSource(ctx, source, kind === "file" ? "File_Rename" : "Directory_Rename", "request");

  const metadata = readMetadata(ctx.req);
  const hasMetadata = Object.keys(metadata).length > 0;
  const contentType = ctx.header("x-ms-content-type");
  const sourceLeaseId = ctx.header("x-ms-source-lease-id");
  const destinationLeaseId = ctx.header("x-ms-destination-lease-id");
  const node = await renameNode(ctx.deps.engine, destination, {
    kind,
    sourcePath: source.target.path,
    replaceIfExists: booleanHeader(ctx, "x-ms-file-rename-replace-if-exists"),
    ignoreReadOnly: booleanHeader(ctx, "x-ms-file-rename-ignore-readonly"),
    smb: readSmb(ctx),
    ...(hasMetadata ? { metadata } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
    ...(sourceLeaseId !== undefined ? { sourceLeaseId } : {}),
    ...(destinationLeaseId !== undefined ? { destinationLeaseId } : {}),
  });
  send(ctx, 200, { ...etagHeaders(node), ...smbHeaders(node) });
}
