/**
 * The one error type of the server. Raised anywhere below `http/` and rendered once, Azure-style,
 * by `http/render-error.ts`: status, `x-ms-error-code` header and an `<Error>` XML body.
 */
export class StorageError extends Error {
  /** HTTP status code. */
  readonly status: number;
  /** Azure error code, sent as `x-ms-error-code` and `<Code>`. */
  readonly code: string;
  /** Extra `<Error>` child elements, in order (e.g. HeaderName/HeaderValue). */
  readonly details: ReadonlyArray<readonly [string, string]>;
  /** Extra response headers to send with the error. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ReadonlyArray<readonly [string, string]> = [],
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "StorageError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}
