import { randomUUID } from "node:crypto";
import { SDK_VERSION, SERVICE_VERSION } from "../constants.js";
import type { Credential } from "../credentials/credential.js";
import { redactUrl, ShareError, shareErrorFromResponse } from "./errors.js";
import type { PipelineRequest, PipelineResponse, ResponseBodyMode } from "./request.js";
import { fetchBody } from "./request-body.js";
import { readResponseBytes } from "./response-bytes.js";
import {
  computeRetryDelay,
  isRetryableStatus,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
} from "./retry.js";

/** The subset of the platform `fetch` the pipeline needs; pass your own for proxies or tests. */
export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

/** Settings shared by every request a client (and the clients it creates) sends. */
export interface PipelineOptions {
  /** How requests are authorized. */
  credential: Credential;
  /** Retry policy; see {@link RetryOptions}. */
  retry?: RetryOptions | undefined;
  /**
   * The fetch implementation (default: the platform `fetch`). Request bodies of 64 KiB and more
   * are passed as a `ReadableStream` with `duplex: "half"` and a `content-length` header.
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

/**
 * Sends requests on the platform fetch: stamps `x-ms-version`, `x-ms-date`,
 * `x-ms-client-request-id` (one id for all attempts of a call) and `User-Agent`; authorizes each
 * attempt with the credential; retries 408/429/5xx and network failures with exponential backoff and
 * jitter; enforces the call's timeout and abort signal; turns error responses into {@link ShareError}.
 */
export class Pipeline {
  /** The credential requests are authorized with. */
  readonly credential: Credential;
  readonly #retry: ResolvedRetryOptions;
  readonly #fetch: FetchLike;
  readonly #apiVersion: string;
  readonly #userAgent: string;

  /** Creates a pipeline; clients do this for you. */
  constructor(options: PipelineOptions) {
    this.credential = options.credential;
    this.#retry = resolveRetryOptions(options.retry);
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#apiVersion = options.apiVersion ?? SERVICE_VERSION;
    const own = `sharelock-client/${SDK_VERSION} (Node.js ${process.version}; ${process.platform})`;
    this.#userAgent = options.userAgentPrefix ? `${options.userAgentPrefix} ${own}` : own;
  }

  /**
   * Sends a request and returns its successful response, or rejects with a {@link ShareError}.
   * The request object is not modified; each attempt works on a copy.
   */
  async send(request: PipelineRequest, options: SendOptions = {}): Promise<PipelineResponse> {
    const mode = options.body ?? "text";
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
        const response = await this.#fetch(attemptRequest.url, {
          method: attemptRequest.method,
          headers: attemptRequest.headers,
          ...fetchBody(attemptRequest.body, attemptRequest.headers),
          signal: control.signal,
          redirect: "manual",
        } as RequestInit);
        if (response.status >= 200 && response.status < 300) {
          const result = await readBody(response, request.method === "HEAD" ? "none" : mode, control);
          return result;
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

/** Reads the body of a successful response the way the caller asked for. */
async function readBody(
  response: Response,
  mode: ResponseBodyMode,
  control: AttemptControl,
): Promise<PipelineResponse> {
  const base = { status: response.status, headers: response.headers };
  switch (mode) {
    case "none":
      await response.body?.cancel().catch(() => undefined);
      control.dispose();
      return base;
    case "text": {
      const bodyText = await response.text();
      control.dispose();
      return { ...base, bodyText };
    }
    case "bytes": {
      const bodyBytes = await readResponseBytes(response, control.signal);
      control.dispose();
      return { ...base, bodyBytes };
    }
    case "stream":
      // Keep the caller's abort signal attached to the body, but stop the timers.
      control.releaseTimers();
      return { ...base, bodyStream: response.body };
  }
}

async function errorFor(
  response: Response,
  method: string,
  summary: { method: string; url: URL; clientRequestId: string },
): Promise<ShareError> {
  const text = method === "HEAD" ? "" : await response.text().catch(() => "");
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

/**
 * One attempt's abort controller, fired by the caller's signal, by the call deadline or by the
 * per-attempt timeout. Remembers which of them fired.
 */
class AttemptControl {
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#controller.abort(this.#callerSignal?.reason);
  #timers: Array<ReturnType<typeof setTimeout>> = [];
  /** True once the per-attempt timeout fired. */
  tryTimedOut = false;
  /** True once the call's deadline fired. */
  deadlineHit = false;

  constructor(
    callerSignal: AbortSignal | undefined,
    deadline: number | undefined,
    tryTimeoutMs: number | undefined,
  ) {
    this.#callerSignal = callerSignal;
    if (callerSignal) {
      if (callerSignal.aborted) this.#controller.abort(callerSignal.reason);
      else callerSignal.addEventListener("abort", this.#onCallerAbort, { once: true });
    }
    if (deadline !== undefined) {
      this.#timers.push(
        setTimeout(
          () => {
            this.deadlineHit = true;
            this.#controller.abort();
          },
          Math.max(0, deadline - Date.now()),
        ),
      );
    }
    if (tryTimeoutMs !== undefined) {
      this.#timers.push(
        setTimeout(() => {
          this.tryTimedOut = true;
          this.#controller.abort();
        }, tryTimeoutMs),
      );
    }
  }

  /** The signal handed to fetch. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the timers but keeps following the caller's signal (used for streamed bodies). */
  releaseTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }

  /** Stops the timers and stops following the caller's signal. */
  dispose(): void {
    this.releaseTimers();
    this.#callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }
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
