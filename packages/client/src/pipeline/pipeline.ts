import { randomUUID } from "node:crypto";
import { SDK_VERSION, SERVICE_VERSION } from "../constants.js";
import type { Credential } from "../credentials/credential.js";
import { AttemptControl } from "./attempt-control.js";
import { redactUrl, ShareError, shareErrorFromResponse } from "./errors.js";
import { createFetchTransport, type FetchLike } from "./fetch-transport.js";
import { createNodeTransport } from "./node-transport.js";
import type { PipelineRequest, PipelineResponse, ResponseBodyMode } from "./request.js";
import {
  computeRetryDelay,
  isRetryableStatus,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
} from "./retry.js";
import type { StreamedBody, Transport, TransportResponse } from "./transport.js";

export type { FetchLike } from "./fetch-transport.js";

/** Settings shared by every request a client (and the clients it creates) sends. */
export interface PipelineOptions {
  /** How requests are authorized. */
  credential: Credential;
  /** Retry policy; see {@link RetryOptions}. */
  retry?: RetryOptions | undefined;
  /**
   * A fetch implementation to send requests with, e.g. for a proxy or to watch requests in tests
   * (default: none; requests go out on `node:http` / `node:https` keep-alive connections).
   * Request bodies of 64 KiB and more are passed to it as a `ReadableStream` with
   * `duplex: "half"` and a `content-length` header.
   */
  fetch?: FetchLike | undefined;
  /** The `x-ms-version` to send (default {@link SERVICE_VERSION}). */
  apiVersion?: string | undefined;
  /** Text placed before this SDK's own `User-Agent` value, e.g. `"my-app/1.2"`. */
  userAgentPrefix?: string | undefined;
}

/** Per-call controls every client method accepts. */
export interface CallOptions {
  /** Cancels the call; the promise then rejects with a {@link ShareError} whose `kind` is `aborted`. */
  abortSignal?: AbortSignal | undefined;
  /**
   * Time limit for the call in seconds, retries included. It is also sent to the service as the
   * `timeout` query parameter (the seed's meaning), so the service stops working on the request too.
   * In downloads it bounds each ranged GET's wait for its response, then each wait for the next
   * piece of its body (a body that stalls that long fails the download as `timeout`).
   */
  timeout?: number | undefined;
}

/** {@link CallOptions} plus how to return the response body. */
export interface SendOptions extends CallOptions {
  /** How a successful response's body is handed back (default `"text"`). */
  body?: ResponseBodyMode | undefined;
}

/** A successful response whose body is read as it arrives (downloads). */
export interface ChunkedResponse extends PipelineResponse {
  /** The unread body; read it once. */
  streamedBody: StreamedBody;
}

/** How a successful response's body is handed back, including the SDK's own `"chunks"`. */
type BodyMode = ResponseBodyMode | "chunks";

let sendChunked: (
  pipeline: Pipeline,
  request: PipelineRequest,
  options: CallOptions,
) => Promise<ChunkedResponse>;

/**
 * Sends requests on `node:http` / `node:https` keep-alive connections, or on the `fetch` given in
 * the options: stamps
 * `x-ms-version`, `x-ms-date`, `x-ms-client-request-id` (one id for all attempts of a call) and
 * `User-Agent`; authorizes each attempt with the credential; retries 408/429/5xx and network
 * failures with exponential backoff and jitter; enforces the call's timeout and abort signal; turns
 * error responses into {@link ShareError}.
 */
export class Pipeline {
  /** The credential requests are authorized with. */
  readonly credential: Credential;
  readonly #retry: ResolvedRetryOptions;
  readonly #transport: Transport;
  readonly #apiVersion: string;
  readonly #userAgent: string;

  static {
    sendChunked = (pipeline, request, options) =>
      pipeline.#send(request, options, "chunks") as Promise<ChunkedResponse>;
  }

