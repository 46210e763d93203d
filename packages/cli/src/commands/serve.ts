import {
  configFromEnv,
  parseAccountList,
  parsePort,
  type ServerConfig,
  startServer,
} from "@sharelock/server";
import { type Command, Option } from "commander";

interface ServeFlags {
  host?: string;
  port?: string;
  data?: string;
  accounts?: string;
  logLevel?: string;
  strict?: boolean;
  postgres?: string;
}

/** `sharelock serve`: runs the server until Ctrl-C / SIGTERM, then shuts down cleanly. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("start the Azure Files-compatible server (embedded SQLite store unless --postgres is given)")
    .option("--host <host>", "address to listen on (env SHARELOCK_HOST)", undefined)
    .option("--port <port>", "port to listen on, 0 for any (env SHARELOCK_PORT)", undefined)
    .option("--data <dir>", "data directory (env SHARELOCK_DATA)", undefined)
    .option("--accounts <list>", "accounts as name:base64key pairs, comma-separated (env SHARELOCK_ACCOUNTS)")
    .addOption(
      new Option("--log-level <level>", "log level (env SHARELOCK_LOG_LEVEL)").choices([
        "fatal",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
        "silent",
      ]),
    )
    .option("--strict", "strict Azure lease profile: infinite file leases only (env SHARELOCK_STRICT=1)")
    .option("--postgres <url>", "keep metadata in PostgreSQL (env SHARELOCK_POSTGRES_URL)")
    .action(async (flags: ServeFlags) => {
      const config: ServerConfig = configFromEnv(process.env);
      if (flags.host) config.host = flags.host;
      if (flags.port) config.port = parsePort(flags.port);
      if (flags.data) config.dataDir = flags.data;
      if (flags.accounts) config.accounts = parseAccountList(flags.accounts);
      if (flags.logLevel) config.logLevel = flags.logLevel;
      if (flags.strict) config.strict = true;
      if (flags.postgres) config.postgresUrl = flags.postgres;
      const server = await startServer(config);
      process.stdout.write(
        `Sharelock listening on ${server.endpoint} (${config.postgresUrl ? "PostgreSQL" : `data in ${config.dataDir}`}, ${
          config.strict ? "strict" : "extended"
        } lease profile)\nConnection string${server.connectionStrings.length > 1 ? "s" : ""}:\n${server.connectionStrings
          .map((s) => `  ${s}`)
          .join("\n")}\n`,
      );
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.logger.info({ signal }, "shutting down");
        server
          .close()
          .then(() => process.exit(0))
          .catch((err: unknown) => {
            server.logger.error({ err }, "shutdown failed");
            process.exit(1);
          });
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    });
}
