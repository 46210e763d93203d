import { pino } from "pino";

export type Logger = pino.Logger;

/** The server's structured logger (JSON lines on stderr). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "sharelock" } }, pino.destination(2));
}
