import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  applyLeaseAction,
  type ComputedLeaseState,
  checkRead,
  checkWrite,
  type LeaseAction,
  type LeaseContext,
  type LeaseOutcome,
  type LeaseProfile,
  leaseView,
} from "../src/engine/lease-machine.js";
import type { LeaseTarget } from "../src/errors/catalogue.js";
import { StorageError } from "../src/errors/storage-error.js";
import { type LeaseRecord, NO_LEASE } from "../src/store/records.js";

const T0 = Date.UTC(2026, 0, 1);
const A = "0a0a0a0a-1111-4111-8111-00000000000a";
const B = "0b0b0b0b-2222-4222-8222-00000000000b";
const C = "0c0c0c0c-3333-4333-8333-00000000000c";
const NEW = "0e0e0e0e-eeee-4eee-8eee-00000000000e";
const TARGETS: LeaseTarget[] = ["file", "share"];

type Attempt<T> = { ok: true; value: T } | { ok: false; err: StorageError };

function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof StorageError) return { ok: false, err: e };
    throw e;
  }
}

function ctxFor(target: LeaseTarget, profile: LeaseProfile = "extended", now = T0): LeaseContext {
  return { now, target, profile, newId: () => NEW };
}

function act(rec: LeaseRecord, action: LeaseAction, ctx: LeaseContext): LeaseOutcome {
  return applyLeaseAction(rec, action, ctx);
}

function expectError(fn: () => unknown, status: number, code: string, details?: [string, string][]): void {
  const r = attempt(fn);
  assert.equal(r.ok, false, `expected ${status} ${code}, got success`);
  if (r.ok) return;
  assert.equal(r.err.status, status, `status for ${code}`);
  assert.equal(r.err.code, code);
  if (details) assert.deepEqual(r.err.details, details);
}

// --- the states of §3, as stored at T0 -------------------------------------------------------------
const STATES = {
  available: NO_LEASE,
  leased: { id: A, state: "leased", durationSeconds: -1, expiresAt: null, breakAt: null },
  breaking: { id: A, state: "breaking", durationSeconds: -1, expiresAt: null, breakAt: T0 + 20_000 },
  broken: { id: A, state: "broken", durationSeconds: -1, expiresAt: null, breakAt: null },
  expired: { id: A, state: "leased", durationSeconds: 15, expiresAt: T0 - 1_000, breakAt: null },
} satisfies Record<string, LeaseRecord>;
type StateName = keyof typeof STATES;
const STATE_NAMES = Object.keys(STATES) as StateName[];

/** A cell: an error code, or the state/id after success and the response headers. */
type Expect = string | { to: ComputedLeaseState; id: string | null; leaseId?: string; time?: number };

const STATUS: Record<string, number> = {
  LeaseAlreadyPresent: 409,
  LeaseIsBreakingAndCannotBeAcquired: 409,
  LeaseIsBreakingAndCannotBeChanged: 409,
  LeaseIsBrokenAndCannotBeRenewed: 409,
  LeaseIdMismatchWithLeaseOperation: 409,
  LeaseNotPresentWithLeaseOperation: 409,
  LeaseIdMissing: 412,
  LeaseLost: 412,
  LeaseIdMismatchWithFileOperation: 412,
  LeaseIdMismatchWithContainerOperation: 412,
  LeaseNotPresentWithFileOperation: 412,
  LeaseNotPresentWithContainerOperation: 412,
  InvalidHeaderValue: 400,
  MissingRequiredHeader: 400,
};

const leasedAs = (id: string): Expect => ({ to: "leased", id, leaseId: id });
const AVAIL: Expect = { to: "available", id: null };
const BROKEN0: Expect = { to: "broken", id: A, time: 0 };
const breakingFor = (time: number): Expect => ({ to: "breaking", id: A, time });
const ALREADY = "LeaseAlreadyPresent";
const MISMATCH = "LeaseIdMismatchWithLeaseOperation";
const NOT_PRESENT = "LeaseNotPresentWithLeaseOperation";
const BROKEN_RENEW = "LeaseIsBrokenAndCannotBeRenewed";
const BREAKING_CHANGE = "LeaseIsBreakingAndCannotBeChanged";

interface Row {
  label: string;
  action: LeaseAction;
  cells: Record<StateName, Expect>;
}

