import { parseXml } from "../xml.js";

/**
 * What went wrong:
 * - `service`: the service answered with an error status (`statusCode`, `errorCode` are set);
 * - `network`: no response arrived (connection refused or reset, DNS failure, ...) after all retries;
 * - `timeout`: the call's `timeout`, or every attempt's `tryTimeoutMs`, ran out;
 * - `aborted`: the caller's `abortSignal` fired;
 * - `client`: the SDK refused a response it could not trust (e.g. a file changed during a download).
 */
export type ShareErrorKind = "service" | "network" | "timeout" | "aborted" | "client";

/** Fields for constructing a {@link ShareError}. */
export interface ShareErrorInit {
  /** What went wrong. */
  kind: ShareErrorKind;
  /** A human-readable description. */
  message: string;
  /** HTTP status, when a response arrived. */
  statusCode?: number | undefined;
  /** The service's error code (`x-ms-error-code` or `<Code>`), or an SDK code for `client` errors. */
  errorCode?: string | undefined;
  /** The message text the service sent, if any. */
  serviceMessage?: string | undefined;
  /** Response headers, when a response arrived. */
  headers?: Headers | undefined;
  /** Extra elements of the error body, such as `HeaderName` or `AuthenticationErrorDetail`. */
  details?: Record<string, string> | undefined;
  /** The request's `x-ms-client-request-id`. */
  clientRequestId?: string | undefined;
  /** The request method. */
  method?: string | undefined;
  /** The request URL (any SAS signature is redacted). */
  url?: string | undefined;
  /** The underlying error, for network failures. */
  cause?: unknown;
}

/**
 * The one error type every SDK call rejects with. Check {@link ShareError.errorCode} for service
 * errors (e.g. `"LeaseAlreadyPresent"`), and {@link ShareError.isNetworkError},
 * {@link ShareError.isTimeout} or {@link ShareError.isAborted} for failures without a response.
 *
 * @example
 * ```ts
 * try {
 *   await lease.acquire({ leaseDuration: 60 });
 * } catch (error) {
 *   if (error instanceof ShareError && error.errorCode === "LeaseAlreadyPresent") { ... }
 *   else throw error;
 * }
 * ```
 */
export class ShareError extends Error {
  override readonly name = "ShareError";
  /** What went wrong; see {@link ShareErrorKind}. */
  readonly kind: ShareErrorKind;
  /** The HTTP status code, or `undefined` when no response arrived. */
  readonly statusCode: number | undefined;
  /** The service error code such as `LeaseIdMismatchWithFileOperation`, if known. */
  readonly errorCode: string | undefined;
  /** The message text the service sent (without its `RequestId:`/`Time:` trailer), if any. */
  readonly serviceMessage: string | undefined;
  /** The service's `x-ms-request-id`, useful when asking the operator about a failure. */
  readonly requestId: string | undefined;
  /** The `x-ms-client-request-id` this SDK sent (the same on every retry of one call). */
  readonly clientRequestId: string | undefined;
  /** The response headers (empty when no response arrived). */
  readonly headers: Headers;
  /** Extra elements of the XML error body, e.g. `{ HeaderName: "x-ms-lease-duration" }`. */
  readonly details: Readonly<Record<string, string>>;
  /** The request method, if known. */
  readonly method: string | undefined;
  /** The request URL with any SAS signature redacted, if known. */
  readonly url: string | undefined;

  /** Creates an error; the SDK does this, but tests and wrappers may too. */
  constructor(init: ShareErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.statusCode = init.statusCode;
    this.errorCode = init.errorCode;
    this.serviceMessage = init.serviceMessage;
    this.headers = init.headers ?? new Headers();
    this.requestId = this.headers.get("x-ms-request-id") ?? undefined;
    this.clientRequestId = init.clientRequestId ?? this.headers.get("x-ms-client-request-id") ?? undefined;
    this.details = Object.freeze({ ...(init.details ?? {}) });
    this.method = init.method;
    this.url = init.url;
  }

  /** True when no response arrived because of a network failure (after all retries). */
  get isNetworkError(): boolean {
    return this.kind === "network";
  }

  /** True when the call's timeout ran out. */
  get isTimeout(): boolean {
    return this.kind === "timeout";
  }

  /** True when the caller aborted the call. */
  get isAborted(): boolean {
    return this.kind === "aborted";
  }
}

/** Where a failed request went: used to fill {@link ShareError.method} and {@link ShareError.url}. */
export interface RequestSummary {
  /** The HTTP method. */
  method: string;
  /** The URL as sent (a SAS signature in it is redacted when reported). */
  url: URL;
  /** The request's `x-ms-client-request-id`. */
  clientRequestId?: string | undefined;
}

/** The URL as text with the value of a SAS `sig` parameter replaced by `REDACTED`. */
export function redactUrl(url: URL): string {
  return url.toString().replace(/([?&]sig=)[^&]*/i, "$1REDACTED");
}

/**
 * Builds the {@link ShareError} for an error response: the code from `x-ms-error-code` or the body's
 * `<Code>`, the message from `<Message>`, other body elements as `details`.
 */
export function shareErrorFromResponse(
  status: number,
  statusText: string,
  headers: Headers,
  bodyText: string,
  request: RequestSummary,
): ShareError {
  let code = headers.get("x-ms-error-code") ?? undefined;
  let serviceMessage: string | undefined;
  const details: Record<string, string> = {};
  if (bodyText.trim().startsWith("<") || bodyText.charCodeAt(0) === 0xfeff) {
    try {
      const root = parseXml(bodyText);
      for (const child of root.children) {
        if (child.name === "Code") code ??= child.text;
        else if (child.name === "Message") serviceMessage = stripTrailer(child.text);
        else details[child.name] = child.text;
      }
    } catch {
      // Not XML after all: fall back to the status line below.
    }
  }
  const summary = serviceMessage ?? (statusText || "The service returned an error.");
  return new ShareError({
    kind: "service",
    message: `${summary} (HTTP ${status}${code ? ` ${code}` : ""})`,
    statusCode: status,
    errorCode: code,
    serviceMessage,
    headers,
    details,
    clientRequestId: request.clientRequestId,
    method: request.method,
    url: redactUrl(request.url),
  });
}

/** Azure appends "\nRequestId:...\nTime:..." to messages; the request id is already a property. */
function stripTrailer(message: string): string {
  const cut = message.search(/\r?\nRequestId:/);
  return (cut >= 0 ? message.slice(0, cut) : message).trim();
}
