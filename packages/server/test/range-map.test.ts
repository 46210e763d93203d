import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { ReadPiece } from "../src/content/content-store.js";
import {
  listRanges,
  planClear,
  planTruncate,
  planWrite,
  type RangePlan,
  readPieces,
} from "../src/engine/range-map.js";
import type { RangeRecord } from "../src/store/records.js";

const r = (start: number, end: number, extentId: string, extentOffset: number): RangeRecord => ({
  start,
  end,
  extentId,
  extentOffset,
});

// -- an in-memory range map with fake extents, driven only through the plans ---------------------

class FakeFile {
  map: RangeRecord[] = [];
  readonly extents = new Map<string, Buffer>();
  private nextExtent = 0;

  /** What the store's rangesOverlapping gives; with `wide`, the whole map (planners must cope). */
  overlapping(start: number, end: number, wide: boolean): RangeRecord[] {
    const hits = wide ? this.map : this.map.filter((e) => e.start < end && e.end > start);
    return hits.map((e) => ({ ...e }));
  }

  apply(plan: RangePlan): void {
    for (const s of plan.deleteStarts) {
      const i = this.map.findIndex((e) => e.start === s);
      assert.ok(i >= 0, `deleteStarts names ${s}, which is not an entry`);
      this.map.splice(i, 1);
    }
    for (const e of plan.insert) {
      assert.ok(!this.map.some((m) => m.start === e.start), `insert collides at ${e.start}`);
      this.map.push({ ...e });
    }
    this.map.sort((a, b) => a.start - b.start);
  }

  /** Stores `data` in a new fake extent after `pad` garbage bytes; returns the write entry. */
  newExtent(start: number, data: Uint8Array, pad: number): RangeRecord {
    const id = `x${this.nextExtent++}`;
    this.extents.set(id, Buffer.concat([Buffer.alloc(pad, 0xee), Buffer.from(data), Buffer.alloc(3, 0xdd)]));
    return r(start, start + data.length, id, pad);
  }

  materialize(pieces: ReadPiece[]): Buffer {
    return Buffer.concat(
      pieces.map((p) => {
        if ("zeros" in p) return Buffer.alloc(p.zeros);
        const ext = this.extents.get(p.extentId);
        assert.ok(ext, `unknown extent ${p.extentId}`);
        assert.ok(p.offset >= 0 && p.offset + p.length <= ext.length, "piece outside its extent");
        return ext.subarray(p.offset, p.offset + p.length);
      }),
    );
  }

  checkInvariants(): void {
    for (let i = 0; i < this.map.length; i++) {
      const e = this.map[i] as RangeRecord;
      assert.ok(e.start < e.end, `empty or inverted entry ${JSON.stringify(e)}`);
      assert.ok(Number.isFinite(e.end), "infinite entry");
      const ext = this.extents.get(e.extentId);
      assert.ok(
        ext && e.extentOffset >= 0 && e.extentOffset + (e.end - e.start) <= ext.length,
        "entry off extent",
      );
      const next = this.map[i + 1];
      if (next) assert.ok(e.end <= next.start, `overlap ${JSON.stringify(e)} / ${JSON.stringify(next)}`);
    }
  }
}

/** The reference: a byte array plus a "written" bitmap. */
const SIZE = 80;
class Model {
  readonly bytes = new Uint8Array(SIZE);
  readonly written = new Array<boolean>(SIZE).fill(false);
  write(start: number, data: Uint8Array): void {
    this.bytes.set(data, start);
    for (let i = 0; i < data.length; i++) this.written[start + i] = true;
  }
  clear(start: number, end: number): void {
    for (let i = start; i < Math.min(end, SIZE); i++) {
      this.bytes[i] = 0;
      this.written[i] = false;
    }
  }
  read(start: number, end: number): Buffer {
    const out = Buffer.alloc(end - start);
    for (let i = start; i < Math.min(end, SIZE); i++) out[i - start] = this.bytes[i] as number;
    return out;
  }
  runs(start: number, end: number): Array<{ start: number; end: number }> {
    const out: Array<{ start: number; end: number }> = [];
    for (let i = start; i < Math.min(end, SIZE); i++) {
      if (!this.written[i]) continue;
      const last = out[out.length - 1];
      if (last && last.end === i) last.end = i + 1;
      else out.push({ start: i, end: i + 1 });
    }
    return out;
  }
}