/** §3, lease-action rows. Breaking(A) breaks at T0+20 s; the leased lease is infinite. */
const LEASE_ROWS: Row[] = [
  {
    label: "acquire, no proposed id",
    action: { kind: "acquire", proposedId: null, durationSeconds: -1 },
    cells: {
      available: leasedAs(NEW),
      leased: ALREADY,
      breaking: ALREADY,
      broken: leasedAs(NEW),
      expired: leasedAs(NEW),
    },
  },
  {
    label: "acquire (A)",
    action: { kind: "acquire", proposedId: A, durationSeconds: -1 },
    cells: {
      available: leasedAs(A),
      leased: leasedAs(A),
      breaking: "LeaseIsBreakingAndCannotBeAcquired",
      broken: leasedAs(A),
      expired: leasedAs(A),
    },
  },
  {
    label: "acquire (B)",
    action: { kind: "acquire", proposedId: B, durationSeconds: -1 },
    cells: {
      available: leasedAs(B),
      leased: ALREADY,
      breaking: ALREADY,
      broken: leasedAs(B),
      expired: leasedAs(B),
    },
  },
  {
    label: "renew (A)",
    action: { kind: "renew", leaseId: A },
    cells: {
      available: MISMATCH,
      leased: leasedAs(A),
      breaking: BROKEN_RENEW,
      broken: BROKEN_RENEW,
      expired: leasedAs(A),
    },
  },
  {
    label: "renew (B)",
    action: { kind: "renew", leaseId: B },
    cells: { available: MISMATCH, leased: MISMATCH, breaking: MISMATCH, broken: MISMATCH, expired: MISMATCH },
  },
  {
    label: "change A→B",
    action: { kind: "change", leaseId: A, proposedId: B },
    cells: {
      available: NOT_PRESENT,
      leased: leasedAs(B),
      breaking: BREAKING_CHANGE,
      broken: NOT_PRESENT,
      expired: NOT_PRESENT,
    },
  },
  {
    label: "change B→A (retry of a completed change)",
    action: { kind: "change", leaseId: B, proposedId: A },
    cells: {
      available: NOT_PRESENT,
      leased: leasedAs(A),
      breaking: BREAKING_CHANGE,
      broken: NOT_PRESENT,
      expired: NOT_PRESENT,
    },
  },
  {
    label: "change B→C (wrong current id)",
    action: { kind: "change", leaseId: B, proposedId: C },
    cells: {
      available: NOT_PRESENT,
      leased: MISMATCH,
      breaking: MISMATCH,
      broken: NOT_PRESENT,
      expired: NOT_PRESENT,
    },
  },
  {
    label: "release (A)",
    action: { kind: "release", leaseId: A },
    cells: { available: MISMATCH, leased: AVAIL, breaking: AVAIL, broken: AVAIL, expired: AVAIL },
  },
  {
    label: "release (B)",
    action: { kind: "release", leaseId: B },
    cells: { available: MISMATCH, leased: MISMATCH, breaking: MISMATCH, broken: MISMATCH, expired: MISMATCH },
  },
  {
    label: "break, period 0",
    action: { kind: "break", breakPeriodSeconds: 0 },
    cells: { available: NOT_PRESENT, leased: BROKEN0, breaking: BROKEN0, broken: BROKEN0, expired: BROKEN0 },
  },
  {
    label: "break, no period (infinite lease → immediate; breaking unchanged)",
    action: { kind: "break", breakPeriodSeconds: null },
    cells: {
      available: NOT_PRESENT,
      leased: BROKEN0,
      breaking: breakingFor(20),
      broken: BROKEN0,
      expired: BROKEN0,
    },
  },
  {
    label: "break, period 10 (shorter than a breaking lease's 20 s left)",
    action: { kind: "break", breakPeriodSeconds: 10 },
    cells: {
      available: NOT_PRESENT,
      leased: breakingFor(10),
      breaking: breakingFor(10),
      broken: BROKEN0,
      expired: BROKEN0,
    },
  },
  {
    label: "break, period 60 (longer than a breaking lease's 20 s left)",
    action: { kind: "break", breakPeriodSeconds: 60 },
    cells: {
      available: NOT_PRESENT,
      leased: breakingFor(60),
      breaking: breakingFor(20),
      broken: BROKEN0,
      expired: BROKEN0,
    },
  },
];

function checkCell(got: Attempt<LeaseOutcome>, expected: Expect, now: number): void {
  if (typeof expected === "string") {
    assert.equal(got.ok, false, `expected ${expected}`);
    if (got.ok) return;
    assert.equal(got.err.code, expected);
    assert.equal(got.err.status, STATUS[expected]);
    return;
  }
  if (!got.ok) assert.fail(`expected success, got ${got.err.status} ${got.err.code}`);
  const view = leaseView(got.value.lease, now);
  assert.equal(view.state, expected.to);
  assert.equal(view.id, expected.id);
  assert.equal(got.value.leaseId, expected.leaseId);
  assert.equal(got.value.leaseTimeSeconds, expected.time);
}

/** Strict files have no renew, no break period and only immediate breaks: those rows are tested further down. */
function rowAppliesTo(row: Row, target: LeaseTarget, profile: LeaseProfile): boolean {
  return (
    profile !== "strict" || target !== "file" || (row.action.kind !== "renew" && row.action.kind !== "break")
  );
}

describe("lease actions: every cell of the §3 table", () => {
  for (const profile of ["extended", "strict"] as const) {
    for (const target of TARGETS) {
      for (const row of LEASE_ROWS.filter((r) => rowAppliesTo(r, target, profile))) {
        test(`${profile} ${target}: ${row.label}`, () => {
          for (const state of STATE_NAMES) {
            const got = attempt(() => act(STATES[state], row.action, ctxFor(target, profile)));
            try {
              checkCell(got, row.cells[state], T0);
            } catch (e) {
              assert.fail(`state ${state}: ${(e as Error).message}`);
            }
          }
        });
      }
    }
  }

  test("acquire on a leased lease with its own id takes the new duration; the duration is per lease", () => {
    const out = act(STATES.leased, { kind: "acquire", proposedId: A, durationSeconds: 30 }, ctxFor("share"));
    assert.deepEqual(out.lease, {
      id: A,
      state: "leased",
      durationSeconds: 30,
      expiresAt: T0 + 30_000,
      breakAt: null,
    });
    assert.equal(leaseView(out.lease, T0).duration, "fixed");
  });

  test("a released lease forgets its id; a failed action changes nothing", () => {
    const out = act(STATES.broken, { kind: "release", leaseId: A }, ctxFor("file"));
    assert.deepEqual(out.lease, NO_LEASE);
    const frozen = Object.freeze({ ...STATES.leased });
    expectError(
      () => act(frozen, { kind: "acquire", proposedId: B, durationSeconds: -1 }, ctxFor("file")),
      409,
      ALREADY,
    );
    assert.deepEqual(frozen, STATES.leased);
  });

  test("the 409 texts name the target", () => {
    const file = attempt(() => act(NO_LEASE, { kind: "break", breakPeriodSeconds: null }, ctxFor("file")));
    const share = attempt(() => act(NO_LEASE, { kind: "break", breakPeriodSeconds: null }, ctxFor("share")));
    assert.ok(!file.ok && file.err.message === "There is currently no lease on the file.");
    assert.ok(!share.ok && share.err.message === "There is currently no lease on the file share.");
  });
});

// --- data operations: the write/delete and read rows ---------------------------------------------------
const STATE_VALUES = new Set<string>(["available", "leased", "expired", "breaking", "broken"]);
const fam = (target: LeaseTarget) => (target === "file" ? "File" : "Container");

