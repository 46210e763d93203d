import type { RequestContext } from "./context.js";

/** The service endpoint a client used, for listing documents (`ServiceEndpoint` attribute). */
export function serviceEndpoint(ctx: RequestContext): string {
  const host = ctx.header("host") ?? "127.0.0.1";
  return ctx.target.pathStyle ? `http://${host}/${ctx.target.account}/` : `http://${host}/`;
}
