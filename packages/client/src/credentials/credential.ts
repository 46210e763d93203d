import type { PipelineRequest } from "../pipeline/request.js";

/**
 * Something that authorizes requests. The pipeline calls {@link Credential.authorizeRequest} just
 * before each attempt (retries included), after `x-ms-date` is set, so signatures are always fresh.
 */
export interface Credential {
  /** Adds authorization to the request: a header (SharedKey), query parameters (SAS), or nothing. */
  authorizeRequest(request: PipelineRequest): void | Promise<void>;
}