describe("write/delete gate: every cell of the §3 table", () => {
  for (const target of TARGETS) {
    const F = fam(target);
    const cells: Record<StateName, Record<"none" | "A" | "B", string | ComputedLeaseState>> = {
      available: {
        none: "available",
        A: `LeaseNotPresentWith${F}Operation`,
        B: `LeaseNotPresentWith${F}Operation`,
      },
      leased: { none: "LeaseIdMissing", A: "leased", B: `LeaseIdMismatchWith${F}Operation` },
      breaking: { none: "LeaseIdMissing", A: "breaking", B: `LeaseIdMismatchWith${F}Operation` },
      // A file write clears a broken/expired lease; a share set-op leaves it.
      broken: {
        none: target === "file" ? "available" : "broken",
        A: `LeaseNotPresentWith${F}Operation`,
        B: `LeaseNotPresentWith${F}Operation`,
      },
      expired: { none: target === "file" ? "available" : "expired", A: "LeaseLost", B: "LeaseLost" },
    };
    for (const state of STATE_NAMES) {
      test(`${target}, ${state}`, () => {
        for (const [who, expected] of Object.entries(cells[state])) {
          const header = who === "none" ? undefined : who === "A" ? A : B;
          const got = attempt(() => checkWrite(STATES[state], T0, header, target));
          if (STATE_VALUES.has(expected)) {
            if (!got.ok) assert.fail(`${who}: expected success, got ${got.err.code}`);
            assert.equal(leaseView(got.value, T0).state, expected, who);
          } else {
            assert.ok(!got.ok, `${who}: expected ${expected}`);
            assert.equal(got.err.code, expected, who);
            assert.equal(got.err.status, 412);
          }
        }
      });
    }
  }

  test("a share's broken lease keeps its id after a write without one; a file's is cleared", () => {
    assert.deepEqual(checkWrite(STATES.broken, T0, undefined, "share"), STATES.broken);
    assert.deepEqual(checkWrite(STATES.broken, T0, undefined, "file"), NO_LEASE);
    assert.equal(checkWrite(STATES.expired, T0, undefined, "share").id, A);
  });

  test("the write gate matches ids case-insensitively and treats an empty header as none", () => {
    assert.deepEqual(checkWrite(STATES.leased, T0, A.toUpperCase(), "file"), STATES.leased);
    expectError(() => checkWrite(STATES.leased, T0, "", "file"), 412, "LeaseIdMissing");
  });
});

describe("read gate: every cell of the §3 table", () => {
  for (const target of TARGETS) {
    const F = fam(target);
    const cells: Record<StateName, Record<"none" | "A" | "B", string | null>> = {
      available: { none: null, A: `LeaseNotPresentWith${F}Operation`, B: `LeaseNotPresentWith${F}Operation` },
      leased: { none: null, A: null, B: `LeaseIdMismatchWith${F}Operation` },
      breaking: { none: null, A: null, B: `LeaseIdMismatchWith${F}Operation` },
      broken: { none: null, A: `LeaseNotPresentWith${F}Operation`, B: `LeaseNotPresentWith${F}Operation` },
      expired: { none: null, A: "LeaseLost", B: "LeaseLost" },
    };
    for (const state of STATE_NAMES) {
      test(`${target}, ${state}`, () => {
        for (const [who, expected] of Object.entries(cells[state])) {
          const header = who === "none" ? undefined : who === "A" ? A : B;
          if (expected === null) assert.doesNotThrow(() => checkRead(STATES[state], T0, header, target), who);
          else expectError(() => checkRead(STATES[state], T0, header, target), 412, expected);
        }
      });
    }
  }
});

