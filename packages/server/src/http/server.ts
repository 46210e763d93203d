import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { authenticateRequest } from "../auth/authenticate.js";
import { normaliseClientIp } from "../auth/sas/sas-ip.js";
import { hasSasSignature } from "../auth/sas/sas-params.js";
import { errors } from "../errors/catalogue.js";
import { StorageError } from "../errors/storage-error.js";
import type { HttpDeps, RequestContext } from "./context.js";
import { corsResponseHeaders } from "./cors.js";
import { HANDLERS } from "./dispatch.js";
import { renderError } from "./render-error.js";
import { parseTarget, resolveOperation } from "./route.js";

/** The newest x-ms-version this server knows; echoed when a request names none. */
export const NEWEST_VERSION = "2026-06-06";
const OLDEST_VERSION = "2019-02-02";

/**
 * The request pipeline, in order: request id → version → target and operation → CORS headers →
 * authentication → handler; any StorageError (or anything else, as 500 InternalError) is rendered
 * once by render-error.
 */
export function createRequestListener(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = randomUUID();
    const version = req.headers["x-ms-version"];
    const echoedVersion = typeof version === "string" && version ? version : NEWEST_VERSION;
    const started = process.hrtime.bigint();
    handle(deps, req, res, requestId, echoedVersion)
      .catch((err: unknown) => {
        const error = err instanceof StorageError ? err : errors.internalError();
        if (!(err instanceof StorageError))
          deps.logger.error({ err, requestId, url: req.url }, "unexpected error");
        renderError(res, error, {
          method: req.method ?? "GET",
          requestId,
          version: echoedVersion,
          ...(typeof req.headers["x-ms-client-request-id"] === "string"
            ? { clientRequestId: req.headers["x-ms-client-request-id"] }
            : {}),
        });
        // Drain whatever body is left so the connection can be reused.
        if (!req.complete) req.resume();
      })
      .finally(() => {
        if (deps.logger.isLevelEnabled("debug")) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          deps.logger.debug(
            { requestId, method: req.method, url: req.url, status: res.statusCode, ms },
            "request",
          );
        }
      });
  };
}

async function handle(
  deps: HttpDeps,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  version: string,
): Promise<void> {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
  const method = (req.method ?? "GET").toUpperCase();
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(rawQuery);
  } catch {
    throw errors.invalidUri();
  }
  const target = parseTarget(
    rawPath,
    header("host"),
    (name) => deps.accounts.has(name),
    deps.accounts.defaultName,
  );
  const ctx: RequestContext = {
    req,
    res,
    deps,
    requestId,
    version,
    method,
    rawPath,
    rawQuery,
    query,
    target,
    operation: "Service_Preflight",
    header,
  };
  ctx.operation = resolveOperation(method, target, query, header);
  for (const [name, value] of Object.entries(await corsResponseHeaders(ctx))) res.setHeader(name, value);
  if (ctx.operation !== "Service_Preflight") {
    // A SAS request may leave x-ms-version out (a plain download link): it is served as the newest.
    checkVersion(header("x-ms-version") ?? (hasSasSignature(rawQuery) ? NEWEST_VERSION : undefined));
    ctx.principal = await authenticateRequest(
      { method, rawPath, rawQuery, header, headerNames: () => Object.keys(req.headers) },
      deps.accounts,
      target.account,
      [rawPath],
      Date.now(),
      {
        operation: ctx.operation,
        target,
        clientIp: normaliseClientIp(req.socket.remoteAddress),
        secure: (req.socket as Partial<TLSSocket>).encrypted === true,
        engine: deps.engine,
      },
    );
    refuseConditionHeaders(header);
  }
  await HANDLERS[ctx.operation](ctx);
}

/** HTTP conditional headers Azure Files refuses on every operation (the REST reference lists none). */
const CONDITION_HEADERS = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];

/**
 * Azure Files honours no HTTP conditional header; it answers 400 ConditionHeadersNotSupported
 * rather than ignore one, so a client relying on a precondition never silently loses it.
 */
function refuseConditionHeaders(header: (name: string) => string | undefined): void {
  if (CONDITION_HEADERS.some((name) => header(name) !== undefined))
    throw errors.conditionHeadersNotSupported();
}

/** Every authorized request names a version; old ones get Azure's answer, newer ones the newest behaviour. */
function checkVersion(version: string | undefined): void {
  if (version === undefined) throw errors.missingRequiredHeader("x-ms-version");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) throw errors.invalidHeaderValue("x-ms-version", version);
  if (version < OLDEST_VERSION) throw errors.invalidHeaderValue("x-ms-version", version);
}

/** A node:http server running the pipeline, with timeouts that keep slow clients from hanging it. */
export function createHttpServer(deps: HttpDeps): Server {
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 300_000, headersTimeout: 60_000 });
  server.on("request", createRequestListener(deps));
  server.on("clientError", (err, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy(err);
  });
  return server;
}
