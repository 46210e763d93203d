/**
 * Launches a server as a child process of this node, waits for its first served request and stops
 * it again. Only processes started here are ever signalled, by their own pid.
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { HOST } from "./constants.mjs";

/** Children still running, killed if the bench exits early. */
const live = new Set();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** A free TCP port on the loopback address. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** One HTTP request on a fresh connection; resolves with the status, rejects on connection errors. */
function probeOnce(port, path, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: HOST, port, path, method: "GET", agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("probe timed out")));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Spawns `node <args>` and resolves once the server has answered one HTTP request (any status).
 * `startMs` is the time from just before the spawn to the end of that first response.
 * @param {{ name: string, args: string[], port: number, probePath: string, timeoutMs?: number,
 *   env?: Record<string, string> }} spec
 */
export async function launchServer(spec) {
  const timeoutMs = spec.timeoutMs ?? 30_000;
  const started = performance.now();
  const child = spawn(process.execPath, spec.args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...spec.env },
  });
  live.add(child);
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve(exited);
    });
  });
  let firstStatus = 0;
  for (;;) {
    if (exited) {
      throw new Error(
        `${spec.name} exited (${exited.code ?? exited.signal}) before serving: ${output.trim()}`,
      );
    }
    if (performance.now() - started > timeoutMs) {
      child.kill("SIGKILL");
      throw new Error(`${spec.name} did not serve a request within ${timeoutMs} ms: ${output.trim()}`);
    }
    try {
      firstStatus = await probeOnce(spec.port, spec.probePath, 2000);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  const startMs = performance.now() - started;
  return {
    name: spec.name,
    pid: child.pid,
    port: spec.port,
    startMs,
    firstStatus,
    /** The last few KB the server printed. */
    output: () => output,
    /** Whether it is still running. */
    running: () => exited === null,
    /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code/signal. */
    async stop(graceMs = 5000) {
      if (exited) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const result = await exitPromise;
      clearTimeout(timer);
      return result;
    },
  };
}
