import type { TLSSocket } from "node:tls";
import { errors } from "../errors/catalogue.js";
import type { RequestContext } from "./context.js";
import { parseTarget, type Target } from "./route.js";

/** A copy or rename source that names a resource of this server. */
export interface LocalSource {
  /** Account, share and path, decoded as a request to that URL would be. */
  target: Target;
  /** The share snapshot the URL names (`sharesnapshot`), "" for the base share. */
  snapshot: string;
  /** The URL's query string without "?" (where a SAS travels). */
  rawQuery: string;
  /** The URL as given, minus any SAS signature: what `x-ms-copy-source` reports later. */
  display: string;
}

/** Where a source URL points: here, or at another host this server never contacts. */
export type SourceLocation = { local: true; source: LocalSource } | { local: false; host: string };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const HOST_STYLE = /^([a-z0-9]{3,24})\.file\.(.+)$/;

/**
 * Reads a source URL header (`x-ms-copy-source`, `x-ms-file-rename-source`): an absolute http(s)
 * URL, or an absolute path on this server. The URL is local when it reaches the port this request
 * came in on under the name the client used, a loopback name, or the server's own address (with or
 * without a host-style `<account>.file.` prefix); then it is decoded like a request path, so an
 * account-less path-style path belongs to the default account.
 * @throws StorageError 400 InvalidHeaderValue when the value is no http(s) URL.
 */
export function locateSource(ctx: RequestContext, headerName: string, value: string): SourceLocation {
  const requestHost = ctx.header("host") ?? `127.0.0.1:${ctx.req.socket.localPort ?? 80}`;
  const secure = (ctx.req.socket as Partial<TLSSocket>).encrypted === true;
  let url: URL;
  try {
    url = value.startsWith("/")
      ? new URL(value, `${secure ? "https" : "http"}://${requestHost}`)
      : new URL(value);
  } catch {
    throw errors.invalidHeaderValue(headerName, value);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw errors.invalidHeaderValue(headerName, value);
  if (!isThisServer(ctx, url, requestHost)) return { local: false, host: url.host };

  const accounts = ctx.deps.accounts;
  const target = parseTarget(url.pathname, url.host, (name) => accounts.has(name), accounts.defaultName);
  const snapshot = url.searchParams.get("sharesnapshot") ?? url.searchParams.get("snapshot") ?? "";
  let display = url.href;
  if (url.searchParams.has("sig")) {
    const shown = new URL(url.href);
    shown.searchParams.delete("sig");
    display = shown.href;
  }
  return { local: true, source: { target, snapshot, rawQuery: url.search.slice(1), display } };
}

/** Same port as this connection, and a host name that reaches this server. */
function isThisServer(ctx: RequestContext, url: URL, requestHost: string): boolean {
  const localPort = String(ctx.req.socket.localPort ?? "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (port !== localPort) return false;
  const name = serverName(ctx, url.hostname);
  if (LOOPBACK.has(name)) return true;
  let requestName: string;
  try {
    requestName = serverName(ctx, new URL(`http://${requestHost}`).hostname);
  } catch {
    requestName = "";
  }
  const own = (ctx.req.socket.localAddress ?? "").replace(/^::ffff:/, "");
  return name === requestName || name === own || name === `[${own}]`;
}

/** A host name without a host-style `<known account>.file.` prefix, lower-cased. */
function serverName(ctx: RequestContext, hostname: string): string {
  const lower = hostname.toLowerCase();
  const m = HOST_STYLE.exec(lower);
  return m && ctx.deps.accounts.has(m[1] as string) ? (m[2] as string) : lower;
}
