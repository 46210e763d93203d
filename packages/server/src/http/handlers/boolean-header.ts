import { errors } from "../../errors/catalogue.js";
import type { RequestContext } from "../context.js";

/** A `true` / `false` header (any case); absent is false; anything else is 400 InvalidHeaderValue. */
export function booleanHeader(ctx: RequestContext, name: string): boolean {
  const value = ctx.header(name);
  if (value === undefined) return false;
  const lower = value.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw errors.invalidHeaderValue(name, value);
}
