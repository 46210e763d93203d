/**
 * A Sharelock test server in a child process, for tests that measure the test process itself
 * (memory, CPU) and must not count the server's share of it.
 *
 * Run directly (`node --import tsx test/helpers/server-process.ts`), this file is the child: it
 * starts a test server, prints one JSON line `{ "connectionString": ... }`, and stops the server and
 * exits when its stdin closes (so it never outlives the parent).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startTestServer } from "./server.js";

/** A server running in a child process. */
export interface ServerProcess {
  /** Connection string of the development account on that server. */
  connectionString: string;
  /** The child's process id. */
  pid: number;
  /** Stops the server (removing its data) and waits for the child to exit. */
  dispose(): Promise<void>;
}

/** Starts a test server in a child process and waits until it listens. */
export async function startServerProcess(): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the server process exited early (code ${code})`)));
  });
  lines.close();
  const { connectionString } = JSON.parse(first) as { connectionString: string };
  return {
    connectionString,
    pid: child.pid ?? -1,
    async dispose() {
      child.stdin?.end();
      await exited;
    },
  };
}

async function runChild(): Promise<void> {
  const ts = await startTestServer();
  process.stdout.write(`${JSON.stringify({ connectionString: ts.connectionString })}\n`);
  process.stdin.resume();
  process.stdin.once("end", () => {
    ts.dispose().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runChild();
