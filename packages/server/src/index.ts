export { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, parseAccountList } from "./auth/accounts.js";
export { configFromEnv, connectionString, DEFAULT_CONFIG, parsePort, type ServerConfig } from "./config.js";
export { type Clock, FakeClock, systemClock } from "./engine/clock.js";
export { type RunningServer, type StartOptions, startServer } from "./main.js";
