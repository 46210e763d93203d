import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { diffRanges } from "../src/engine/range-diff.js";
import { planClear, planWrite } from "../src/engine/range-map.js";
import type { RangeRecord } from "../src/store/records.js";

function apply(map: RangeRecord[], plan: { deleteStarts: number[]; insert: RangeRecord[] }): RangeRecord[] {
  const kept = map.filter((e) => !plan.deleteStarts.includes(e.start));
  return [...kept, ...plan.insert].sort((a, b) => a.start - b.start);
}

test("diff against a snapshot: changed and cleared runs, untouched bytes left out", () => {
  const snap: RangeRecord[] = [
    { start: 0, end: 100, extentId: "e1", extentOffset: 0 },
    { start: 200, end: 300, extentId: "e1", extentOffset: 100 },
  ];
  let now = apply(snap, planWrite(snap, { start: 50, end: 60, extentId: "e2", extentOffset: 0 }));
  now = apply(now, planClear(now, 250, 300));
  now = apply(now, planWrite(now, { start: 400, end: 410, extentId: "e2", extentOffset: 10 }));
  const diff = diffRanges(now, snap, 0, 1000);
  assert.deepEqual(diff.changed, [
    { start: 50, end: 60 },
    { start: 400, end: 410 },
  ]);
  assert.deepEqual(diff.cleared, [{ start: 250, end: 300 }]);
});

test("property: a byte is reported changed iff written since, cleared iff it lost its data", () => {
  const op = fc.record({
    kind: fc.constantFrom("write", "clear"),
    start: fc.integer({ min: 0, max: 90 }),
    len: fc.integer({ min: 1, max: 30 }),
  });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 8 }), fc.array(op, { maxLength: 8 }), (before, after) => {
      let map: RangeRecord[] = [];
      let ext = 0;
      const run = (ops: typeof before, touched?: Set<number>) => {
        for (const o of ops) {
          const end = Math.min(o.start + o.len, 100);
          if (o.kind === "write") {
            map = apply(map, planWrite(map, { start: o.start, end, extentId: `e${ext++}`, extentOffset: 0 }));
            for (let b = o.start; b < end; b++) touched?.add(b);
          } else {
            map = apply(map, planClear(map, o.start, end));
          }
        }
      };
      run(before);
      const snap = map;
      const written = new Set<number>();
      run(after, written);
      const diff = diffRanges(map, snap, 0, 100);
      const has = (m: RangeRecord[], b: number) => m.some((e) => e.start <= b && b < e.end);
      for (let b = 0; b < 100; b++) {
        const inChanged = diff.changed.some((r) => r.start <= b && b < r.end);
        const inCleared = diff.cleared.some((r) => r.start <= b && b < r.end);
        assert.equal(inChanged, has(map, b) && written.has(b), `byte ${b} changed`);
        assert.equal(inCleared, !has(map, b) && has(snap, b), `byte ${b} cleared`);
      }
    }),
    { numRuns: 300 },
  );
});
