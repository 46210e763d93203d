import type { NodeAddress } from "../../engine/directories.js";
import { httpDate } from "../../engine/times.js";
import type { NodeRecord } from "../../store/records.js";
import type { RequestContext } from "../context.js";

/** The address of a directory or file request. */
export function addressOf(ctx: RequestContext): NodeAddress {
  return {
    account: ctx.target.account,
    share: ctx.target.share,
    snapshot: ctx.query.get("sharesnapshot") ?? "",
    path: ctx.target.path,
  };
}

/** ETag and Last-Modified of a node. */
export function etagHeaders(node: NodeRecord): Record<string, string> {
  return { etag: node.etag, "last-modified": httpDate(node.lastModified) };
}

/** SMB properties as response headers. */
export function smbHeaders(node: NodeRecord): Record<string, string> {
  return {
    "x-ms-file-attributes": node.attributes,
    "x-ms-file-creation-time": node.creationTime,
    "x-ms-file-last-write-time": node.lastWriteTime,
    "x-ms-file-change-time": node.changeTime,
    "x-ms-file-permission-key": node.permissionKey,
    "x-ms-file-id": node.fileId,
    "x-ms-file-parent-id": node.parentId === null ? "0" : String(node.parentId),
    "x-ms-request-server-encrypted": "true",
  };
}
