import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, parseAccountList } from "./auth/accounts.js";

/** Everything that decides how a server runs. */
export interface ServerConfig {
  host: string;
  port: number;
  /** Where the embedded store keeps its database and content extents. */
  dataDir: string;
  accounts: Array<{ name: string; key: string }>;
  logLevel: string;
  /** Strict Azure lease profile instead of the extended one. */
  strict: boolean;
  /** PostgreSQL connection string; when set, metadata lives there instead of SQLite. */
  postgresUrl?: string;
  /** PostgreSQL schema holding the tables (created if missing); default "public". */
  postgresSchema?: string;
}

export const DEFAULT_CONFIG: ServerConfig = {
  host: "127.0.0.1",
  port: 10004,
  dataDir: ".sharelock",
  accounts: [{ name: DEV_ACCOUNT_NAME, key: DEV_ACCOUNT_KEY }],
  logLevel: "info",
  strict: false,
};

/** Config from `SHARELOCK_*` environment variables over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv, base: ServerConfig = DEFAULT_CONFIG): ServerConfig {
  const out: ServerConfig = { ...base };
  if (env.SHARELOCK_HOST) out.host = env.SHARELOCK_HOST;
  if (env.SHARELOCK_PORT) out.port = parsePort(env.SHARELOCK_PORT);
  if (env.SHARELOCK_DATA) out.dataDir = env.SHARELOCK_DATA;
  if (env.SHARELOCK_ACCOUNTS) out.accounts = parseAccountList(env.SHARELOCK_ACCOUNTS);
  if (env.SHARELOCK_LOG_LEVEL) out.logLevel = env.SHARELOCK_LOG_LEVEL;
  if (env.SHARELOCK_STRICT) out.strict = env.SHARELOCK_STRICT === "1" || env.SHARELOCK_STRICT === "true";
  if (env.SHARELOCK_POSTGRES_URL) out.postgresUrl = env.SHARELOCK_POSTGRES_URL;
  if (env.SHARELOCK_POSTGRES_SCHEMA) out.postgresSchema = env.SHARELOCK_POSTGRES_SCHEMA;
  return out;
}

/** A TCP port number (0 = any free port). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new Error(`port "${value}" is not a number from 0 to 65535`);
  return n;
}

/** The connection string to paste into any Azure SDK. */
export function connectionString(account: { name: string; key: string }, endpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${account.name};AccountKey=${account.key};FileEndpoint=${endpoint}/${account.name};`;
}