// --- the clock ---------------------------------------------------------------------------------------
describe("time: expiry, break completion and lease-time values", () => {
  const share = (now: number) => ctxFor("share", "extended", now);

  test("a fixed lease is leased until expiresAt and expired from then on, keeping its id", () => {
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 15 }, share(T0));
    assert.deepEqual(leaseView(lease, T0 + 14_999), {
      state: "leased",
      status: "locked",
      duration: "fixed",
      id: A,
    });
    assert.deepEqual(leaseView(lease, T0 + 15_000), { state: "expired", status: "unlocked", id: A });
    assert.deepEqual(leaseView(STATES.leased, T0 + 10 ** 12), {
      state: "leased",
      status: "locked",
      duration: "infinite",
      id: A,
    });
  });

  test("a breaking lease is locked until breakAt and broken from then on", () => {
    const out = act(STATES.leased, { kind: "break", breakPeriodSeconds: 10 }, share(T0));
    assert.equal(out.leaseTimeSeconds, 10);
    assert.deepEqual(leaseView(out.lease, T0 + 9_999), { state: "breaking", status: "locked", id: A });
    assert.deepEqual(leaseView(out.lease, T0 + 10_000), { state: "broken", status: "unlocked", id: A });
    assert.deepEqual(checkWrite(out.lease, T0 + 9_999, A, "share"), out.lease);
    expectError(
      () => checkWrite(out.lease, T0 + 10_000, A, "share"),
      412,
      "LeaseNotPresentWithContainerOperation",
    );
    const again = act(out.lease, { kind: "acquire", proposedId: B, durationSeconds: -1 }, share(T0 + 10_000));
    assert.equal(again.leaseId, B);
  });

  test("breaking a fixed lease without a period waits out its time: lease-time is whole seconds left, floored", () => {
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 15 }, share(T0));
    const first = act(lease, { kind: "break", breakPeriodSeconds: null }, share(T0 + 250));
    assert.equal(first.leaseTimeSeconds, 14);
    assert.equal(first.lease.breakAt, T0 + 15_000);
    const second = act(first.lease, { kind: "break", breakPeriodSeconds: null }, share(T0 + 600));
    assert.equal(second.leaseTimeSeconds, 14);
    assert.equal(leaseView(second.lease, T0 + 15_000).state, "broken");
  });

  test("a break period longer than the time left uses the time left", () => {
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 20 }, share(T0));
    const out = act(lease, { kind: "break", breakPeriodSeconds: 60 }, share(T0 + 5_000));
    assert.equal(out.leaseTimeSeconds, 15);
    assert.equal(out.lease.breakAt, T0 + 20_000);
  });

  test("re-breaking shortens, never lengthens; period 0 ends it", () => {
    const first = act(STATES.leased, { kind: "break", breakPeriodSeconds: 30 }, share(T0));
    assert.equal(first.leaseTimeSeconds, 30);
    const shorter = act(first.lease, { kind: "break", breakPeriodSeconds: 10 }, share(T0 + 5_000));
    assert.equal(shorter.leaseTimeSeconds, 10);
    assert.equal(shorter.lease.breakAt, T0 + 15_000);
    const longer = act(shorter.lease, { kind: "break", breakPeriodSeconds: 60 }, share(T0 + 5_000));
    assert.equal(longer.leaseTimeSeconds, 10);
    assert.equal(longer.lease.breakAt, T0 + 15_000);
    const now = act(longer.lease, { kind: "break", breakPeriodSeconds: 0 }, share(T0 + 6_000));
    assert.deepEqual([now.leaseTimeSeconds, leaseView(now.lease, T0 + 6_000).state], [0, "broken"]);
  });

  test("renew after expiry works until someone else leases it", () => {
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 15 }, share(T0));
    const renewed = act(lease, { kind: "renew", leaseId: A }, share(T0 + 20_000));
    assert.equal(renewed.leaseId, A);
    assert.equal(renewed.lease.expiresAt, T0 + 35_000);
    assert.equal(leaseView(renewed.lease, T0 + 34_999).state, "leased");
    assert.equal(leaseView(renewed.lease, T0 + 35_000).state, "expired");
    const taken = act(
      renewed.lease,
      { kind: "acquire", proposedId: B, durationSeconds: 15 },
      share(T0 + 40_000),
    );
    expectError(() => act(taken.lease, { kind: "renew", leaseId: A }, share(T0 + 60_000)), 409, MISMATCH);
  });

  test("renew resets the clock of a live fixed lease; an infinite one stays infinite", () => {
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 15 }, share(T0));
    assert.equal(act(lease, { kind: "renew", leaseId: A }, share(T0 + 10_000)).lease.expiresAt, T0 + 25_000);
    assert.deepEqual(act(STATES.leased, { kind: "renew", leaseId: A }, share(T0)).lease, STATES.leased);
  });

  test("re-acquire with the held id takes a new duration and restarts the clock", () => {
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 15 }, share(T0));
    const longer = act(lease, { kind: "acquire", proposedId: A, durationSeconds: 60 }, share(T0 + 10_000));
    assert.equal(longer.lease.expiresAt, T0 + 70_000);
    assert.equal(leaseView(longer.lease, T0 + 20_000).state, "leased");
    const infinite = act(
      longer.lease,
      { kind: "acquire", proposedId: A, durationSeconds: -1 },
      share(T0 + 20_000),
    );
    assert.deepEqual(leaseView(infinite.lease, T0 + 10 ** 9).duration, "infinite");
  });

  test("change keeps a fixed lease's expiry", () => {
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 30 }, share(T0));
    const changed = act(lease, { kind: "change", leaseId: A, proposedId: B }, share(T0 + 10_000));
    assert.deepEqual(changed.lease, { ...lease, id: B });
  });

  test("extended files: a write without an id clears an expired lease, so renew fails; a share keeps it", () => {
    const file = (now: number) => ctxFor("file", "extended", now);
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 15 }, file(T0));
    const written = checkWrite(lease, T0 + 16_000, undefined, "file");
    expectError(() => act(written, { kind: "renew", leaseId: A }, file(T0 + 17_000)), 409, MISMATCH);
    const shareLease = act(
      NO_LEASE,
      { kind: "acquire", proposedId: A, durationSeconds: 15 },
      share(T0),
    ).lease;
    const shareWritten = checkWrite(shareLease, T0 + 16_000, undefined, "share");
    assert.equal(act(shareWritten, { kind: "renew", leaseId: A }, share(T0 + 17_000)).leaseId, A);
  });
});

// --- ids ---------------------------------------------------------------------------------------------
describe("lease ids", () => {
  test("compare case-insensitively; responses carry the stored spelling", () => {
    const share = ctxFor("share");
    const up = A.toUpperCase();
    assert.equal(act(STATES.leased, { kind: "renew", leaseId: up }, share).leaseId, A);
    assert.equal(
      act(STATES.leased, { kind: "acquire", proposedId: up, durationSeconds: -1 }, share).leaseId,
      A,
    );
    assert.equal(act(STATES.leased, { kind: "change", leaseId: B, proposedId: up }, share).leaseId, A);
    assert.equal(act(STATES.leased, { kind: "change", leaseId: up, proposedId: B }, share).leaseId, B);
    assert.deepEqual(act(STATES.leased, { kind: "release", leaseId: up }, share).lease, NO_LEASE);
    const fresh = act(NO_LEASE, { kind: "acquire", proposedId: up, durationSeconds: -1 }, share);
    assert.equal(fresh.lease.id, up);
  });

  test("a generated id is made only when acquire has no proposed id", () => {
    let made = 0;
    const ctx = { ...ctxFor("file"), newId: () => `00000000-0000-4000-8000-00000000000${++made}` };
    assert.equal(act(NO_LEASE, { kind: "acquire", proposedId: B, durationSeconds: -1 }, ctx).leaseId, B);
    expectError(
      () => act(STATES.leased, { kind: "acquire", proposedId: null, durationSeconds: -1 }, ctx),
      409,
      ALREADY,
    );
    assert.equal(made, 0);
    const out = act(NO_LEASE, { kind: "acquire", proposedId: null, durationSeconds: -1 }, ctx);
    assert.deepEqual([out.leaseId, made], ["00000000-0000-4000-8000-000000000001", 1]);
  });

  test("malformed or empty ids are 400s, checked before the state", () => {
    const ctx = ctxFor("share");
    expectError(
      () => act(STATES.leased, { kind: "acquire", proposedId: "nope", durationSeconds: -1 }, ctx),
      400,
      "InvalidHeaderValue",
      [
        ["HeaderName", "x-ms-proposed-lease-id"],
        ["HeaderValue", "nope"],
      ],
    );
    expectError(
      () => act(STATES.leased, { kind: "change", leaseId: A, proposedId: "" }, ctx),
      400,
      "MissingRequiredHeader",
      [["HeaderName", "x-ms-proposed-lease-id"]],
    );
    expectError(() => act(NO_LEASE, { kind: "release", leaseId: "" }, ctx), 400, "MissingRequiredHeader");
    expectError(() => act(NO_LEASE, { kind: "renew", leaseId: `${A}x` }, ctx), 400, "InvalidHeaderValue");
    expectError(() => checkWrite(STATES.leased, T0, "zzz", "file"), 400, "InvalidHeaderValue", [
      ["HeaderName", "x-ms-lease-id"],
      ["HeaderValue", "zzz"],
    ]);
    expectError(() => checkRead(NO_LEASE, T0, "zzz", "share"), 400, "InvalidHeaderValue");
  });
});

