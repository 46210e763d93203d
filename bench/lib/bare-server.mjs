/**
 * The limit: a bare node:http server that does the least any server must do for each request the
 * bench sends. Run as its own process: `node bare-server.mjs --port P --data DIR`.
 *
 * - lease (`comp=lease`): empty 201 for acquire, empty 200 otherwise, echoing a lease id;
 * - PUT with a body: stream it to a file (at the `x-ms-range` offset) and fsync before answering 201;
 * - PUT without a body: empty 201;
 * - GET: stream the file (or the requested range) back; HEAD: its size;
 * - DELETE: unlink, 202.
 *
 * There is no authentication, no metadata and no validation: only the unavoidable work.
 *
 * With `--durable-leases` it is the limit for a server that keeps its leases across a crash: each
 * lease request appends a line to a log, and the requests that arrived in one event-loop turn share
 * one write and one fdatasync before any of them is answered (group commit, as Sharelock does).
 */
import { randomUUID } from "node:crypto";
import { closeSync, constants, createReadStream, fdatasyncSync, openSync, writeSync } from "node:fs";
import { open, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    data: { type: "string" },
    "durable-leases": { type: "boolean", default: false },
  },
});
if (!values.data) throw new Error("--data DIR is required");
const dataDir = values.data;

/** The file holding a request path's bytes: the whole path as one safe file name. */
function fileFor(pathname) {
  return join(dataDir, encodeURIComponent(pathname));
}

/** `bytes=a-b` (from x-ms-range or range) as [a, b] or undefined. */
function parseRange(req) {
  const value = req.headers["x-ms-range"] ?? req.headers.range;
  const match = typeof value === "string" ? /^bytes=(\d+)-(\d*)$/.exec(value) : null;
  if (!match) return undefined;
  return [Number(match[1]), match[2] ? Number(match[2]) : undefined];
}

function hasBody(req) {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}

function finish(res, status, headers = {}) {
  res.writeHead(status, { "content-length": "0", ...headers });
  res.end();
}

/** With --durable-leases: the lease log, and the answers waiting for its next fdatasync. */
const leaseLog = values["durable-leases"] ? openSync(join(dataDir, "leases.log"), "a") : undefined;
/** @type {{ line: string, answer: () => void }[]} */
let waiting = [];

/** Writes and syncs every waiting lease line at once, then answers their requests. */
function syncLeaseLog() {
  const group = waiting;
  waiting = [];
  if (leaseLog === undefined) return;
  writeSync(leaseLog, group.map((entry) => entry.line).join(""));
  fdatasyncSync(leaseLog);
  for (const entry of group) entry.answer();
}

async function handleLease(req, res) {
  req.resume();
  const action = req.headers["x-ms-lease-action"];
  const leaseId = req.headers["x-ms-proposed-lease-id"] ?? req.headers["x-ms-lease-id"] ?? randomUUID();
  const answer = () =>
    finish(res, action === "acquire" ? 201 : action === "break" ? 202 : 200, { "x-ms-lease-id": leaseId });
  if (leaseLog === undefined) return answer();
  if (waiting.length === 0) setImmediate(syncLeaseLog);
  waiting.push({ line: `${action} ${req.url} ${leaseId}\n`, answer });
}

async function handlePut(req, res, path) {
  if (!hasBody(req)) {
    req.resume();
    finish(res, 201);
    return;
  }
  let position = parseRange(req)?.[0] ?? 0;
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT);
  try {
    for await (const chunk of req) {
      await handle.write(chunk, 0, chunk.length, position);
      position += chunk.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  finish(res, 201);
}

async function handleGet(req, res, path, headOnly) {
  let size;
  try {
    size = (await stat(path)).size;
  } catch {
    req.resume();
    finish(res, 404);
    return;
  }
  req.resume();
  if (headOnly) {
    res.writeHead(200, { "content-length": String(size), "x-ms-type": "File" });
    res.end();
    return;
  }
  const range = parseRange(req);
  if (!range || size === 0) {
    res.writeHead(200, { "content-length": String(size) });
    createReadStream(path).pipe(res);
    return;
  }
  const start = Math.min(range[0], size - 1);
  const end = Math.min(range[1] ?? size - 1, size - 1);
  res.writeHead(206, {
    "content-length": String(end - start + 1),
    "content-range": `bytes ${start}-${end}/${size}`,
  });
  createReadStream(path, { start, end }).pipe(res);
}

async function handle(req, res) {
  const url = new URL(req.url ?? "/", "http://bare");
  const path = fileFor(url.pathname);
  if (url.searchParams.get("comp") === "lease") return handleLease(req, res);
  switch (req.method) {
    case "PUT":
      return handlePut(req, res, path);
    case "GET":
      return handleGet(req, res, path, false);
    case "HEAD":
      return handleGet(req, res, path, true);
    case "DELETE":
      req.resume();
      await rm(path, { force: true });
      return finish(res, 202);
    default:
      req.resume();
      return finish(res, 200);
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) finish(res, 500);
    else res.destroy(err);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(values.port), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`bare server listening on http://127.0.0.1:${address.port}\n`);
});
function stop() {
  server.close(() => {
    if (leaseLog !== undefined) closeSync(leaseLog);
    process.exit(0);
  });
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