  /** Creates a pipeline; clients do this for you. */
  constructor(options: PipelineOptions) {
    this.credential = options.credential;
    this.#retry = resolveRetryOptions(options.retry);
    this.#transport = options.fetch ? createFetchTransport(options.fetch) : createNodeTransport();
    this.#apiVersion = options.apiVersion ?? SERVICE_VERSION;
    const own = `sharelock-client/${SDK_VERSION} (Node.js ${process.version}; ${process.platform})`;
    this.#userAgent = options.userAgentPrefix ? `${options.userAgentPrefix} ${own}` : own;
  }

  /**
   * Sends a request and returns its successful response, or rejects with a {@link ShareError}.
   * The request object is not modified; each attempt works on a copy.
   */
  send(request: PipelineRequest, options: SendOptions = {}): Promise<PipelineResponse> {
    return this.#send(request, options, options.body ?? "text");
  }

  async #send(request: PipelineRequest, options: CallOptions, mode: BodyMode): Promise<PipelineResponse> {
    const clientRequestId = request.headers.get("x-ms-client-request-id") ?? randomUUID();
    const url = new URL(request.url);
    if (options.timeout !== undefined) {
      if (!(options.timeout > 0)) throw new RangeError("timeout must be a positive number of seconds.");
      url.search = `${url.search.length > 1 ? `${url.search}&` : "?"}timeout=${Math.ceil(options.timeout)}`;
    }
    const deadline = options.timeout === undefined ? undefined : Date.now() + options.timeout * 1000;
    const summary = { method: request.method, url, clientRequestId };
    let lastFailure: unknown;

    for (let attempt = 0; ; attempt++) {
      throwIfStopped(options.abortSignal, deadline, summary, lastFailure);
      const attemptRequest: PipelineRequest = {
        method: request.method,
        url: new URL(url),
        headers: new Headers(request.headers),
        body: request.body,
      };
      attemptRequest.headers.set("x-ms-version", this.#apiVersion);
      attemptRequest.headers.set("x-ms-client-request-id", clientRequestId);
      attemptRequest.headers.set("x-ms-date", new Date().toUTCString());
      attemptRequest.headers.set("user-agent", this.#userAgent);
      await this.credential.authorizeRequest(attemptRequest);
      const attemptSummary = { ...summary, url: attemptRequest.url };

      const control = new AttemptControl(options.abortSignal, deadline, this.#retry.tryTimeoutMs);
      let retryAfterMs: number | undefined;
      try {
        const response = await this.#transport({
          method: attemptRequest.method,
          url: attemptRequest.url,
          headers: attemptRequest.headers,
          body: attemptRequest.body,
          signal: control.signal,
        });
        if (response.status >= 200 && response.status < 300) {
          return await readBody(response, request.method === "HEAD" ? "none" : mode, control);
        }
        if (isRetryableStatus(response.status) && attempt < this.#retry.maxRetries) {
          retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
          lastFailure = await errorFor(response, request.method, attemptSummary);
          control.dispose();
        } else {
          const error = await errorFor(response, request.method, attemptSummary);
          control.dispose();
          throw error;
        }
      } catch (error) {
        control.dispose();
        if (error instanceof ShareError) throw error;
        throwIfStopped(options.abortSignal, deadline, summary, error);
        if (control.deadlineHit) throw timeoutError(summary, error);
        lastFailure = control.tryTimedOut
          ? new ShareError({
              kind: "timeout",
              message: `The attempt did not finish within ${this.#retry.tryTimeoutMs} ms.`,
              method: request.method,
              url: redactUrl(attemptRequest.url),
              clientRequestId,
              cause: error,
            })
          : networkError(error, attemptSummary);
        if (attempt >= this.#retry.maxRetries) throw lastFailure;
      }
      const delay = computeRetryDelay(attempt + 1, this.#retry, retryAfterMs);
      if (deadline !== undefined && Date.now() + delay >= deadline) {
        throw timeoutError(summary, lastFailure);
      }
      await sleep(delay, options.abortSignal).catch(() => undefined);
    }
  }
}

/**
 * Sends a request whose successful response's body is read as chunks as they arrive (by
 * `for await`), with the caller's abort signal still attached to it. The call's timeout bounds the
 * wait for the response, not the reading of the body. Otherwise as {@link Pipeline.send}.
 */
export function sendForChunks(
  pipeline: Pipeline,
  request: PipelineRequest,
  options: CallOptions = {},
): Promise<ChunkedResponse> {
  return sendChunked(pipeline, request, options);
}

/** Reads the body of a successful response the way the caller asked for. */
async function readBody(
  response: TransportResponse,
  mode: BodyMode,
  control: AttemptControl,
): Promise<PipelineResponse> {
  const base = { status: response.status, headers: response.headers };
  switch (mode) {
    case "none":
      await response.body.discard();
      control.dispose();
      return base;
    case "text": {
      const bodyText = await response.body.text();
      control.dispose();
      return { ...base, bodyText };
    }
    case "bytes": {
      const bodyBytes = await response.body.bytes();
      control.dispose();
      return { ...base, bodyBytes };
    }
    case "stream":
      // Keep the caller's abort signal attached to the body, but stop the timers.
      control.releaseTimers();
      return { ...base, bodyStream: response.body.webStream() };
    case "chunks": {
      control.releaseTimers();
      const body = response.body;
      const chunked: ChunkedResponse = {
        ...base,
        streamedBody: control.followsCaller ? { chunks: () => disposedAtEnd(body.chunks(), control) } : body,
      };
      return chunked;
    }
  }
}

/** The chunks of `body`; once they end (or the loop is left), `control` stops following the caller. */
function disposedAtEnd(body: AsyncIterable<Uint8Array>, control: AttemptControl): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* body;
      } finally {
        control.dispose();
      }
    },
  };
}

