/** Starting the three servers under test: Sharelock (ours), Azurite (the peer), bare node:http (the limit). */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, launchServer } from "./child-server.mjs";
import {
  ACCOUNT,
  ACCOUNT_KEY,
  AZURITE_BLOB_MAIN,
  BARE_SERVER_MAIN,
  HOST,
  SHARELOCK_MAIN,
} from "./constants.mjs";

/** Which server a measurement ran against. */
export const SYSTEMS = /** @type {const} */ (["sharelock", "azurite", "bare"]);

function connectionString(kind, port) {
  const endpoint = `http://${HOST}:${port}/${ACCOUNT}`;
  const service = kind === "azurite" ? "BlobEndpoint" : "FileEndpoint";
  return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};${service}=${endpoint};`;
}

async function start(kind, makeArgs, options) {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), `bench-${kind}-`));
  try {
    const server = await launchServer({
      name: kind,
      args: makeArgs(port, dataDir),
      port,
      probePath: `/${ACCOUNT}?comp=list`,
      timeoutMs: options.timeoutMs,
    });
    return {
      ...server,
      kind,
      dataDir,
      origin: `http://${HOST}:${port}`,
      endpoint: `http://${HOST}:${port}/${ACCOUNT}`,
      connectionString: connectionString(kind, port),
      /** Stops the server and deletes its data. */
      async close() {
        const exit = await server.stop();
        await rm(dataDir, { recursive: true, force: true });
        return exit;
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Starts Sharelock as `node packages/cli/dist/main.cjs serve` (never through npm, so its pid is the
 * server's). `cpuProfDir` adds `--cpu-prof` so a CPU profile is written there on exit.
 * @param {{ cpuProfDir?: string, timeoutMs?: number }} [options]
 */
export function startSharelock(options = {}) {
  if (!existsSync(SHARELOCK_MAIN)) {
    throw new Error(`${SHARELOCK_MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  }
  const profile = options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  return start(
    "sharelock",
    (port, dataDir) => [
      ...profile,
      SHARELOCK_MAIN,
      "serve",
      "--host",
      HOST,
      "--port",
      String(port),
      "--data",
      dataDir,
      "--log-level",
      "warn",
    ],
    options,
  );
}

/**
 * Starts Azurite's blob service in disk mode, on the loopback address, with its data in a temp dir,
 * and always with --disableTelemetry (by default Azurite reports usage to Azure).
 * @param {{ timeoutMs?: number }} [options]
 */
export function startAzurite(options = {}) {
  if (!existsSync(AZURITE_BLOB_MAIN)) {
    throw new Error(`${AZURITE_BLOB_MAIN} is missing: run \`npm --prefix bench ci\` first`);
  }
  return start(
    "azurite",
    (port, dataDir) => [
      AZURITE_BLOB_MAIN,
      "--blobHost",
      HOST,
      "--blobPort",
      String(port),
      "--location",
      dataDir,
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--silent",
    ],
    options,
  );
}

/**
 * Starts the bare node:http limit server; `durableLeases` makes it sync a log line for every lease
 * request before answering it (bare-server.mjs).
 * @param {{ timeoutMs?: number, durableLeases?: boolean }} [options]
 */
export function startBare(options = {}) {
  const durable = options.durableLeases ? ["--durable-leases"] : [];
  return start(
    "bare",
    (port, dataDir) => [BARE_SERVER_MAIN, "--port", String(port), "--data", dataDir, ...durable],
    options,
  );
}

/** Starts the given kind of server. */
export function startServer(kind, options = {}) {
  if (kind === "sharelock") return startSharelock(options);
  if (kind === "azurite") return startAzurite(options);
  return startBare(options);
}