// --- profiles and header validation ---------------------------------------------------------------------
describe("validation and profiles", () => {
  const durationError = (value: string): [string, string][] => [
    ["HeaderName", "x-ms-lease-duration"],
    ["HeaderValue", value],
  ];

  test("durations: -1 or 15..60 for files and shares in the extended profile and for shares in strict", () => {
    for (const [target, profile] of [
      ["file", "extended"],
      ["share", "extended"],
      ["share", "strict"],
    ] as const) {
      const ctx = ctxFor(target, profile);
      for (const d of [-1, 15, 37, 60]) {
        const out = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: d }, ctx);
        assert.equal(leaseView(out.lease, T0).duration, d === -1 ? "infinite" : "fixed");
      }
      for (const d of [0, 1, 14, 61, -2, 20.5, Number.NaN]) {
        expectError(
          () => act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: d }, ctx),
          400,
          "InvalidHeaderValue",
          durationError(String(d)),
        );
      }
    }
  });

  test("strict files: only infinite leases, checked before the state", () => {
    const ctx = ctxFor("file", "strict");
    for (const d of [15, 20, 60]) {
      expectError(
        () => act(NO_LEASE, { kind: "acquire", proposedId: null, durationSeconds: d }, ctx),
        400,
        "InvalidHeaderValue",
        durationError(String(d)),
      );
    }
    expectError(
      () => act(STATES.leased, { kind: "acquire", proposedId: B, durationSeconds: 20 }, ctx),
      400,
      "InvalidHeaderValue",
    );
    assert.equal(act(NO_LEASE, { kind: "acquire", proposedId: null, durationSeconds: -1 }, ctx).leaseId, NEW);
  });

  test("strict files: renew is an invalid x-ms-lease-action, in every state", () => {
    for (const state of STATE_NAMES) {
      expectError(
        () => act(STATES[state], { kind: "renew", leaseId: A }, ctxFor("file", "strict")),
        400,
        "InvalidHeaderValue",
        [
          ["HeaderName", "x-ms-lease-action"],
          ["HeaderValue", "renew"],
        ],
      );
    }
  });

  test("strict files: any break period is an invalid header; without one breaks are immediate", () => {
    const ctx = ctxFor("file", "strict");
    for (const p of [0, 10, 60]) {
      expectError(
        () => act(STATES.leased, { kind: "break", breakPeriodSeconds: p }, ctx),
        400,
        "InvalidHeaderValue",
        [
          ["HeaderName", "x-ms-lease-break-period"],
          ["HeaderValue", String(p)],
        ],
      );
    }
    const out = act(STATES.leased, { kind: "break", breakPeriodSeconds: null }, ctx);
    assert.deepEqual([out.leaseTimeSeconds, leaseView(out.lease, T0).state], [0, "broken"]);
    // A fixed file lease left over from an extended-profile run still breaks at once under strict.
    const fixed: LeaseRecord = {
      id: A,
      state: "leased",
      durationSeconds: 30,
      expiresAt: T0 + 30_000,
      breakAt: null,
    };
    const fixedOut = act(fixed, { kind: "break", breakPeriodSeconds: null }, ctx);
    assert.deepEqual([fixedOut.leaseTimeSeconds, leaseView(fixedOut.lease, T0).state], [0, "broken"]);
    expectError(() => act(NO_LEASE, { kind: "break", breakPeriodSeconds: null }, ctx), 409, NOT_PRESENT);
  });

  test("break period: 0..60 whole seconds, else InvalidHeaderValue", () => {
    for (const target of TARGETS) {
      for (const p of [-1, 61, 2.5]) {
        expectError(
          () => act(STATES.leased, { kind: "break", breakPeriodSeconds: p }, ctxFor(target)),
          400,
          "InvalidHeaderValue",
          [
            ["HeaderName", "x-ms-lease-break-period"],
            ["HeaderValue", String(p)],
          ],
        );
      }
    }
    expectError(
      () => act(NO_LEASE, { kind: "break", breakPeriodSeconds: 99 }, ctxFor("share")),
      400,
      "InvalidHeaderValue",
    );
  });

  test("extended files take fixed leases, renew and break periods like shares", () => {
    const file = (now: number) => ctxFor("file", "extended", now);
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 20 }, file(T0));
    const renewed = act(lease, { kind: "renew", leaseId: A }, file(T0 + 5_000));
    const broken = act(renewed.lease, { kind: "break", breakPeriodSeconds: 7 }, file(T0 + 5_000));
    assert.deepEqual([broken.leaseTimeSeconds, leaseView(broken.lease, T0 + 11_999).state], [7, "breaking"]);
    assert.equal(leaseView(broken.lease, T0 + 12_000).state, "broken");
  });

  test("time comes only from the arguments", (t) => {
    t.mock.method(Date, "now", () => {
      throw new Error("Date.now() called");
    });
    const ctx = ctxFor("share", "extended", T0);
    const { lease } = act(NO_LEASE, { kind: "acquire", proposedId: A, durationSeconds: 15 }, ctx);
    act(lease, { kind: "break", breakPeriodSeconds: 5 }, ctx);
    leaseView(lease, T0 + 20_000);
    checkWrite(lease, T0, A, "share");
    checkRead(lease, T0, undefined, "share");
  });
});

// --- property-based: the machine against an independent reference model ----------------------------------------
//
// The model keeps *remaining* milliseconds that a time step counts down (the machine keeps absolute timestamps),
// and decides every (state, action, id relation) cell by looking it up in a table held as data.

