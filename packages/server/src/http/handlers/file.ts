import { createHash } from "node:crypto";
import {
  clearRange,
  getRangeList,
  type LastWriteMode,
  MAX_RANGE_BYTES,
  openDownload,
  putRange,
} from "../../engine/file-data.js";
import {
  createFile,
  deleteFile,
  getFile,
  getNode,
  setFileMetadata,
  setFileProperties,
} from "../../engine/files.js";
import { errors } from "../../errors/catalogue.js";
import type { NodeRecord } from "../../store/records.js";
import { readBody } from "../body.js";
import type { RequestContext } from "../context.js";
import { azureCrc64 } from "../crc64.js";
import {
  intHeader,
  leaseIdHeader,
  metadataHeaders,
  parseRangeHeader,
  readContentHeaders,
  readMetadata,
  readSmb,
  requiredHeader,
} from "../request-headers.js";
import { send, sendStream } from "../respond.js";
import { xmlDocument } from "../xml.js";
import { copyHeaders } from "./copy.js";
import { leaseHeaders } from "./lease-headers.js";
import { addressOf, etagHeaders, smbHeaders } from "./node-headers.js";

function optionalLease(ctx: RequestContext): { leaseId?: string } {
  const id = leaseIdHeader(ctx);
  return id === undefined ? {} : { leaseId: id };
}

/** Create File. */
export async function handleCreateFile(ctx: RequestContext): Promise<void> {
  const size = intHeader(ctx, "x-ms-content-length", { min: 0 });
  if (size === undefined) throw errors.missingRequiredHeader("x-ms-content-length");
  const type = ctx.header("x-ms-type");
  if (type !== undefined && type.toLowerCase() !== "file") throw errors.invalidHeaderValue("x-ms-type", type);
  const file = await createFile(ctx.deps.engine, addressOf(ctx), {
    size,
    headers: readContentHeaders(ctx),
    metadata: readMetadata(ctx.req),
    smb: readSmb(ctx),
    ...optionalLease(ctx),
  });
  send(ctx, 201, { ...etagHeaders(file), ...smbHeaders(file) });
}

/** The headers Get File and Get File Properties share. */
function fileHeaders(ctx: RequestContext, file: NodeRecord): Record<string, string> {
  const out: Record<string, string> = {
    ...etagHeaders(file),
    ...metadataHeaders(file.metadata),
    ...smbHeaders(file),
    ...leaseHeaders(file.lease, ctx.deps.engine.clock.now()),
    ...copyHeaders(file.copy),
    "x-ms-type": "File",
    "x-ms-server-encrypted": "true",
    "accept-ranges": "bytes",
    "content-type": file.contentType ?? "application/octet-stream",
  };
  if (file.contentEncoding !== null) out["content-encoding"] = file.contentEncoding;
  if (file.contentLanguage !== null) out["content-language"] = file.contentLanguage;
  if (file.cacheControl !== null) out["cache-control"] = file.cacheControl;
  if (file.contentDisposition !== null) out["content-disposition"] = file.contentDisposition;
  // A service SAS may override these (rsct, rsce, rscl, rscc, rscd).
  const overrides = ctx.principal?.responseOverrides;
  if (overrides?.contentType !== undefined) out["content-type"] = overrides.contentType;
  if (overrides?.contentEncoding !== undefined) out["content-encoding"] = overrides.contentEncoding;
  if (overrides?.contentLanguage !== undefined) out["content-language"] = overrides.contentLanguage;
  if (overrides?.cacheControl !== undefined) out["cache-control"] = overrides.cacheControl;
  if (overrides?.contentDisposition !== undefined) out["content-disposition"] = overrides.contentDisposition;
  return out;
}

/** Get File Properties (HEAD). */
export async function handleGetFileProperties(ctx: RequestContext): Promise<void> {
  const file = await getFile(ctx.deps.engine, addressOf(ctx), leaseIdHeader(ctx));
  const headers = fileHeaders(ctx, file);
  if (file.contentMD5 !== null) headers["content-md5"] = file.contentMD5;
  headers["content-length"] = String(file.size);
  send(ctx, 200, headers);
}

