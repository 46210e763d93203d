import type { PipelineRequest } from "../pipeline/request.js";
import type { Credential } from "./credential.js";

/**
 * Authorizes requests with a shared access signature: the token's query parameters are appended,
 * unchanged, to every request URL.
 *
 * @example
 * ```ts
 * const service = new ShareServiceClient("https://acct.file.core.windows.net", new SasCredential("sv=...&sig=..."));
 * ```
 */
export class SasCredential implements Credential {
  /** The token without a leading `?`, exactly as given (already URL-encoded). */
  readonly token: string;

  /**
   * @param token - A SAS token such as `sv=2026-06-06&ss=f&...&sig=...`, with or without a leading `?`.
   */
  constructor(token: string) {
    const trimmed = token.trim().replace(/^\?/, "");
    if (trimmed === "") throw new TypeError("SasCredential needs a non-empty SAS token.");
    this.token = trimmed;
  }

  /** Appends the token's parameters to the request's query string. */
  authorizeRequest(request: PipelineRequest): void {
    const search = request.url.search;
    request.url.search = search.length > 1 ? `${search}&${this.token}` : `?${this.token}`;
  }
}
