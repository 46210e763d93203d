// CommonJS, like main.cts: loaded before the bundle, and node starts a CommonJS entry without its ES
// module loader, about 10 ms sooner.
import fs = require("node:fs");
import nodeModule = require("node:module");
import path = require("node:path");
import vm = require("node:vm");

/** What became of the code cache when a file was run. */
type CodeCacheUse = "accepted" | "rejected" | "absent";

interface CommonJsRun {
  /** Whether V8 used the cache kept next to the file. */
  cache: CodeCacheUse;
  /** Writes the cache now, from everything compiled so far (a no-op once written or when not needed). */
  saveCache(): void;
}

/** A CommonJS module's source as the function node's loader wraps it in. */
function wrapCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

/** The V8 code cache kept for `file`. */
function codeCachePath(file: string): string {
  return `${file}.v8-cache`;
}

/** How much more code a run must have compiled than its cache holds before the cache is rewritten. */
const GROWTH_TO_REWRITE = 1.1;

/**
 * Runs the CommonJS file `file` as node's loader would (`require`, `module`, `__filename`), but
 * compiled with a V8 code cache kept next to it: V8 then deserializes the functions compiled on an
 * earlier run instead of parsing and compiling them again. Node 22 does this itself
 * (`module.enableCompileCache`); Node 20 has only the V8 API.
 *
 * V8 checks a cache against the source and its own version and flags and rejects one that does not
 * match; the file is then compiled as usual. When the cache is written:
 * - missing or rejected: `saveAfterMs` after the start or at exit, whichever comes first;
 * - accepted: once more `saveAfterMs` after the start, if by then the run has compiled markedly more
 *   than the cache holds. So a long-running command (`serve`) completes a cache that a short one
 *   (`--help`) began, and short commands never pay for writing one that works.
 * Writes go through a temporary file and a rename, so concurrent runs never read half a cache; a
 * cache that cannot be written (a read-only install) is simply not kept.
 *
 * The file must not call `import()`: on Node 20 a script compiled from a code cache loses its dynamic
 * import callback ("A dynamic import callback was not specified").
 */
function runCommonJsWithCodeCache(file: string, saveAfterMs = 1000): CommonJsRun {
  const cachePath = codeCachePath(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrapCommonJs(fs.readFileSync(file, "utf8")), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const cache: CodeCacheUse =
    cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "accepted";
  let saved = false;
  const saveCache = (): void => {
    if (saved) return;
    saved = true;
    const data = script.createCachedData();
    if (cache === "accepted" && data.length < (cachedData?.length ?? 0) * GROWTH_TO_REWRITE) return;
    const temp = `${cachePath}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, data);
      fs.renameSync(temp, cachePath);
    } catch {
      fs.rmSync(temp, { force: true });
    }
  };
  setTimeout(saveCache, saveAfterMs).unref();
  if (cache !== "accepted") process.once("exit", saveCache);
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, nodeModule.createRequire(file), module, file, path.dirname(file));
  return { cache, saveCache };
}

export = { codeCachePath, runCommonJsWithCodeCache };
