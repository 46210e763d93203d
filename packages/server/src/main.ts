import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { AccountRegistry } from "./auth/accounts.js";
import { connectionString, type ServerConfig } from "./config.js";
import { compactOnce } from "./content/compactor.js";
import { LocalExtentStore } from "./content/local-extent-store.js";
import { type Clock, systemClock } from "./engine/clock.js";
import type { EngineDeps } from "./engine/deps.js";
import { createHttpServer } from "./http/server.js";
import { createLogger, type Logger } from "./logger.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import type { MetadataStore } from "./store/transaction.js";

/** A running server. */
export interface RunningServer {
  /** `http://host:port` */
  endpoint: string;
  port: number;
  /** Connection strings, one per account. */
  connectionStrings: string[];
  engine: EngineDeps;
  logger: Logger;
  /** Reclaims unreferenced extent space now. */
  compact(): Promise<{ deleted: number; rewritten: number; reclaimedBytes: number }>;
  /** Stops accepting requests, finishes those in flight, closes the stores. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Clock for leases and timestamps (tests pass a fake one). */
  clock?: Clock;
  logger?: Logger;
  /** How often the compactor runs, in ms (0 = never automatically). */
  compactEveryMs?: number;
  /** Extent file size at which appends move to a new extent (default 64 MiB). */
  extentRollOverBytes?: number;
  /** How long a sealed extent waits after its last append before it may be reclaimed (default 60 s). */
  reclaimGraceMs?: number;
}

/** config → store → engine → http server. */
export async function startServer(config: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  // PostgreSQL's driver is loaded only when asked for: it costs start-up time and memory.
  const store: MetadataStore = config.postgresUrl
    ? await (await import("./store/postgres/postgres-store.js")).PostgresStore.connect(
        config.postgresUrl,
        config.postgresSchema !== undefined ? { schema: config.postgresSchema } : {},
      )
    : SqliteStore.open(join(config.dataDir, "metadata.sqlite"));
  const content = await LocalExtentStore.open(join(config.dataDir, "extents"), {
    ...(opts.extentRollOverBytes !== undefined ? { rollOverBytes: opts.extentRollOverBytes } : {}),
    ...(opts.reclaimGraceMs !== undefined ? { reclaimGraceMs: opts.reclaimGraceMs } : {}),
  });
  const engine: EngineDeps = {
    store,
    content,
    clock: opts.clock ?? systemClock,
    profile: config.strict ? "strict" : "extended",
    newLeaseId: randomUUID,
  };
  const accounts = new AccountRegistry(config.accounts);
  const server = createHttpServer({ engine, accounts, logger });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${config.host}:${port}`;
  const compact = () => compactOnce(store, content);
  const every = opts.compactEveryMs ?? 60_000;
  const timer =
    every > 0
      ? setInterval(() => void compact().catch((err) => logger.error({ err }, "compaction failed")), every)
      : null;
  timer?.unref();
  return {
    endpoint,
    port,
    connectionStrings: config.accounts.map((a) => connectionString(a, endpoint)),
    engine,
    logger,
    compact,
    async close() {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await content.close();
      await store.close();
    },
  };
}
