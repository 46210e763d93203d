/**
 * The code-cache runner the `sharelock` command starts its bundle with: CommonJS semantics, and a V8
 * code cache that is written, used, rejected when it no longer matches, and completed by a longer run.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import codeCache from "../src/code-cache.cjs";

const { codeCachePath, runCommonJsWithCodeCache } = codeCache;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "sharelock-code-cache-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A CommonJS program that reports what it sees through a global, and has a function run only later. */
function writeProgram(name: string, marker: string): string {
  const file = join(dir, name);
  writeFileSync(join(dir, "helper.cjs"), "module.exports = { twice: (n) => n * 2 };\n");
  writeFileSync(
    file,
    `const helper = require("./helper.cjs");
module.exports.marker = ${JSON.stringify(marker)};
globalThis.__codeCacheProbe = {
  marker: module.exports.marker,
  filename: __filename,
  dirname: __dirname,
  twice: helper.twice(21),
  exportsIsThis: this === module.exports,
  later: () => [1, 2, 3].map((n) => n + 1).reduce((a, b) => a + b, 0),
};
`,
  );
  return file;
}

interface Probe {
  marker: string;
  filename: string;
  dirname: string;
  twice: number;
  exportsIsThis: boolean;
  later: () => number;
}

function probe(): Probe {
  return (globalThis as unknown as { __codeCacheProbe: Probe }).__codeCacheProbe;
}

test("runs a CommonJS file with require, module, exports, __filename and __dirname", () => {
  const file = writeProgram("semantics.cjs", "one");
  runCommonJsWithCodeCache(file, 60_000);
  assert.deepEqual(
    { ...probe(), later: undefined },
    { marker: "one", filename: file, dirname: dir, twice: 42, exportsIsThis: true, later: undefined },
  );
});

test("a missing cache is written; the next run uses it; a changed file rejects it and it is rewritten", () => {
  const file = writeProgram("cached.cjs", "first");
  const cachePath = codeCachePath(file);
  rmSync(cachePath, { force: true });

  const first = runCommonJsWithCodeCache(file, 60_000);
  assert.equal(first.cache, "absent");
  first.saveCache();
  assert.ok(existsSync(cachePath), "the cache was written");
  assert.ok(statSync(cachePath).size > 0);
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.endsWith(".tmp")),
    [],
    "no temporary file is left behind",
  );

  const second = runCommonJsWithCodeCache(file, 60_000);
  assert.equal(second.cache, "accepted");
  assert.equal(probe().marker, "first");

  writeProgram("cached.cjs", "second, and longer than the first");
  const before = readFileSync(cachePath);
  const third = runCommonJsWithCodeCache(file, 60_000);
  assert.equal(third.cache, "rejected");
  assert.equal(probe().marker, "second, and longer than the first", "the new source ran, not the cached one");
  third.saveCache();
  assert.notDeepEqual(readFileSync(cachePath), before, "the rejected cache was replaced");
  assert.equal(runCommonJsWithCodeCache(file, 60_000).cache, "accepted");
});

test("an accepted cache is rewritten only when the run compiled markedly more than it holds", () => {
  // Many functions that only a "long" run calls: compiled lazily, so absent from a short run's cache.
  const file = join(dir, "grows.cjs");
  const bodies = Array.from(
    { length: 200 },
    (_, i) => `function f${i}(x) { const a = [x, ${i}].map((v) => v * ${i + 1}); return a[0] + a[1]; }`,
  ).join("\n");
  writeFileSync(
    file,
    `${bodies}\nglobalThis.__codeCacheLong = () => { let s = 0; ${Array.from({ length: 200 }, (_, i) => `s += f${i}(1);`).join(" ")} return s; };\n`,
  );
  const cachePath = codeCachePath(file);

  const short = runCommonJsWithCodeCache(file, 60_000);
  short.saveCache();
  const shortSize = statSync(cachePath).size;
  const shortIno = statSync(cachePath).ino;

  const unchanged = runCommonJsWithCodeCache(file, 60_000);
  assert.equal(unchanged.cache, "accepted");
  unchanged.saveCache();
  // A rewrite renames a new file into place: a new inode.
  assert.equal(statSync(cachePath).ino, shortIno, "nothing more was compiled: the cache is not rewritten");

  const long = runCommonJsWithCodeCache(file, 60_000);
  assert.equal(long.cache, "accepted");
  (globalThis as unknown as { __codeCacheLong: () => number }).__codeCacheLong();
  long.saveCache();
  assert.ok(statSync(cachePath).size > shortSize, "the long run's cache replaced the short one's");
});