type MState =
  | { s: "available" }
  | { s: "leased"; id: string; dur: number; leftMs: number | null }
  | { s: "expired"; id: string; dur: number }
  | { s: "breaking"; id: string; breakLeftMs: number }
  | { s: "broken"; id: string };

/** A table cell: "!<status> <code>" fails ({F} is File or Container); anything else names a transition. */
type Cell = string;

const MODEL_TABLE: Record<MState["s"], Record<string, Cell>> = {
  available: {
    "acquire/none": "take",
    "acquire/other": "take",
    "renew/other": "!409 LeaseIdMismatchWithLeaseOperation",
    "change/neither": "!409 LeaseNotPresentWithLeaseOperation",
    "release/other": "!409 LeaseIdMismatchWithLeaseOperation",
    break: "!409 LeaseNotPresentWithLeaseOperation",
    "write/none": "pass",
    "write/other": "!412 LeaseNotPresentWith{F}Operation",
    "read/none": "pass",
    "read/other": "!412 LeaseNotPresentWith{F}Operation",
  },
  leased: {
    "acquire/none": "!409 LeaseAlreadyPresent",
    "acquire/held": "take",
    "acquire/other": "!409 LeaseAlreadyPresent",
    "renew/held": "renew",
    "renew/other": "!409 LeaseIdMismatchWithLeaseOperation",
    "change/from-held": "change",
    "change/to-held": "change",
    "change/neither": "!409 LeaseIdMismatchWithLeaseOperation",
    "release/held": "release",
    "release/other": "!409 LeaseIdMismatchWithLeaseOperation",
    break: "break",
    "write/none": "!412 LeaseIdMissing",
    "write/held": "pass",
    "write/other": "!412 LeaseIdMismatchWith{F}Operation",
    "read/none": "pass",
    "read/held": "pass",
    "read/other": "!412 LeaseIdMismatchWith{F}Operation",
  },
  breaking: {
    "acquire/none": "!409 LeaseAlreadyPresent",
    "acquire/held": "!409 LeaseIsBreakingAndCannotBeAcquired",
    "acquire/other": "!409 LeaseAlreadyPresent",
    "renew/held": "!409 LeaseIsBrokenAndCannotBeRenewed",
    "renew/other": "!409 LeaseIdMismatchWithLeaseOperation",
    "change/from-held": "!409 LeaseIsBreakingAndCannotBeChanged",
    "change/to-held": "!409 LeaseIsBreakingAndCannotBeChanged",
    "change/neither": "!409 LeaseIdMismatchWithLeaseOperation",
    "release/held": "release",
    "release/other": "!409 LeaseIdMismatchWithLeaseOperation",
    break: "break",
    "write/none": "!412 LeaseIdMissing",
    "write/held": "pass",
    "write/other": "!412 LeaseIdMismatchWith{F}Operation",
    "read/none": "pass",
    "read/held": "pass",
    "read/other": "!412 LeaseIdMismatchWith{F}Operation",
  },
  broken: {
    "acquire/none": "take",
    "acquire/held": "take",
    "acquire/other": "take",
    "renew/held": "!409 LeaseIsBrokenAndCannotBeRenewed",
    "renew/other": "!409 LeaseIdMismatchWithLeaseOperation",
    "change/from-held": "!409 LeaseNotPresentWithLeaseOperation",
    "change/to-held": "!409 LeaseNotPresentWithLeaseOperation",
    "change/neither": "!409 LeaseNotPresentWithLeaseOperation",
    "release/held": "release",
    "release/other": "!409 LeaseIdMismatchWithLeaseOperation",
    break: "break",
    "write/none": "pass-clearing-files",
    "write/held": "!412 LeaseNotPresentWith{F}Operation",
    "write/other": "!412 LeaseNotPresentWith{F}Operation",
    "read/none": "pass",
    "read/held": "!412 LeaseNotPresentWith{F}Operation",
    "read/other": "!412 LeaseNotPresentWith{F}Operation",
  },
  expired: {
    "acquire/none": "take",
    "acquire/held": "take",
    "acquire/other": "take",
    "renew/held": "renew",
    "renew/other": "!409 LeaseIdMismatchWithLeaseOperation",
    "change/from-held": "!409 LeaseNotPresentWithLeaseOperation",
    "change/to-held": "!409 LeaseNotPresentWithLeaseOperation",
    "change/neither": "!409 LeaseNotPresentWithLeaseOperation",
    "release/held": "release",
    "release/other": "!409 LeaseIdMismatchWithLeaseOperation",
    break: "break",
    "write/none": "pass-clearing-files",
    "write/held": "!412 LeaseLost",
    "write/other": "!412 LeaseLost",
    "read/none": "pass",
    "read/held": "!412 LeaseLost",
    "read/other": "!412 LeaseLost",
  },
};

/** Ids in steps are tokens, resolved when the step runs ("gen" = the last generated id). */
type IdToken = "A" | "B" | "C" | "A-upper" | "B-upper" | "gen" | "bad" | "empty";
type Step =
  | { op: "advance"; ms: number }
  | { op: "acquire"; proposed: IdToken | null; dur: number }
  | { op: "renew"; id: IdToken }
  | { op: "change"; id: IdToken; proposed: IdToken }
  | { op: "release"; id: IdToken }
  | { op: "break"; period: number | null }
  | { op: "write"; id: IdToken | null }
  | { op: "read"; id: IdToken | null };

const FIXED_IDS = {
  A,
  B,
  C,
  "A-upper": A.toUpperCase(),
  "B-upper": B.toUpperCase(),
  bad: "bad-id",
  empty: "",
};
const genId = (n: number) => `00000000-0000-4000-9000-${n.toString(16).padStart(12, "0")}`;

/** What both sides are compared on after each step. */
interface Observed {
  error: string | null; // "<status> <code>[ <header>=<value>]"
  leaseId: string | undefined;
  leaseTime: number | undefined;
  state: ComputedLeaseState;
  id: string | null;
  duration: string | undefined;
  idsMade: number;
}

class Model {
  st: MState = { s: "available" };
  idsMade = 0;
  constructor(
    readonly target: LeaseTarget,
    readonly profile: LeaseProfile,
  ) {}

