import type { IncomingMessage } from "node:http";
import type { SmbInput } from "../engine/smb.js";
import { errors } from "../errors/catalogue.js";
import type { ContentHeaders, Metadata } from "../store/records.js";
import type { RequestContext } from "./context.js";

/** `x-ms-meta-<name>` headers as metadata, names as the client spelled them (raw headers keep case). */
export function readMetadata(req: IncomingMessage): Metadata {
  const metadata: Metadata = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length > 10 && name.slice(0, 10).toLowerCase() === "x-ms-meta-") {
      metadata[name.slice(10)] = raw[i + 1] as string;
    } else if (name.toLowerCase() === "x-ms-meta-") {
      throw errors.emptyMetadataKey("");
    }
  }
  return metadata;
}

/** Metadata as response headers. */
export function metadataHeaders(metadata: Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) out[`x-ms-meta-${k}`] = v;
  return out;
}

/** The `x-ms-content-*` / `x-ms-cache-control` headers of Create File and Set File Properties. */
export function readContentHeaders(ctx: RequestContext): ContentHeaders {
  const h = (n: string) => ctx.header(n) ?? null;
  return {
    contentType: h("x-ms-content-type"),
    contentEncoding: h("x-ms-content-encoding"),
    contentLanguage: h("x-ms-content-language"),
    cacheControl: h("x-ms-cache-control"),
    contentDisposition: h("x-ms-content-disposition"),
    contentMD5: h("x-ms-content-md5"),
  };
}

/** SMB property headers. */
export function readSmb(ctx: RequestContext): SmbInput {
  const out: SmbInput = {};
  const set = (key: keyof SmbInput, header: string) => {
    const v = ctx.header(header);
    if (v !== undefined) out[key] = v;
  };
  set("attributes", "x-ms-file-attributes");
  set("creationTime", "x-ms-file-creation-time");
  set("lastWriteTime", "x-ms-file-last-write-time");
  set("changeTime", "x-ms-file-change-time");
  set("permission", "x-ms-file-permission");
  set("permissionKey", "x-ms-file-permission-key");
  return out;
}

/** A non-negative integer header, or undefined when absent; 400 InvalidHeaderValue when malformed. */
export function intHeader(
  ctx: RequestContext,
  name: string,
  opts: { min?: number; max?: number } = {},
): number | undefined {
  const raw = ctx.header(name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw errors.invalidHeaderValue(name, raw);
  const n = Number(raw.trim());
  if (
    !Number.isSafeInteger(n) ||
    (opts.min !== undefined && n < opts.min) ||
    (opts.max !== undefined && n > opts.max)
  ) {
    throw errors.invalidHeaderValue(name, raw);
  }
  return n;
}

/** A required header, or 400 MissingRequiredHeader. */
export function requiredHeader(ctx: RequestContext, name: string): string {
  const v = ctx.header(name);
  if (v === undefined || v === "") throw errors.missingRequiredHeader(name);
  return v;
}

/** `bytes=start-end` or `bytes=start-`; undefined when absent. */
export function parseRangeHeader(
  name: string,
  value: string | undefined,
): { start: number; end?: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(value.trim());
  if (!m) throw errors.invalidHeaderValue(name, value);
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : undefined;
  if (!Number.isSafeInteger(start) || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw errors.invalidRange();
  }
  return end === undefined ? { start } : { start, end };
}

/** The lease id a request carries (`x-ms-lease-id`). */
export function leaseIdHeader(ctx: RequestContext): string | undefined {
  return ctx.header("x-ms-lease-id");
}

/** A query parameter as a bounded positive integer. */
export function intQuery(ctx: RequestContext, name: string, min: number, max: number): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw errors.invalidQueryParameterValue(name, raw);
  return n;
}
