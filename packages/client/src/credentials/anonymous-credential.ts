import type { PipelineRequest } from "../pipeline/request.js";
import type { Credential } from "./credential.js";

/**
 * Sends requests without any authorization. Use it for public endpoints, or when the URL already
 * carries a SAS token.
 */
export class AnonymousCredential implements Credential {
  /** Leaves the request unchanged. */
  authorizeRequest(_request: PipelineRequest): void {}
}