type Op =
  | { kind: "write"; start: number; data: Uint8Array; pad: number; wide: boolean }
  | { kind: "clear"; start: number; end: number; wide: boolean }
  | { kind: "truncate"; size: number; wide: boolean };

const offsetArb = fc.integer({ min: 0, max: SIZE });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        start: fc.integer({ min: 0, max: SIZE - 1 }),
        len: fc.integer({ min: 1, max: 30 }),
        pad: fc.integer({ min: 0, max: 4 }),
        wide: fc.boolean(),
        seed: fc.integer({ min: 1, max: 255 }),
      })
      .map(({ start, len, pad, wide, seed }) => {
        const n = Math.min(len, SIZE - start);
        // Distinct non-zero bytes, so a wrong offset or a lost byte shows up as a mismatch.
        const data = Uint8Array.from({ length: n }, (_, i) => ((seed + i * 7) % 255) + 1);
        return { kind: "write" as const, start, data, pad, wide };
      }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ a: offsetArb, b: offsetArb, wide: fc.boolean() }).map(({ a, b, wide }) => ({
      kind: "clear" as const,
      start: Math.min(a, b),
      end: Math.max(a, b),
      wide,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ size: offsetArb, wide: fc.boolean() })
      .map((o) => ({ kind: "truncate" as const, ...o })),
  },
);

function step(file: FakeFile, model: Model, op: Op): void {
  switch (op.kind) {
    case "write": {
      const w = file.newExtent(op.start, op.data, op.pad);
      file.apply(planWrite(file.overlapping(w.start, w.end, op.wide), w));
      model.write(op.start, op.data);
      return;
    }
    case "clear":
      file.apply(planClear(file.overlapping(op.start, op.end, op.wide), op.start, op.end));
      model.clear(op.start, op.end);
      return;
    case "truncate":
      file.apply(planTruncate(file.overlapping(op.size, Number.POSITIVE_INFINITY, op.wide), op.size));
      model.clear(op.size, SIZE);
      return;
  }
}

function checkWindow(file: FakeFile, model: Model, start: number, end: number): void {
  const window = file.overlapping(start, end, false);
  const pieces = readPieces(window, start, end);
  assert.deepEqual(file.materialize(pieces), model.read(start, end), `bytes of [${start}, ${end})`);
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] as ReadPiece;
    assert.ok("zeros" in p ? p.zeros > 0 : p.length > 0, "empty piece");
    const next = pieces[i + 1];
    if (next) assert.ok(!("zeros" in p && "zeros" in next), "adjacent holes not merged");
  }
  assert.deepEqual(listRanges(window, start, end), model.runs(start, end), `ranges of [${start}, ${end})`);
}

