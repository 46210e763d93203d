import {
  createDirectory,
  deleteDirectory,
  getDirectory,
  listDirectory,
  setDirectoryMetadata,
  setDirectoryProperties,
} from "../../engine/directories.js";
import { httpDate } from "../../engine/times.js";
import { errors } from "../../errors/catalogue.js";
import type { NodeRecord } from "../../store/records.js";
import type { RequestContext } from "../context.js";
import { intQuery, metadataHeaders, readMetadata, readSmb } from "../request-headers.js";
import { send } from "../respond.js";
import { serviceEndpoint } from "../urls.js";
import { xmlDocument } from "../xml.js";
import { addressOf, etagHeaders, smbHeaders } from "./node-headers.js";

/** Create Directory. */
export async function handleCreateDirectory(ctx: RequestContext): Promise<void> {
  const dir = await createDirectory(ctx.deps.engine, addressOf(ctx), {
    metadata: readMetadata(ctx.req),
    smb: readSmb(ctx),
  });
  send(ctx, 201, { ...etagHeaders(dir), ...smbHeaders(dir) });
}

/** Get Directory Properties / Metadata. */
export async function handleGetDirectoryProperties(ctx: RequestContext): Promise<void> {
  const dir = await getDirectory(ctx.deps.engine, addressOf(ctx));
  send(ctx, 200, { ...etagHeaders(dir), ...metadataHeaders(dir.metadata), ...smbHeaders(dir) });
}

/** Delete Directory (empty only). */
export async function handleDeleteDirectory(ctx: RequestContext): Promise<void> {
  await deleteDirectory(ctx.deps.engine, addressOf(ctx));
  send(ctx, 202, {});
}

/** Set Directory Properties. */
export async function handleSetDirectoryProperties(ctx: RequestContext): Promise<void> {
  const dir = await setDirectoryProperties(ctx.deps.engine, addressOf(ctx), readSmb(ctx));
  send(ctx, 200, { ...etagHeaders(dir), ...smbHeaders(dir) });
}

/** Set Directory Metadata. */
export async function handleSetDirectoryMetadata(ctx: RequestContext): Promise<void> {
  const dir = await setDirectoryMetadata(ctx.deps.engine, addressOf(ctx), readMetadata(ctx.req));
  send(ctx, 200, { ...etagHeaders(dir), "x-ms-request-server-encrypted": "true" });
}

const INCLUDE_VALUES = new Map(["timestamps", "etag", "attributes", "permissionkey"].map((v) => [v, v]));

function entryXml(node: NodeRecord, include: Set<string>, extended: boolean): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (node.kind === "file") properties["Content-Length"] = node.size;
  if (include.has("timestamps")) {
    properties.CreationTime = node.creationTime;
    properties.LastAccessTime = node.lastWriteTime;
    properties.LastWriteTime = node.lastWriteTime;
    properties.ChangeTime = node.changeTime;
    properties["Last-Modified"] = httpDate(node.lastModified);
  }
  if (include.has("etag")) properties.Etag = node.etag;
  return {
    Name: node.name,
    ...(extended || include.size > 0 ? { FileId: node.fileId } : {}),
    Properties: properties,
    ...(include.has("attributes") ? { Attributes: node.attributes } : {}),
    ...(include.has("permissionkey") ? { PermissionKey: node.permissionKey } : {}),
  };
}

/** List Directories and Files: one page, directories and files interleaved in name order. */
export async function handleListDirectory(ctx: RequestContext): Promise<void> {
  const prefix = ctx.query.get("prefix") ?? undefined;
  const marker = ctx.query.get("marker") ?? undefined;
  const maxResults = intQuery(ctx, "maxresults", 1, 5000) ?? 5000;
  const include = new Set<string>();
  for (const raw of (ctx.query.get("include") ?? "").split(",")) {
    const v = raw.trim().toLowerCase();
    if (!v) continue;
    if (!INCLUDE_VALUES.has(v)) throw errors.invalidQueryParameterValue("include", raw);
    include.add(v);
  }
  const extended = ctx.header("x-ms-file-extended-info")?.toLowerCase() === "true";
  const addr = addressOf(ctx);
  const { share, directory, page } = await listDirectory(ctx.deps.engine, addr, {
    maxResults,
    ...(prefix ? { prefix } : {}),
    ...(marker ? { marker } : {}),
  });
  const files = page.items.map((n) => ({ kind: n.kind, xml: entryXml(n, include, extended) }));
  const body = xmlDocument({
    EnumerationResults: {
      "@ServiceEndpoint": serviceEndpoint(ctx),
      "@ShareName": share.name,
      ...(share.snapshot ? { "@ShareSnapshot": share.snapshot } : {}),
      "@DirectoryPath": addr.path.join("/"),
      ...(prefix ? { Prefix: prefix } : {}),
      ...(marker ? { Marker: marker } : {}),
      ...(ctx.query.has("maxresults") ? { MaxResults: maxResults } : {}),
      ...(extended || include.size > 0 ? { DirectoryId: directory.fileId } : {}),
      Entries:
        files.length === 0
          ? ""
          : {
              Directory: files.filter((f) => f.kind === "directory").map((f) => f.xml),
              File: files.filter((f) => f.kind === "file").map((f) => f.xml),
            },
      NextMarker: page.nextMarker ?? "",
    },
  });
  send(ctx, 200, {}, body);
}

/** Directory List Handles: this service has no SMB handles, so the true answer is none. */
export async function handleListHandles(ctx: RequestContext): Promise<void> {
  await getDirectory(ctx.deps.engine, addressOf(ctx));
  const body = xmlDocument({ EnumerationResults: { HandleList: "", NextMarker: "" } });
  send(ctx, 200, {}, body);
}

/** Force Close Handles: nothing is open, so 0 closed. */
export async function handleForceCloseHandles(ctx: RequestContext): Promise<void> {
  const handleId = ctx.header("x-ms-handle-id");
  if (handleId === undefined) throw errors.missingRequiredHeader("x-ms-handle-id");
  await getDirectory(ctx.deps.engine, addressOf(ctx));
  send(ctx, 200, { "x-ms-number-of-handles-closed": "0", "x-ms-number-of-handles-failed": "0" });
}