  private get strictFile(): boolean {
    return this.profile === "strict" && this.target === "file";
  }

  private get held(): string | null {
    return this.st.s === "available" ? null : this.st.id;
  }

  private rel(id: string | null): "none" | "held" | "other" {
    if (id === null) return "none";
    const held = this.held;
    return held !== null && held.toLowerCase() === id.toLowerCase() ? "held" : "other";
  }

  advance(ms: number): void {
    const st = this.st;
    if (st.s === "leased" && st.leftMs !== null) {
      const left = st.leftMs - ms;
      this.st = left <= 0 ? { s: "expired", id: st.id, dur: st.dur } : { ...st, leftMs: left };
    } else if (st.s === "breaking") {
      const left = st.breakLeftMs - ms;
      this.st = left <= 0 ? { s: "broken", id: st.id } : { ...st, breakLeftMs: left };
    }
  }

  /** Header checks, in the order the service makes them; null when all pass. */
  private invalid(step: Step, ids: Resolve): string | null {
    const durations = this.strictFile ? [-1] : [-1, ...Array.from({ length: 46 }, (_, i) => 15 + i)];
    const idProblem = (header: string, v: string): string | null =>
      v === ""
        ? `400 MissingRequiredHeader ${header}`
        : /^[0-9a-fA-F-]{36}$/.test(v)
          ? null
          : `400 InvalidHeaderValue ${header}=${v}`;
    switch (step.op) {
      case "acquire":
        if (!durations.includes(step.dur)) return `400 InvalidHeaderValue x-ms-lease-duration=${step.dur}`;
        return step.proposed === null ? null : idProblem("x-ms-proposed-lease-id", ids(step.proposed));
      case "renew":
        if (this.strictFile) return "400 InvalidHeaderValue x-ms-lease-action=renew";
        return idProblem("x-ms-lease-id", ids(step.id));
      case "change":
        return (
          idProblem("x-ms-lease-id", ids(step.id)) ?? idProblem("x-ms-proposed-lease-id", ids(step.proposed))
        );
      case "release":
        return idProblem("x-ms-lease-id", ids(step.id));
      case "break": {
        if (step.period === null) return null;
        const allowed = !this.strictFile && [...Array(61).keys()].includes(step.period);
        return allowed ? null : `400 InvalidHeaderValue x-ms-lease-break-period=${step.period}`;
      }
      case "write":
      case "read": {
        const v = step.id === null ? "" : ids(step.id);
        return v === "" || /^[0-9a-fA-F-]{36}$/.test(v) ? null : `400 InvalidHeaderValue x-ms-lease-id=${v}`;
      }
      case "advance":
        return null;
    }
  }

  /** Runs one step; returns the error string and response headers. */
  step(step: Step, ids: Resolve): { error: string | null; leaseId?: string; leaseTime?: number } {
    if (step.op === "advance") {
      this.advance(step.ms);
      return { error: null };
    }
    const bad = this.invalid(step, ids);
    if (bad) return { error: bad };
    const opt = (t: IdToken | null) => (t === null || ids(t) === "" ? null : ids(t));
    let key: string;
    switch (step.op) {
      case "acquire":
        key = `acquire/${this.rel(opt(step.proposed))}`;
        break;
      case "renew":
      case "release":
      case "write":
      case "read":
        key = `${step.op}/${this.rel(step.op === "write" || step.op === "read" ? opt(step.id) : ids(step.id))}`;
        break;
      case "change":
        key =
          this.rel(ids(step.id)) === "held"
            ? "change/from-held"
            : this.rel(ids(step.proposed)) === "held"
              ? "change/to-held"
              : "change/neither";
        break;
      case "break":
        key = "break";
        break;
    }
    const cell = MODEL_TABLE[this.st.s][key];
    if (cell === undefined) throw new Error(`model table has no cell ${this.st.s} ${key}`);
    if (cell.startsWith("!"))
      return { error: cell.slice(1).replace("{F}", this.target === "file" ? "File" : "Container") };
    const st = this.st;
    const held = this.held;
    const spell = (id: string) => (held !== null && this.rel(id) === "held" ? held : id);
    switch (cell) {
      case "take": {
        const proposed = step.op === "acquire" ? opt(step.proposed) : null;
        const dur = step.op === "acquire" ? step.dur : -1;
        let id: string;
        if (proposed === null) {
          this.idsMade += 1;
          id = genId(this.idsMade);
        } else id = spell(proposed);
        this.st = { s: "leased", id, dur, leftMs: dur === -1 ? null : dur * 1000 };
        return { error: null, leaseId: id };
      }
      case "renew": {
        if (st.s !== "leased" && st.s !== "expired") throw new Error("renew cell on a wrong state");
        this.st = { s: "leased", id: st.id, dur: st.dur, leftMs: st.dur === -1 ? null : st.dur * 1000 };
        return { error: null, leaseId: st.id };
      }
      case "change": {
        if (st.s !== "leased" || step.op !== "change") throw new Error("change cell on a wrong state");
        const id = spell(ids(step.proposed));
        this.st = { ...st, id };
        return { error: null, leaseId: id };
      }
      case "release":
        this.st = { s: "available" };
        return { error: null };
      case "break":
        return this.breakLease(step.op === "break" ? step.period : null);
      case "pass":
        return { error: null };
      case "pass-clearing-files":
        if (this.target === "file") this.st = { s: "available" };
        return { error: null };
    }
    throw new Error(`unknown model cell ${cell}`);
  }

  private breakLease(period: number | null): { error: null; leaseTime: number } {
    const st = this.st;
    if (st.s === "available") throw new Error("break cell on available");
    // How long until this lease stops being locked on its own (Infinity: never).
    const lockedFor =
      st.s === "leased" ? (st.leftMs ?? Number.POSITIVE_INFINITY) : st.s === "breaking" ? st.breakLeftMs : 0;
    let wait: number;
    if (this.strictFile || lockedFor === 0) wait = 0;
    else if (period === null) wait = Number.isFinite(lockedFor) ? lockedFor : 0;
    else wait = Math.min(period * 1000, lockedFor);
    this.st = wait === 0 ? { s: "broken", id: st.id } : { s: "breaking", id: st.id, breakLeftMs: wait };
    return { error: null, leaseTime: Math.trunc(wait / 1000) };
  }