describe("range map against a byte-array model", () => {
  test("random writes, clears and truncates keep reads, listings and invariants right", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 25 }),
        fc.array(fc.tuple(offsetArb, offsetArb), { minLength: 1, maxLength: 3 }),
        (ops, windows) => {
          const file = new FakeFile();
          const model = new Model();
          for (const op of ops) {
            step(file, model, op);
            file.checkInvariants();
            checkWindow(file, model, 0, SIZE + 10);
            for (const [a, b] of windows) checkWindow(file, model, Math.min(a, b), Math.max(a, b));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("planWrite", () => {
  test("a write exactly covering an entry replaces it", () => {
    const plan = planWrite([r(10, 20, "a", 0)], r(10, 20, "w", 5));
    assert.deepEqual(plan, { deleteStarts: [10], insert: [r(10, 20, "w", 5)] });
  });

  test("a write inside one entry splits it and moves the right part's extent offset", () => {
    const plan = planWrite([r(0, 100, "a", 1000)], r(30, 40, "w", 0));
    assert.deepEqual(plan, {
      deleteStarts: [0],
      insert: [r(0, 30, "a", 1000), r(30, 40, "w", 0), r(40, 100, "a", 1040)],
    });
  });

  test("a write spanning many entries keeps only the outer remainders", () => {
    const map = [r(0, 10, "a", 0), r(10, 20, "b", 0), r(25, 30, "c", 3), r(30, 50, "d", 10)];
    const plan = planWrite(map, r(5, 35, "w", 7));
    assert.deepEqual(plan, {
      deleteStarts: [0, 10, 25, 30],
      insert: [r(0, 5, "a", 0), r(5, 35, "w", 7), r(35, 50, "d", 15)],
    });
  });

  test("entries only touching the write are left alone, even when passed in", () => {
    const plan = planWrite([r(0, 10, "a", 0), r(20, 30, "b", 0)], r(10, 20, "w", 0));
    assert.deepEqual(plan, { deleteStarts: [], insert: [r(10, 20, "w", 0)] });
  });

  test("a write into an empty map or of zero length", () => {
    assert.deepEqual(planWrite([], r(4, 8, "w", 2)), { deleteStarts: [], insert: [r(4, 8, "w", 2)] });
    assert.deepEqual(planWrite([r(0, 10, "a", 0)], r(5, 5, "w", 0)), { deleteStarts: [], insert: [] });
  });

  test("invalid writes are refused", () => {
    assert.throws(() => planWrite([], r(10, 5, "w", 0)), RangeError);
    assert.throws(() => planWrite([], r(-1, 5, "w", 0)), RangeError);
    assert.throws(() => planWrite([], r(0, Number.POSITIVE_INFINITY, "w", 0)), RangeError);
  });
});

describe("planClear and planTruncate", () => {
  test("clearing the middle of an entry leaves both sides", () => {
    assert.deepEqual(planClear([r(0, 100, "a", 50)], 10, 20), {
      deleteStarts: [0],
      insert: [r(0, 10, "a", 50), r(20, 100, "a", 70)],
    });
  });

  test("clearing a hole or an empty window changes nothing", () => {
    assert.deepEqual(planClear([r(0, 10, "a", 0)], 10, 20), { deleteStarts: [], insert: [] });
    assert.deepEqual(planClear([r(0, 10, "a", 0)], 5, 5), { deleteStarts: [], insert: [] });
  });

  test("truncating inside an entry shortens it and drops everything after", () => {
    assert.deepEqual(planTruncate([r(0, 10, "a", 0), r(10, 30, "b", 4), r(40, 50, "c", 0)], 15), {
      deleteStarts: [10, 40],
      insert: [r(10, 15, "b", 4)],
    });
  });

  test("truncating at an entry boundary or past the end", () => {
    assert.deepEqual(planTruncate([r(0, 10, "a", 0), r(10, 20, "b", 0)], 10), {
      deleteStarts: [10],
      insert: [],
    });
    assert.deepEqual(planTruncate([r(0, 10, "a", 0)], 10), { deleteStarts: [], insert: [] });
    assert.deepEqual(planTruncate([r(0, 10, "a", 0)], 0), { deleteStarts: [0], insert: [] });
  });
});

describe("readPieces and listRanges", () => {
  test("holes become zeros, continuing spans of one extent merge", () => {
    const map = [r(10, 20, "a", 100), r(20, 30, "a", 110), r(30, 35, "b", 0)];
    assert.deepEqual(readPieces(map, 0, 40), [
      { zeros: 10 },
      { extentId: "a", offset: 100, length: 20 },
      { extentId: "b", offset: 0, length: 5 },
      { zeros: 5 },
    ]);
  });

  test("a window inside one entry, a window in a hole, an empty window", () => {
    assert.deepEqual(readPieces([r(0, 100, "a", 7)], 40, 45), [{ extentId: "a", offset: 47, length: 5 }]);
    assert.deepEqual(readPieces([r(0, 10, "a", 0)], 20, 30), [{ zeros: 10 }]);
    assert.deepEqual(readPieces([r(0, 10, "a", 0)], 5, 5), []);
  });

  test("listRanges clips to the window and merges touching entries", () => {
    const map = [r(0, 10, "a", 0), r(10, 20, "b", 0), r(30, 40, "c", 0)];
    assert.deepEqual(listRanges(map, 5, 35), [
      { start: 5, end: 20 },
      { start: 30, end: 35 },
    ]);
    assert.deepEqual(listRanges(map, 20, 30), []);
  });

  test("inverted windows are refused", () => {
    assert.throws(() => readPieces([], 10, 5), RangeError);
    assert.throws(() => listRanges([], 10, 5), RangeError);
  });
});
