import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccountRegistry } from "../auth/accounts.js";
import type { Principal } from "../auth/authenticate.js";
import type { EngineDeps } from "../engine/deps.js";
import type { Logger } from "../logger.js";
import type { Operation, Target } from "./route.js";

/** Server-wide things every handler may need. */
export interface HttpDeps {
  engine: EngineDeps;
  accounts: AccountRegistry;
  logger: Logger;
}

/** One request on its way through the pipeline. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly deps: HttpDeps;
  readonly requestId: string;
  /** x-ms-version to echo. */
  readonly version: string;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  target: Target;
  operation: Operation;
  /** A request header by lower-case name (first value). */
  header(name: string): string | undefined;
  /** Who authentication proved the caller to be (unset for CORS preflight). */
  principal?: Principal;
}
