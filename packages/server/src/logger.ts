import { createRequire } from "node:module";
import type * as Pino from "pino";

/** The logging the server does; any pino logger is one (tests pass their own). */
export type Logger = Pick<
  Pino.Logger,
  "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "isLevelEnabled"
>;

type LevelName = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

/** pino's default level values: a call below the configured level never needs pino itself. */
const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/**
 * The server's structured logger (JSON lines on stderr). pino is loaded and created at the first
 * line actually written, which for a server that has nothing to report is never: loading it was
 * about a tenth of the start-up time.
 */
export function createLogger(level: string): Logger {
  let pino: Pino.Logger | undefined;
  const real = (): Pino.Logger => {
    if (!pino) {
      // Synchronous, so a line is written before the call returns, as with an eagerly created logger.
      const { pino: create } = createRequire(import.meta.url)("pino") as typeof Pino;
      pino = create({ level, base: { service: "sharelock" } }, create.destination(2));
    }
    return pino;
  };
  const threshold = LEVEL_VALUES[level];
  // pino rejects a level it does not know: let it do so now, with its own message.
  if (threshold === undefined) real();
  const enabled = (name: string): boolean => {
    const value = LEVEL_VALUES[name];
    return value !== undefined && threshold !== undefined && value >= threshold;
  };
  const method = (name: LevelName): Pino.LogFn => {
    if (!enabled(name)) return () => {};
    return ((...args: unknown[]) => {
      const logger = real();
      (logger[name] as (...a: unknown[]) => void).apply(logger, args);
    }) as Pino.LogFn;
  };
  return {
    fatal: method("fatal"),
    error: method("error"),
    warn: method("warn"),
    info: method("info"),
    debug: method("debug"),
    trace: method("trace"),
    isLevelEnabled: enabled,
  };
}
