// Unit tests of the bench's pure helpers: `node --test bench/test/` (no servers needed).
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { closedLoop } from "../lib/closed-loop.mjs";
import { summarizeProfile } from "../lib/cpu-profile.mjs";
import { cpuMicros, rssBytes } from "../lib/proc-stats.mjs";
import { filesDialect } from "../lib/raw-dialects.mjs";
import { best, interleaved, median, ratio, rowFrom } from "../lib/rows.mjs";
import { textTable } from "../lib/table.mjs";
import { evaluateTargets } from "../lib/targets.mjs";

describe("rows", () => {
  test("best picks the highest throughput and the lowest cost", () => {
    assert.equal(best([3, 9, 4], "higher"), 9);
    assert.equal(best([3, 9, 4], "lower"), 3);
  });

  test("median of odd and even counts", () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  test("interleaved runs roles in turn, stops retrying a failed role, reports unavailable ones", async () => {
    const order = [];
    const outcome = await interleaved(
      ["ours", "peer", "limit"],
      2,
      async (role, round) => {
        order.push(`${role}${round}`);
        if (role === "peer") throw new Error("boom");
        return { x: round + 1 };
      },
      () => {},
      { limit: "limit server unavailable" },
    );
    assert.deepEqual(order, ["ours0", "peer0", "ours1"]);
    assert.deepEqual(outcome.ours, { runs: [{ x: 1 }, { x: 2 }] });
    assert.deepEqual(outcome.peer, { error: "boom" });
    assert.deepEqual(outcome.limit, { error: "limit server unavailable" });
  });

  test("rowFrom takes the best run and ratio divides ours by the other role", () => {
    const row = rowFrom(
      { id: "t", title: "t", unit: "x", better: "higher" },
      { ours: { runs: [{ v: 10 }, { v: 12 }] }, peer: { runs: [{ v: 4 }] }, limit: { error: "down" } },
      "v",
    );
    assert.equal(row.cells.ours.value, 12);
    assert.equal(ratio(row, "peer"), 3);
    assert.equal(ratio(row, "limit"), undefined);
  });
});

describe("targets", () => {
  const row = (id, ours, peer, limit) => ({
    id,
    title: id,
    unit: "",
    better: "higher",
    peerName: "Azurite",
    limitName: "bare",
    cells: {
      ours: { value: ours, runs: [ours] },
      peer: { value: peer, runs: [peer] },
      limit: { value: limit, runs: [limit] },
    },
  });

  test("ratio targets against peer and limit", () => {
    assert.deepEqual(
      evaluateTargets(row("lease-raw", 5000, 900, 10000)).map((t) => t.met),
      [true, true],
    );
    assert.deepEqual(
      evaluateTargets(row("lease-raw", 4000, 900, 20000)).map((t) => t.met),
      [false, false],
    );
  });

  test("a cost target is met below its maximum only", () => {
    assert.equal(evaluateTargets(row("lease-cpu-raw", 200, 1100, 90))[0]?.met, true);
    assert.equal(evaluateTargets(row("lease-cpu-raw", 300, 1100, 90))[0]?.met, false);
  });

  test("absolute targets and missing figures", () => {
    assert.equal(evaluateTargets(row("startup", 150, 2000, 40))[0]?.met, true);
    assert.equal(evaluateTargets(row("startup", 250, 2000, 40))[0]?.met, false);
    const failed = { ...row("startup", 1, 1, 1), cells: { ours: { error: "x" } } };
    assert.equal(evaluateTargets(failed)[0]?.met, undefined);
  });

  test("the table shows values, ratios, errors and verdicts", () => {
    const failed = { ...row("upload", 1, 1, 1), cells: { ours: { error: "it broke" } } };
    const text = textTable([row("lease-sdk-16", 600, 200, 1000), failed]);
    assert.match(text, /3\.00×/);
    assert.match(text, /met/);
    assert.match(text, /error: it broke/);
  });
});

describe("closedLoop", () => {
  test("counts iterations inside the window and stops on time", async () => {
    const started = Date.now();
    const result = await closedLoop({
      workers: 4,
      warmupMs: 50,
      durationMs: 200,
      iteration: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return 2;
      },
    });
    assert.ok(Date.now() - started < 2000);
    assert.equal(result.ops, 2 * result.iterations);
    assert.ok(result.iterations > 10, `only ${result.iterations} iterations`);
    assert.ok(result.seconds >= 0.19 && result.seconds < 1, `window ${result.seconds} s`);
  });

  test("rethrows the first failure", async () => {
    await assert.rejects(
      closedLoop({
        workers: 2,
        warmupMs: 0,
        durationMs: 1000,
        iteration: async (_, n) => {
          if (n === 3) throw new Error("request failed");
          return 1;
        },
      }),
      /request failed/,
    );
  });
});

describe("proc-stats", () => {
  test("reads this process's CPU time and RSS", () => {
    const before = cpuMicros(process.pid);
    let x = 0;
    for (let i = 0; i < 3e7; i++) x += i % 7;
    assert.ok(x > 0);
    assert.ok(cpuMicros(process.pid) > before);
    assert.ok(rssBytes(process.pid) > 10 * 1024 * 1024);
  });
});

describe("raw dialects", () => {
  test("a Files lease request is signed and carries its lease headers", () => {
    const req = filesDialect("bench").leaseAcquire("lease-3", "11111111-2222-3333-4444-555555555555");
    assert.equal(req.method, "PUT");
    assert.equal(req.path, "/devstoreaccount1/bench/lease-3?comp=lease");
    assert.equal(req.headers["x-ms-lease-action"], "acquire");
    assert.match(req.headers.authorization, /^SharedKey devstoreaccount1:[A-Za-z0-9+/]+=*$/);
  });

  test("a listing page's marker and entry count are parsed", () => {
    const page = filesDialect("bench").parsePage(
      "<Entries><File><Name>a</Name></File><File><Name>b</Name></File></Entries><NextMarker>b&amp;c</NextMarker>",
    );
    assert.deepEqual(page, { nextMarker: "b&c", entries: 2 });
  });
});

describe("cpu-profile", () => {
  test("self time per function, idle excluded, hottest first", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
    const path = join(dir, "p.cpuprofile");
    const frame = (functionName, url) => ({
      functionName,
      url,
      lineNumber: 0,
      columnNumber: 0,
      scriptId: "0",
    });
    writeFileSync(
      path,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame("(root)", ""), children: [2, 3, 4] },
          { id: 2, callFrame: frame("(idle)", "") },
          { id: 3, callFrame: frame("hot", "file:///x/hot.js") },
          { id: 4, callFrame: frame("cold", "file:///x/cold.js") },
        ],
        samples: [2, 3, 3, 4, 2],
        timeDeltas: [5000, 3000, 3000, 2000, 9000],
        startTime: 0,
        endTime: 22000,
      }),
    );
    const summary = summarizeProfile(path);
    assert.equal(summary.busyMs, 8);
    assert.equal(summary.functions[0]?.what, "hot /x/hot.js:1");
    assert.equal(summary.functions[0]?.selfMs, 6);
    assert.equal(summary.functions[1]?.what, "cold /x/cold.js:1");
  });
});