  view(): Pick<Observed, "state" | "id" | "duration"> {
    const st = this.st;
    if (st.s === "available") return { state: "available", id: null, duration: undefined };
    const duration = st.s === "leased" ? (st.leftMs === null ? "infinite" : "fixed") : undefined;
    return { state: st.s, id: st.id, duration };
  }
}

type Resolve = (t: IdToken) => string;

/** The machine under test, driven like the HTTP layer would: store the record after each success. */
class Subject {
  rec: LeaseRecord = Object.freeze({ ...NO_LEASE });
  now = T0;
  idsMade = 0;
  constructor(
    readonly target: LeaseTarget,
    readonly profile: LeaseProfile,
  ) {}

  step(step: Step, ids: Resolve): { error: string | null; leaseId?: string; leaseTime?: number } {
    if (step.op === "advance") {
      this.now += step.ms;
      return { error: null };
    }
    const ctx: LeaseContext = {
      now: this.now,
      target: this.target,
      profile: this.profile,
      newId: () => genId(++this.idsMade),
    };
    const opt = (t: IdToken | null) => (t === null ? undefined : ids(t));
    const r = attempt((): LeaseOutcome => {
      switch (step.op) {
        case "acquire":
          return applyLeaseAction(
            this.rec,
            {
              kind: "acquire",
              proposedId: step.proposed === null ? null : ids(step.proposed),
              durationSeconds: step.dur,
            },
            ctx,
          );
        case "renew":
          return applyLeaseAction(this.rec, { kind: "renew", leaseId: ids(step.id) }, ctx);
        case "change":
          return applyLeaseAction(
            this.rec,
            { kind: "change", leaseId: ids(step.id), proposedId: ids(step.proposed) },
            ctx,
          );
        case "release":
          return applyLeaseAction(this.rec, { kind: "release", leaseId: ids(step.id) }, ctx);
        case "break":
          return applyLeaseAction(this.rec, { kind: "break", breakPeriodSeconds: step.period }, ctx);
        case "write":
          return { lease: checkWrite(this.rec, this.now, opt(step.id), this.target) };
        case "read":
          checkRead(this.rec, this.now, opt(step.id), this.target);
          return { lease: this.rec };
      }
    });
    if (!r.ok) {
      const detail = r.err.details.map(([, v]) => v).join("=");
      return { error: `${r.err.status} ${r.err.code}${detail ? ` ${detail}` : ""}` };
    }
    this.rec = Object.freeze({ ...r.value.lease });
    return { error: null, leaseId: r.value.leaseId, leaseTime: r.value.leaseTimeSeconds };
  }
}

const idToken = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom<IdToken>("A", "A", "A", "B", "B", "C", "A-upper", "B-upper", "gen", "gen"),
  },
  { weight: 1, arbitrary: fc.constantFrom<IdToken>("bad", "empty") },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        fc.integer({ min: 0, max: 90 }).map((s) => s * 1000),
        fc.integer({ min: 0, max: 90_000 }),
      )
      .map((ms) => ({ op: "advance" as const, ms })),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("acquire" as const),
      proposed: fc.option(idToken, { freq: 3 }),
      dur: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(-1, 15, 16, 30, 59, 60) },
        { weight: 1, arbitrary: fc.constantFrom(0, 14, 61, -2, 7.5) },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("renew" as const), id: idToken }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("change" as const), id: idToken, proposed: idToken }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("release" as const), id: idToken }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("break" as const),
      period: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 5, arbitrary: fc.integer({ min: 0, max: 60 }) },
        { weight: 1, arbitrary: fc.constantFrom(61, -1, 2.5) },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant("write" as const), id: fc.option(idToken, { freq: 3 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("read" as const), id: fc.option(idToken, { freq: 3 }) }),
  },
);

describe("property: the machine agrees with the reference model", () => {
  test("random action sequences on a moving clock, every profile and target", () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.constantFrom<LeaseTarget>("file", "share"),
        fc.constantFrom<LeaseProfile>("extended", "strict"),
        fc.array(stepArb, { minLength: 5, maxLength: 60, size: "max" }),
        (target, profile, steps) => {
          const model = new Model(target, profile);
          const subject = new Subject(target, profile);
          for (const [i, step] of steps.entries()) {
            const gen = genId(Math.max(1, model.idsMade));
            const ids: Resolve = (t) => (t === "gen" ? gen : FIXED_IDS[t]);
            const before = model.view().state;
            const want = model.step(step, ids);
            const got = subject.step(step, ids);
            const view = leaseView(subject.rec, subject.now);
            const observed: Observed = {
              error: got.error,
              leaseId: got.leaseId,
              leaseTime: got.leaseTime,
              state: view.state,
              id: view.id,
              duration: view.duration,
              idsMade: subject.idsMade,
            };
            const expected: Observed = {
              error: want.error,
              leaseId: want.leaseId,
              leaseTime: want.leaseTime,
              ...model.view(),
              idsMade: model.idsMade,
            };
            assert.deepEqual(observed, expected, `step ${i}: ${JSON.stringify(step)}`);
            assert.equal(
              view.status,
              view.state === "leased" || view.state === "breaking" ? "locked" : "unlocked",
            );
            const label = `${before} ${step.op} → ${want.error ?? "ok"}`;
            seen.set(label, (seen.get(label) ?? 0) + 1);
          }
        },
      ),
      { numRuns: 300 },
    );
    // The generator must actually reach the interesting cells.
    for (const must of [
      "expired renew → ok",
      "breaking break → ok",
      "breaking write → ok",
      "broken acquire → ok",
      "expired write → 412 LeaseLost",
      "leased write → 412 LeaseIdMissing",
      "breaking acquire → 409 LeaseIsBreakingAndCannotBeAcquired",
    ]) {
      assert.ok((seen.get(must) ?? 0) > 0, `never exercised: ${must}\n${[...seen].join("\n")}`);
    }
  });
});
