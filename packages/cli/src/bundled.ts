import { readFileSync, statSync } from "node:fs";

/** Where `npm run build` writes the bundled CLI (scripts/bundle-cli.mjs) and builds.json. */
const BUNDLE_DIR = new URL("./bundle/", import.meta.url);

/**
 * The bundled CLI's entry, if the bundle exists and no package it was made from has been compiled
 * again since (builds.json: each package's TypeScript build info and its modification time then);
 * otherwise undefined. A `tsc -b` after the last `npm run build` therefore never leaves an outdated
 * bundle running: the compiled modules run instead, only slower to start.
 */
export function currentBundle(): URL | undefined {
  let builds: Record<string, number>;
  try {
    builds = JSON.parse(readFileSync(new URL("builds.json", BUNDLE_DIR), "utf8")) as Record<string, number>;
  } catch {
    return undefined;
  }
  for (const [path, mtimeMs] of Object.entries(builds)) {
    if (statSync(new URL(path, BUNDLE_DIR), { throwIfNoEntry: false })?.mtimeMs !== mtimeMs) return undefined;
  }
  return new URL("cli.js", BUNDLE_DIR);
}
