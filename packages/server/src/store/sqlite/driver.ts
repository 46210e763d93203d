/**
 * Loads the SQLite driver (better-sqlite3) and opens database connections with it.
 *
 * Two things here are only about start-up time:
 * - the package is loaded with require, not import: an ES module import of a CommonJS package has
 *   node first scan the package's source for its export names (cjs-module-lexer), ~5 ms;
 * - the native addon is loaded from where the package's build puts it. Left to itself the driver
 *   finds it with the `bindings` package, which tries a dozen paths at the first open, ~4 ms.
 *   If the addon is not there (an unusual build), the driver's own search runs as before.
 */
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

const require = createRequire(import.meta.url);
const Database = require("better-sqlite3") as typeof BetterSqlite3;

/** The driver's compiled addon, where `npm install` builds or downloads it. */
const ADDON = "better-sqlite3/build/Release/better_sqlite3.node";

let addonPath: string | null | undefined;

function findAddon(): string | null {
  if (addonPath === undefined) {
    try {
      addonPath = require.resolve(ADDON);
    } catch {
      addonPath = null;
    }
  }
  return addonPath;
}

/** A connection to `file` (a path, or ":memory:"). */
export function openDatabase(file: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  const nativeBinding = findAddon();
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
