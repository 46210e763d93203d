import { createNodeTransport } from "./node-transport.js";
import type { Transport } from "./transport.js";

/** The transport used without a `fetch` option: `node:http` / `node:https` with keep-alive agents. */
export function createDefaultTransport(): Transport {
  return createNodeTransport();
}
