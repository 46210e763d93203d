/** Raw HTTP over undici: one keep-alive connection per client, no SDK in between. */
import { Client } from "undici";

/** Per-request limits, so no request can hang a scenario. */
const TIMEOUTS = { headersTimeout: 15_000, bodyTimeout: 15_000 };

/**
 * A client with a single keep-alive connection to `origin` (one request in flight at a time).
 * @param {string} origin - `http://127.0.0.1:<port>`
 */
export function openClient(origin) {
  return new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000, ...TIMEOUTS });
}

/**
 * Sends a prepared request and reads the whole response.
 * @param {Client} client
 * @param {{ method: string, path: string, headers: Record<string, string>, body?: Buffer }} req
 * @param {boolean} [keepBody] - return the body as text (otherwise it is discarded).
 * @returns {Promise<{ status: number, body: string }>}
 */
export async function send(client, req, keepBody = false) {
  const res = await client.request({
    method: req.method,
    path: req.path,
    headers: req.headers,
    body: req.body,
  });
  if (keepBody || res.statusCode >= 300) return { status: res.statusCode, body: await res.body.text() };
  await res.body.dump();
  return { status: res.statusCode, body: "" };
}

/** Throws unless `response.status` is `expected`, with the start of the body in the message. */
export function expectStatus(response, expected, what) {
  if (response.status !== expected) {
    throw new Error(`${what}: HTTP ${response.status} (expected ${expected}) ${response.body.slice(0, 300)}`);
  }
}
