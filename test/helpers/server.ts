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
import {
  dropPostgresSchema,
  postgresBackendRequested,
  TEST_POSTGRES_URL,
  uniquePostgresSchema,
} from "./postgres.js";

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
  /** Where the metadata lives when the server runs on PostgreSQL (pass both back to restart on it). */
  postgres?: { url: string; schema: string };
  /** Stops the server, keeps the data. */
  stop(): Promise<void>;
  /** Stops the server and removes the data (the data directory and any PostgreSQL schema). */
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  clock?: Clock;
  strict?: boolean;
  /** Reuse a data directory (restart tests). */
  dataDir?: string;
  /**
   * Use PostgreSQL for metadata. Without it, `SHARELOCK_TEST_BACKEND=postgres` in the environment
   * puts every test server on the test database (`SHARELOCK_TEST_POSTGRES_URL` or the CI default).
   */
  postgresUrl?: string;
  /** Schema for the PostgreSQL tables; a fresh unique one by default. */
  postgresSchema?: string;
  port?: number;
  /** Small extents and no grace period make reclamation testable. */
  extentRollOverBytes?: number;
  reclaimGraceMs?: number;
}

/** Starts a server for one test file. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "sharelock-test-"));
  const postgresUrl = opts.postgresUrl ?? (postgresBackendRequested() ? TEST_POSTGRES_URL : undefined);
  const postgres = postgresUrl
    ? { url: postgresUrl, schema: opts.postgresSchema ?? uniquePostgresSchema() }
    : undefined;
  const server = await startServer(
    {
      ...DEFAULT_CONFIG,
      port: opts.port ?? 0,
      dataDir,
      strict: opts.strict ?? false,
      logLevel: "silent",
      ...(postgres ? { postgresUrl: postgres.url, postgresSchema: postgres.schema } : {}),
    },
    {
      logger: pino({ level: "silent" }),
      compactEveryMs: 0,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.extentRollOverBytes !== undefined ? { extentRollOverBytes: opts.extentRollOverBytes } : {}),
      ...(opts.reclaimGraceMs !== undefined ? { reclaimGraceMs: opts.reclaimGraceMs } : {}),
    },
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
    ...(postgres ? { postgres } : {}),
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (postgres) await dropPostgresSchema(postgres.url, postgres.schema);
    },
  };
}
