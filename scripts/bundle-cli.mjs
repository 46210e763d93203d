// Bundles the compiled CLI (packages/cli/dist/cli.js and everything it imports, the server included)
// into packages/cli/dist/bundle/, so `sharelock serve` loads a few files instead of about a hundred
// modules. Run after `tsc -b`; `npm run build` does both.
//
// Next to the bundle goes builds.json: the modification time of the TypeScript build info of each
// package the bundle was made from. packages/cli/src/bundled.ts runs the bundle only while those are
// unchanged, so a later `tsc -b` that emits anything makes `sharelock` fall back to the compiled
// modules rather than run outdated code.
import { rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "packages/cli/dist/cli.js");
const outdir = join(root, "packages/cli/dist/bundle");

// Left to node at run time: the SQLite driver is a native addon, the PostgreSQL driver (optional
// native parts) is loaded only with --postgres, and the SDK only by the client commands: kept out,
// a change to it does not outdate the bundle.
const external = ["better-sqlite3", "pg", "@sharelock/client"];
// The server's dependencies that node resolves at run time, from the bundle instead of from the server:
// the externals above, and those it loads with createRequire, out of esbuild's sight (pino on the first
// log line, fast-xml-parser as its single-file CommonJS build).
const serverRunTimeDeps = ["better-sqlite3", "pg", "pino", "fast-xml-parser"];

const started = Date.now();
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { cli: entry },
  outdir,
  bundle: true,
  // Dynamic imports (the SDK, progress bars, the PostgreSQL store) stay separate, lazily loaded files.
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // The bundled CommonJS packages (commander) call require(), which an ES module does not have.
  banner: {
    js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);',
  },
  // Less source for node to read and parse at every start; names stay, so stack traces still say
  // where, and the source maps (node --enable-source-maps) lead back to the TypeScript.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});

const fromBundle = createRequire(join(outdir, "cli.js"));
const fromServer = createRequire(join(root, "packages/server/dist/index.js"));
for (const name of serverRunTimeDeps) {
  if (fromBundle.resolve(name) !== fromServer.resolve(name)) {
    throw new Error(`${name} resolves differently from the bundle than from @sharelock/server`);
  }
}

// Every package directory (packages/<name>/dist/...) the bundle took compiled files from.
const packageDists = new Set(
  Object.keys(metafile.inputs)
    .map((path) => /^packages\/[^/]+\/dist\//.exec(path)?.[0])
    .filter((dist) => dist !== undefined),
);
const builds = {};
for (const dist of [...packageDists].sort()) {
  const buildInfo = join(root, dist, ".tsbuildinfo");
  const { mtimeMs } = statSync(buildInfo);
  if (mtimeMs > started) throw new Error(`${dist} was rebuilt while bundling: run the build again`);
  builds[relative(outdir, buildInfo).split(sep).join("/")] = mtimeMs;
}
writeFileSync(join(outdir, "builds.json"), `${JSON.stringify(builds, null, 1)}\n`);
