import fs = require("node:fs");
import path = require("node:path");

/** Where `npm run build` writes the bundled CLI (scripts/bundle-cli.mjs) and builds.json. */
const BUNDLE_DIR = path.join(__dirname, "bundle");

/**
 * The bundled CLI (one CommonJS file), if the bundle exists and no package it was made from has been
 * compiled again since (builds.json: each package's TypeScript build info and its modification time
 * then); otherwise undefined. A `tsc -b` after the last `npm run build` therefore never leaves an
 * outdated bundle running: the compiled modules run instead, only slower to start.
 */
function currentBundle(): string | undefined {
  let builds: Record<string, number>;
  try {
    builds = JSON.parse(fs.readFileSync(path.join(BUNDLE_DIR, "builds.json"), "utf8")) as Record<
      string,
      number
    >;
  } catch {
    return undefined;
  }
  for (const [file, mtimeMs] of Object.entries(builds)) {
    if (fs.statSync(path.join(BUNDLE_DIR, file), { throwIfNoEntry: false })?.mtimeMs !== mtimeMs)
      return undefined;
  }
  return path.join(BUNDLE_DIR, "cli.cjs");
}

export = { currentBundle };