async function errorFor(
  response: TransportResponse,
  method: string,
  summary: { method: string; url: URL; clientRequestId: string },
): Promise<ShareError> {
  const text = method === "HEAD" ? "" : await response.body.text().catch(() => "");
  return shareErrorFromResponse(response.status, response.statusText, response.headers, text, summary);
}

function networkError(
  cause: unknown,
  summary: { method: string; url: URL; clientRequestId: string },
): ShareError {
  const detail = describeCause(cause);
  return new ShareError({
    kind: "network",
    message: `${summary.method} ${redactUrl(summary.url)} failed without a response: ${detail}`,
    method: summary.method,
    url: redactUrl(summary.url),
    clientRequestId: summary.clientRequestId,
    cause,
  });
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause;
    if (inner instanceof Error) {
      const code = (inner as NodeJS.ErrnoException).code;
      return code ? `${inner.message} (${code})` : inner.message;
    }
    return cause.message;
  }
  return String(cause);
}

function timeoutError(
  summary: { method: string; url: URL; clientRequestId: string },
  cause: unknown,
): ShareError {
  return new ShareError({
    kind: "timeout",
    message: `${summary.method} ${redactUrl(summary.url)} did not complete within the call's timeout.`,
    method: summary.method,
    url: redactUrl(summary.url),
    clientRequestId: summary.clientRequestId,
    cause,
  });
}

/** Rejects with the right {@link ShareError} when the caller aborted or the deadline passed. */
function throwIfStopped(
  signal: AbortSignal | undefined,
  deadline: number | undefined,
  summary: { method: string; url: URL; clientRequestId: string },
  cause: unknown,
): void {
  if (signal?.aborted) {
    throw new ShareError({
      kind: "aborted",
      message: `${summary.method} ${redactUrl(summary.url)} was aborted.`,
      method: summary.method,
      url: redactUrl(summary.url),
      clientRequestId: summary.clientRequestId,
      cause: signal.reason ?? cause,
    });
  }
  if (deadline !== undefined && Date.now() >= deadline) throw timeoutError(summary, cause);
}

/** Waits `ms` milliseconds; rejects early if the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
