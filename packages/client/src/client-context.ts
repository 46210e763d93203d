import { AnonymousCredential } from "./credentials/anonymous-credential.js";
import type { Credential } from "./credentials/credential.js";
import { SasCredential } from "./credentials/sas-credential.js";
import { SharedKeyCredential } from "./credentials/shared-key-credential.js";
import {
  type CallOptions,
  type ChunkedResponse,
  type FetchLike,
  Pipeline,
  sendForChunks,
} from "./pipeline/pipeline.js";
import type { HttpMethod, PipelineRequest, PipelineResponse, ResponseBodyMode } from "./pipeline/request.js";
import type { RetryOptions } from "./pipeline/retry.js";
import { type AccountEndpoint, buildUrl, parseUrl, type QueryParams } from "./urls.js";

/** Options every client constructor accepts. Clients created from a client share its settings. */
export interface ClientOptions {
  /** Retry policy; see {@link RetryOptions}. */
  retry?: RetryOptions | undefined;
  /**
   * A fetch implementation to send requests with (e.g. for a proxy, or to watch them in tests),
   * instead of the SDK's own `node:http` / `node:https` keep-alive connections.
   */
  fetch?: FetchLike | undefined;
  /** The `x-ms-version` to send (default `2026-06-06`). */
  apiVersion?: string | undefined;
  /** Text placed before this SDK's `User-Agent`, e.g. `"my-app/1.2"`. */
  userAgentPrefix?: string | undefined;
  /**
   * Forces path-style (`true`: `http://host/<account>/<share>/...`) or host-style (`false`)
   * addressing instead of detecting it; see `urls.ts` for the detection rules.
   */
  pathStyle?: boolean | undefined;
  /** The account name, when neither the URL nor the credential tells it (e.g. SAS on a custom host). */
  accountName?: string | undefined;
}

/** What a client and the clients it creates share: where the account is and how to reach it. */
export interface ClientContext {
  /** The account endpoint. */
  readonly endpoint: AccountEndpoint;
  /** The request pipeline (credential, retries, fetch). */
  readonly pipeline: Pipeline;
}

const CONTEXT = Symbol("sharelock.clientContext");

/** Options that make a new client reuse an existing context (used when clients create clients). */
export function childOptions(context: ClientContext): ClientOptions {
  return { [CONTEXT]: context } as ClientOptions;
}

/** A client's resolved context plus the decoded path segments and snapshot of its URL. */
export interface ResolvedClient {
  context: ClientContext;
  segments: string[];
  snapshot: string | undefined;
}

/**
 * Resolves a constructor's arguments: parses the URL (detecting path- or host-style), picks the
 * credential (a SAS token in the URL becomes a {@link SasCredential}), and builds the pipeline.
 * @throws TypeError for a URL that cannot be parsed, or a URL SAS together with a credential.
 */
export function resolveClient(
  url: string,
  credential: Credential | undefined,
  options: ClientOptions | undefined,
  kind: "service" | "resource",
): ResolvedClient {
  const inherited = (options as { [CONTEXT]?: ClientContext } | undefined)?.[CONTEXT];
  if (inherited) {
    const parsed = parseUrl(url, kind, {
      accountName: inherited.endpoint.accountName,
      pathStyle: inherited.endpoint.pathStyle,
    });
    return { context: inherited, segments: parsed.segments, snapshot: parsed.snapshot };
  }
  const accountName =
    options?.accountName ?? (credential instanceof SharedKeyCredential ? credential.accountName : undefined);
  const parsed = parseUrl(url, kind, { accountName, pathStyle: options?.pathStyle });
  let effective = credential;
  if (parsed.sasToken !== undefined) {
    if (credential !== undefined && !(credential instanceof AnonymousCredential)) {
      throw new TypeError("The URL carries a SAS token and a credential was given too; use one of them.");
    }
    effective = new SasCredential(parsed.sasToken);
  }
  const pipeline = new Pipeline({
    credential: effective ?? new AnonymousCredential(),
    retry: options?.retry,
    fetch: options?.fetch,
    apiVersion: options?.apiVersion,
    userAgentPrefix: options?.userAgentPrefix,
  });
  return {
    context: { endpoint: parsed.endpoint, pipeline },
    segments: parsed.segments,
    snapshot: parsed.snapshot,
  };
}

/** A request to send on a context. */
export interface RequestSpec {
  /** HTTP method. */
  method: HttpMethod;
  /** Path segments after the account: `[]`, `[share]` or `[share, ...path]`. */
  segments: readonly string[];
  /** Query parameters in order; `undefined` values are skipped. */
  query?: QueryParams | undefined;
  /** Request headers. */
  headers?: Headers | undefined;
  /** Request body. */
  body?: Uint8Array | undefined;
}

/** Builds the URL for a request and sends it on the context's pipeline. */
export function sendRequest(
  context: ClientContext,
  spec: RequestSpec,
  options: CallOptions | undefined,
  body: ResponseBodyMode = "text",
): Promise<PipelineResponse> {
  return context.pipeline.send(pipelineRequest(context, spec), {
    abortSignal: options?.abortSignal,
    timeout: options?.timeout,
    body,
  });
}

/**
 * Like {@link sendRequest}, but resolves as soon as the response's headers arrive, with its body to
 * be read as chunks (downloads).
 */
export function openRequest(
  context: ClientContext,
  spec: RequestSpec,
  options: CallOptions | undefined,
): Promise<ChunkedResponse> {
  return sendForChunks(context.pipeline, pipelineRequest(context, spec), {
    abortSignal: options?.abortSignal,
    timeout: options?.timeout,
  });
}

function pipelineRequest(context: ClientContext, spec: RequestSpec): PipelineRequest {
  return {
    method: spec.method,
    url: buildUrl(context.endpoint, spec.segments, spec.query ?? {}),
    headers: spec.headers ?? new Headers(),
    body: spec.body,
  };
}

/**
 * The URL of a resource as users see it: with `sharesnapshot`, and with the SAS token appended when
 * the client authorizes with one (so the URL works as is).
 */
export function displayUrl(context: ClientContext, segments: readonly string[], snapshot?: string): string {
  const url = buildUrl(context.endpoint, segments, { sharesnapshot: snapshot });
  const credential = context.pipeline.credential;
  if (credential instanceof SasCredential)
    credential.authorizeRequest({ method: "GET", url, headers: new Headers() });
  return url.toString();
}

/**
 * The account key credential of a context, for generating SAS tokens.
 * @throws TypeError when the client does not authorize with an account key.
 */
export function sharedKeyOf(context: ClientContext): SharedKeyCredential {
  const credential = context.pipeline.credential;
  if (!(credential instanceof SharedKeyCredential)) {
    throw new TypeError("Generating a SAS needs a client created with a SharedKeyCredential (account key).");
  }
  return credential;
}

/** A resource URL with a SAS token (and `sharesnapshot`, if any) as its query. */
export function sasUrl(
  context: ClientContext,
  segments: readonly string[],
  snapshot: string | undefined,
  token: string,
): string {
  const url = buildUrl(context.endpoint, segments, { sharesnapshot: snapshot });
  url.search = url.search.length > 1 ? `${url.search}&${token}` : `?${token}`;
  return url.toString();
}
