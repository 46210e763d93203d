import { type CorsRule, getServiceProperties } from "../engine/service.js";
import { errors } from "../errors/catalogue.js";
import type { RequestContext } from "./context.js";
import { send } from "./respond.js";

function listOf(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

function originAllowed(rule: CorsRule, origin: string): boolean {
  const origins = listOf(rule.allowedOrigins);
  return origins.includes("*") || origins.includes(origin.toLowerCase());
}

function headersAllowed(rule: CorsRule, requested: string[]): boolean {
  const allowed = listOf(rule.allowedHeaders);
  return requested.every((h) =>
    allowed.some((a) => a === "*" || a === h || (a.endsWith("*") && h.startsWith(a.slice(0, -1)))),
  );
}

/** The first rule matching origin, method and request headers (Azure applies the first match). */
export function matchCorsRule(
  rules: CorsRule[],
  origin: string,
  method: string,
  requestHeaders: string[],
): CorsRule | undefined {
  return rules.find(
    (r) =>
      originAllowed(r, origin) &&
      listOf(r.allowedMethods).includes(method.toLowerCase()) &&
      headersAllowed(r, requestHeaders),
  );
}

/** Preflight (OPTIONS): answered from the account's CORS rules, without authentication. */
export async function handlePreflight(ctx: RequestContext): Promise<void> {
  const origin = ctx.header("origin");
  const method = ctx.header("access-control-request-method");
  if (!origin || !method) throw errors.corsPreflightFailure();
  const requested = listOf(ctx.header("access-control-request-headers") ?? "");
  const props = await getServiceProperties(ctx.deps.engine, ctx.target.account);
  const rule = matchCorsRule(props.cors, origin, method, requested);
  if (!rule) throw errors.corsPreflightFailure();
  send(ctx, 200, {
    "access-control-allow-origin": listOf(rule.allowedOrigins).includes("*") ? "*" : origin,
    "access-control-allow-methods": method.toUpperCase(),
    ...(requested.length > 0 ? { "access-control-allow-headers": requested.join(",") } : {}),
    "access-control-max-age": String(rule.maxAgeInSeconds),
    "access-control-allow-credentials": "true",
    vary: "Origin",
  });
}

/** CORS headers for an actual (non-preflight) request from a browser origin, if a rule matches. */
export async function corsResponseHeaders(ctx: RequestContext): Promise<Record<string, string>> {
  const origin = ctx.header("origin");
  if (!origin || !ctx.target.account) return {};
  const props = await getServiceProperties(ctx.deps.engine, ctx.target.account);
  if (props.cors.length === 0) return {};
  const rule = matchCorsRule(props.cors, origin, ctx.method, []);
  if (!rule) return {};
  return {
    "access-control-allow-origin": listOf(rule.allowedOrigins).includes("*") ? "*" : origin,
    "access-control-expose-headers": rule.exposedHeaders || "*",
    "access-control-allow-credentials": "true",
    vary: "Origin",
  };
}
