// Bundles the compiled CLI (packages/cli/dist/cli.js and everything it imports, the server included)
// into one CommonJS file, packages/cli/dist/bundle/cli.cjs, so `sharelock serve` loads one file
// instead of about a hundred modules. CommonJS because a script, unlike an ES module, can be compiled
// from a V8 code cache on Node 20 (packages/cli/src/code-cache.cts). Run after `tsc -b`;
// `npm run build` does both.
//
// Next to the bundle goes builds.json: the modification time of the TypeScript build info of each
// package the bundle was made from. packages/cli/src/bundled.cts runs the bundle only while those are
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
const outfile = join(outdir, "cli.cjs");

// Left to node at run time: the SQLite driver is a native addon, the PostgreSQL driver (optional
// native parts) is loaded only with --postgres, and fast-xml-parser as its single-file CommonJS build
// (the server loads it so; the SDK's import of it becomes the same require).
const external = ["better-sqlite3", "pg", "fast-xml-parser"];
// The dependencies that node resolves at run time, from the bundle instead of from the server or the
// SDK: the externals above, and those the server loads with createRequire, out of esbuild's sight
// (pino on the first log line).
const runTimeDeps = {
  "packages/server/dist/index.js": ["better-sqlite3", "pg", "pino", "fast-xml-parser"],
  "packages/client/dist/index.js": ["fast-xml-parser"],
};

// commander loads node:child_process at start-up (with it net, dgram and more, ~4 ms) only to spawn
// executable subcommands, which this CLI does not have: in the bundle it gets the module on first use.
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(builder) {
    builder.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: "child_process", namespace: "lazy-builtin" }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents:
        'let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require("node:child_process"))[key] });',
      loader: "js",
    }));
  },
};

const started = Date.now();
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  // Modules imported dynamically (the SDK, progress bars, the PostgreSQL store) are still evaluated
  // only when imported. No import() of an external module may remain: a script compiled from a code
  // cache has no dynamic import on Node 20 (checked below).
  format: "cjs",
  platform: "node",
  target: "node20",
  external,
  plugins: [lazyChildProcessForCommander],
  // The compiled modules read import.meta.url (createRequire, their own location): in the bundle it
  // is the bundle's URL.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  // Less source for node to read and parse at every start; names stay, so stack traces still say
  // where. The source map leads a stack trace's bundle position back to the TypeScript by hand:
  // node --enable-source-maps does not apply it, since the bundle runs through vm.Script.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});

const fromBundle = createRequire(outfile);
for (const [from, names] of Object.entries(runTimeDeps)) {
  const fromPackage = createRequire(join(root, from));
  for (const name of names) {
    if (fromBundle.resolve(name) !== fromPackage.resolve(name)) {
      throw new Error(`${name} resolves differently from the bundle than from ${from}`);
    }
  }
}
const dynamicImports = Object.values(metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((imported) => imported.kind === "dynamic-import" && imported.external);
if (dynamicImports.length > 0) {
  throw new Error(`the bundle would import() ${dynamicImports.map((i) => i.path).join(", ")} at run time`);
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