/** Get File: whole (200) or a range (206), streamed from the range map. */
export async function handleDownload(ctx: RequestContext): Promise<void> {
  const requested =
    parseRangeHeader("x-ms-range", ctx.header("x-ms-range")) ??
    parseRangeHeader("Range", ctx.header("range"));
  const wantMD5 = ctx.header("x-ms-range-get-content-md5")?.toLowerCase() === "true";
  const dl = await openDownload(
    ctx.deps.engine,
    addressOf(ctx),
    requested ?? null,
    leaseIdHeader(ctx),
    wantMD5,
  );
  const headers = fileHeaders(ctx, dl.file);
  if (dl.range) {
    headers["content-range"] = `bytes ${dl.range.start}-${dl.range.end}/${dl.file.size}`;
    if (dl.rangeMD5 !== undefined) headers["content-md5"] = dl.rangeMD5;
    if (dl.file.contentMD5 !== null) headers["x-ms-content-md5"] = dl.file.contentMD5;
  } else if (dl.file.contentMD5 !== null) {
    headers["content-md5"] = dl.file.contentMD5;
  }
  await sendStream(ctx, dl.range ? 206 : 200, headers, dl.stream, dl.length);
}

/** Delete File. */
export async function handleDeleteFile(ctx: RequestContext): Promise<void> {
  await deleteFile(ctx.deps.engine, addressOf(ctx), leaseIdHeader(ctx));
  send(ctx, 202, {});
}

/** Set File Properties (HTTP headers, SMB properties, resize). */
export async function handleSetFileProperties(ctx: RequestContext): Promise<void> {
  const size = intHeader(ctx, "x-ms-content-length", { min: 0 });
  const file = await setFileProperties(ctx.deps.engine, addressOf(ctx), {
    headers: readContentHeaders(ctx),
    smb: readSmb(ctx),
    ...(size !== undefined ? { size } : {}),
    ...optionalLease(ctx),
  });
  send(ctx, 200, { ...etagHeaders(file), ...smbHeaders(file) });
}

/** Set File Metadata. */
export async function handleSetFileMetadata(ctx: RequestContext): Promise<void> {
  const file = await setFileMetadata(
    ctx.deps.engine,
    addressOf(ctx),
    readMetadata(ctx.req),
    leaseIdHeader(ctx),
  );
  send(ctx, 200, { etag: file.etag, "x-ms-request-server-encrypted": "true" });
}

/** `x-ms-file-last-write-time` on Put Range: "now" (default) or "preserve". */
export function lastWriteMode(ctx: RequestContext): LastWriteMode {
  const raw = ctx.header("x-ms-file-last-write-time");
  if (raw === undefined) return "now";
  const v = raw.toLowerCase();
  if (v !== "now" && v !== "preserve") throw errors.invalidHeaderValue("x-ms-file-last-write-time", raw);
  return v;
}

