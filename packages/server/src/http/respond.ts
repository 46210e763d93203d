import type { OutgoingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { httpDate } from "../engine/times.js";
import type { RequestContext } from "./context.js";

/** Headers every response carries. */
export function standardHeaders(ctx: RequestContext): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    "x-ms-request-id": ctx.requestId,
    "x-ms-version": ctx.version,
    date: httpDate(Date.now()),
    server: "Sharelock",
  };
  const clientRequestId = ctx.header("x-ms-client-request-id");
  if (clientRequestId !== undefined) headers["x-ms-client-request-id"] = clientRequestId;
  return headers;
}

/** Sends a complete response; HEAD responses carry headers only. */
export function send(
  ctx: RequestContext,
  status: number,
  headers: OutgoingHttpHeaders,
  body?: string | Buffer,
  contentType = "application/xml",
): void {
  const all: OutgoingHttpHeaders = { ...standardHeaders(ctx), ...headers };
  const payload =
    body === undefined ? undefined : typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (payload !== undefined) {
    all["content-type"] ??= contentType;
    all["content-length"] = payload.length;
  } else if (all["content-length"] === undefined) {
    all["content-length"] = 0;
  }
  ctx.res.writeHead(status, all);
  if (ctx.method === "HEAD" || payload === undefined) ctx.res.end();
  else ctx.res.end(payload);
}

/** Streams a body of known length. */
export async function sendStream(
  ctx: RequestContext,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Readable,
  length: number,
): Promise<void> {
  ctx.res.writeHead(status, { ...standardHeaders(ctx), ...headers, "content-length": length });
  if (ctx.method === "HEAD") {
    body.destroy();
    ctx.res.end();
    return;
  }
  await pipeline(body, ctx.res);
}
