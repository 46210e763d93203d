import type { ServerResponse } from "node:http";
import { httpDate } from "../engine/times.js";
import type { StorageError } from "../errors/storage-error.js";
import { xmlErrorDocument } from "./xml.js";

/** Azure's message suffix: request id and time (7 fractional digits). */
function stamp(requestId: string): string {
  const time = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
  return `\nRequestId:${requestId}\nTime:${time}`;
}

/**
 * Writes a StorageError the way Azure does: status, `x-ms-error-code`, and (except for HEAD) an
 * `<Error><Code/><Message/>…</Error>` body. The one place errors are rendered.
 */
export function renderError(
  res: ServerResponse,
  error: StorageError,
  opts: { method: string; requestId: string; version: string; clientRequestId?: string },
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string | number> = {
    "x-ms-request-id": opts.requestId,
    "x-ms-version": opts.version,
    "x-ms-error-code": error.code,
    date: httpDate(Date.now()),
    server: "Sharelock",
    ...error.headers,
  };
  if (opts.clientRequestId !== undefined) headers["x-ms-client-request-id"] = opts.clientRequestId;
  if (opts.method === "HEAD" || error.status === 304) {
    headers["content-length"] = 0;
    res.writeHead(error.status, headers);
    res.end();
    return;
  }
  const fields: (readonly [string, string])[] = [
    ["Code", error.code],
    ["Message", error.message + stamp(opts.requestId)],
    ...error.details,
  ];
  const payload = Buffer.from(`\uFEFF${xmlErrorDocument(fields)}`, "utf8");
  headers["content-type"] = "application/xml";
  headers["content-length"] = payload.length;
  res.writeHead(error.status, headers);
  res.end(payload);
}