/** Put Range: update (with Content-MD5 / x-ms-content-crc64 checks) or clear. */
export async function handlePutRange(ctx: RequestContext): Promise<void> {
  const rangeHeader = ctx.header("x-ms-range") ?? ctx.header("range");
  if (rangeHeader === undefined) throw errors.missingRequiredHeader("x-ms-range");
  const range = parseRangeHeader("x-ms-range", rangeHeader);
  if (!range || range.end === undefined) throw errors.invalidHeaderValue("x-ms-range", rangeHeader);
  const write = requiredHeader(ctx, "x-ms-write").toLowerCase();
  const byteRange = { start: range.start, end: range.end };
  if (write === "clear") {
    const length = ctx.header("content-length");
    if (length !== undefined && length !== "0") throw errors.invalidHeaderValue("Content-Length", length);
    const file = await clearRange(
      ctx.deps.engine,
      addressOf(ctx),
      byteRange,
      leaseIdHeader(ctx),
      lastWriteMode(ctx),
    );
    send(ctx, 201, { ...etagHeaders(file), "x-ms-request-server-encrypted": "true" });
    return;
  }
  if (write !== "update") throw errors.invalidHeaderValue("x-ms-write", write);
  if (ctx.header("content-length") === undefined) throw errors.missingContentLength();
  const expected = range.end - range.start + 1;
  if (expected > MAX_RANGE_BYTES) throw errors.requestBodyTooLarge();
  const body = await readBody(ctx, MAX_RANGE_BYTES);
  if (body.length !== expected) throw errors.invalidHeaderValue("Content-Length", String(body.length));
  const md5 = ctx.header("content-md5");
  // The MD5 is computed only when the client sent one to check: hashing every 4 MiB range on the
  // event loop cost a third of upload throughput, and no SDK reads it back unasked.
  let computedMD5: string | undefined;
  if (md5 !== undefined) {
    computedMD5 = createHash("md5").update(body).digest("base64");
    if (md5 !== computedMD5) throw errors.md5Mismatch(md5, computedMD5);
  }
  const crc = ctx.header("x-ms-content-crc64");
  let computedCrc: string | undefined;
  if (crc !== undefined) {
    computedCrc = azureCrc64(body).toString("base64");
    if (crc !== computedCrc) throw errors.crc64Mismatch(crc, computedCrc);
  }
  const file = await putRange(
    ctx.deps.engine,
    addressOf(ctx),
    byteRange,
    body,
    leaseIdHeader(ctx),
    lastWriteMode(ctx),
  );
  send(ctx, 201, {
    ...etagHeaders(file),
    ...(computedMD5 !== undefined ? { "content-md5": computedMD5 } : {}),
    ...(computedCrc !== undefined ? { "x-ms-content-crc64": computedCrc } : {}),
    "x-ms-request-server-encrypted": "true",
    "x-ms-file-last-write-time": file.lastWriteTime,
  });
}

/** List Ranges. */
export async function handleListRanges(ctx: RequestContext): Promise<void> {
  const window = parseRangeHeader("x-ms-range", ctx.header("x-ms-range") ?? ctx.header("range"));
  const previous = ctx.query.get("prevsharesnapshot") ?? undefined;
  if (previous !== undefined && previous === "")
    throw errors.invalidQueryParameterValue("prevsharesnapshot", previous);
  const { file, ranges, cleared } = await getRangeList(
    ctx.deps.engine,
    addressOf(ctx),
    window ? { start: window.start, end: window.end ?? Number.MAX_SAFE_INTEGER - 1 } : null,
    leaseIdHeader(ctx),
    previous,
  );
  const xmlRange = (r: { start: number; end: number }) => ({ Start: r.start, End: r.end });
  const body = xmlDocument({
    Ranges:
      ranges.length === 0 && cleared.length === 0
        ? ""
        : {
            ...(ranges.length > 0 ? { Range: ranges.map(xmlRange) } : {}),
            ...(cleared.length > 0 ? { ClearRange: cleared.map(xmlRange) } : {}),
          },
  });
  send(ctx, 200, { ...etagHeaders(file), "x-ms-content-length": String(file.size) }, body);
}

/**
 * List Handles on a path without restype (the SDKs send directory handle requests this way too):
 * the file or directory must exist; it has no handles.
 */
export async function handleFileListHandles(ctx: RequestContext): Promise<void> {
  await getNode(ctx.deps.engine, addressOf(ctx));
  send(ctx, 200, {}, xmlDocument({ EnumerationResults: { HandleList: "", NextMarker: "" } }));
}

/** Force Close Handles on a file or directory path: nothing is open. */
export async function handleFileForceCloseHandles(ctx: RequestContext): Promise<void> {
  if (ctx.header("x-ms-handle-id") === undefined) throw errors.missingRequiredHeader("x-ms-handle-id");
  await getNode(ctx.deps.engine, addressOf(ctx));
  send(ctx, 200, { "x-ms-number-of-handles-closed": "0", "x-ms-number-of-handles-failed": "0" });
}
