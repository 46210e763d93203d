import { errors } from "../errors/catalogue.js";
import type { RequestContext } from "./context.js";

/**
 * Reads the whole request body, refusing more than `limit` bytes (413) and a Content-Length that
 * does not match what arrived (400).
 */
export async function readBody(ctx: RequestContext, limit: number): Promise<Buffer> {
  const declared = ctx.header("content-length");
  if (declared !== undefined) {
    const n = Number(declared);
    if (!/^\d+$/.test(declared) || !Number.isSafeInteger(n))
      throw errors.invalidHeaderValue("Content-Length", declared);
    if (n > limit) {
      ctx.req.resume();
      throw errors.requestBodyTooLarge();
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      ctx.req.resume();
      throw errors.requestBodyTooLarge();
    }
    chunks.push(buf);
  }
  const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
  if (declared !== undefined && body.length !== Number(declared)) {
    throw errors.invalidHeaderValue("Content-Length", declared);
  }
  return body;
}
