import { type ByteRange, MAX_RANGE_BYTES, putRange } from "../../engine/file-data.js";
import { checkRangeDestination, readFileRange } from "../../engine/file-range-read.js";
import { errors } from "../../errors/catalogue.js";
import type { RequestContext } from "../context.js";
import { azureCrc64 } from "../crc64.js";
import { leaseIdHeader, parseRangeHeader, requiredHeader } from "../request-headers.js";
import { send } from "../respond.js";
import { asCopySourceError } from "../source-auth.js";
import { readableCopySource } from "./copy.js";
import { lastWriteMode } from "./file.js";
import { addressOf, etagHeaders } from "./node-headers.js";

/** A required `bytes=start-end` header with both ends. */
function closedRange(ctx: RequestContext, name: string): ByteRange {
  const raw = requiredHeader(ctx, name);
  const range = parseRangeHeader(name, raw);
  if (range?.end === undefined) throw errors.invalidHeaderValue(name, raw);
  return { start: range.start, end: range.end };
}

/**
 * Put Range From URL: writes `x-ms-source-range` of a file on this server (read through its SAS)
 * into `x-ms-range` of the destination. The bytes are appended to the content store and then
 * committed like Put Range, so a crash leaves the old or the new content. Up to 4 MiB; the ranges
 * must be of the same length; `x-ms-source-content-crc64` and the source CRC-64 conditions are
 * checked against the bytes read.
 */
export async function handlePutRangeFromUrl(ctx: RequestContext): Promise<void> {
  const range = closedRange(ctx, "x-ms-range");
  const sourceRange = closedRange(ctx, "x-ms-source-range");
  const write = requiredHeader(ctx, "x-ms-write");
  if (write.toLowerCase() !== "update") throw errors.invalidHeaderValue("x-ms-write", write);
  const length = ctx.header("content-length");
  if (length !== undefined && length !== "0") throw errors.invalidHeaderValue("Content-Length", length);
  const count = range.end - range.start + 1;
  if (sourceRange.end - sourceRange.start + 1 !== count)
    throw errors.invalidHeaderValue("x-ms-source-range", requiredHeader(ctx, "x-ms-source-range"));
  if (count > MAX_RANGE_BYTES) throw errors.outOfRangeInput("The range is larger than 4 MiB.");
  const writeMode = lastWriteMode(ctx);
  const leaseId = leaseIdHeader(ctx);
  const addr = addressOf(ctx);

  await checkRangeDestination(ctx.deps.engine, addr, range, leaseId);
  const source = await readableCopySource(ctx, "none");
  const data = await asCopySourceError(() =>
    readFileRange(
      ctx.deps.engine,
      {
        account: source.target.account,
        share: source.target.share,
        snapshot: source.snapshot,
        path: source.target.path,
      },
      sourceRange,
    ),
  );
  const crc = azureCrc64(data).toString("base64");
  const expected = ctx.header("x-ms-source-content-crc64");
  if (expected !== undefined && expected !== crc) throw errors.crc64Mismatch(expected, crc);
  const ifMatch = ctx.header("x-ms-source-if-match-crc64");
  const ifNoneMatch = ctx.header("x-ms-source-if-none-match-crc64");
  if ((ifMatch !== undefined && ifMatch !== crc) || (ifNoneMatch !== undefined && ifNoneMatch === crc))
    throw errors.sourceConditionNotMet();

  const file = await putRange(ctx.deps.engine, addr, range, data, leaseId, writeMode);
  send(ctx, 201, {
    ...etagHeaders(file),
    "x-ms-content-crc64": crc,
    "x-ms-request-server-encrypted": "true",
    "x-ms-file-last-write-time": file.lastWriteTime,
  });
}
