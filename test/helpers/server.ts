import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import {
  type Clock,
  DEFAULT_CONFIG,
  DEV_ACCOUNT_KEY,
  DEV_ACCOUNT_NAME,
  type RunningServer,
  startServer,
} from "../../packages/server/src/index.js";

/** A Sharelock server started by a test on 127.0.0.1 with a fresh data directory. */
export interface TestServer {
  server: RunningServer;
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Path-style account URL: `http://127.0.0.1:<port>/devstoreaccount1` */
  accountUrl: string;
  connectionString: string;
  accountName: string;
  accountKey: string;
  dataDir: string;
  /** Stops the server, keeps the data. */
  stop(): Promise<void>;
  /** Stops the server and removes the data. */
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  clock?: Clock;
  strict?: boolean;
  /** Reuse a data directory (restart tests). */
  dataDir?: string;
  /** Use PostgreSQL for metadata. */
  postgresUrl?: string;
  port?: number;
}

/** Starts a server for one test file. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "sharelock-test-"));
  const server = await startServer(
    {
      ...DEFAULT_CONFIG,
      port: opts.port ?? 0,
      dataDir,
      strict: opts.strict ?? false,
      logLevel: "silent",
      ...(opts.postgresUrl ? { postgresUrl: opts.postgresUrl } : {}),
    },
    { logger: pino({ level: "silent" }), compactEveryMs: 0, ...(opts.clock ? { clock: opts.clock } : {}) },
  );
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    server,
    endpoint: server.endpoint,
    accountUrl: `${server.endpoint}/${DEV_ACCOUNT_NAME}`,
    connectionString: server.connectionStrings[0] as string,
    accountName: DEV_ACCOUNT_NAME,
    accountKey: DEV_ACCOUNT_KEY,
    dataDir,
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
