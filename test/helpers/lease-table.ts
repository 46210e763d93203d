import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FakeClock } from "../../packages/server/src/index.js";
import {
  A,
  B,
  C,
  GUID_RE,
  type Leasable,
  type LeasableKit,
  type LeaseFacts,
  type Outcome,
} from "./lease-kit.js";

/**
 * The transition table of /work/shared/reference/lease-and-auth-semantics.md §3, as the wire shows it:
 * every (starting state × action) cell with the status, error code, resulting lease facts, the id that
 * holds the lease afterwards and `x-ms-lease-time`. Written from the reference, not from the server code.
 */

/** The starting states a test can put a resource in. */
export type TableState = "available" | "leased-infinite" | "leased-fixed" | "breaking" | "broken" | "expired";

export const ALL_STATES: TableState[] = [
  "available",
  "leased-infinite",
  "leased-fixed",
  "breaking",
  "broken",
  "expired",
];

/** What Get Properties reports afterwards. */
type ViewName = "available" | "leased/infinite" | "leased/fixed" | "breaking" | "broken" | "expired";

const VIEWS: Record<ViewName, LeaseFacts> = {
  available: { state: "available", status: "unlocked", duration: undefined },
  "leased/infinite": { state: "leased", status: "locked", duration: "infinite" },
  "leased/fixed": { state: "leased", status: "locked", duration: "fixed" },
  breaking: { state: "breaking", status: "locked", duration: undefined },
  broken: { state: "broken", status: "unlocked", duration: undefined },
  expired: { state: "expired", status: "unlocked", duration: undefined },
};

const START_VIEW: Record<TableState, ViewName> = {
  available: "available",
  "leased-infinite": "leased/infinite",
  "leased-fixed": "leased/fixed",
  breaking: "breaking",
  broken: "broken",
  expired: "expired",
};

/** One cell. */
export interface Expect {
  status: number;
  code?: string;
  /** Lease facts afterwards; the starting state's when omitted. */
  after?: ViewName;
  /** Id holding the lease afterwards; "new" = service-generated (taken from x-ms-lease-id). */
  holder?: string;
  leaseTime?: number;
  /** `<HeaderName>`/`<HeaderValue>` of a 400 InvalidHeaderValue. */
  badHeader?: [string, string];
}

type Target = "file" | "share";
type Row = Record<TableState, Expect>;
type Kind = "lease" | "write" | "read";

interface Action {
  kind: Kind;
  run(r: Leasable): Promise<Outcome>;
}

/** The actions of the table's rows (each a real request through the SDK, or raw where the SDK cannot). */
export const ACTIONS = {
  "acquire, no proposed id (raw)": { kind: "lease", run: (r) => r.acquire(null, -1) },
  "acquire A, infinite": { kind: "lease", run: (r) => r.acquire(A, -1) },
  "acquire A, 15 s": { kind: "lease", run: (r) => r.acquire(A, 15) },
  "acquire B, infinite": { kind: "lease", run: (r) => r.acquire(B, -1) },
  "renew A (raw)": { kind: "lease", run: (r) => r.renew(A) },
  "renew B (raw)": { kind: "lease", run: (r) => r.renew(B) },
  "change A→B": { kind: "lease", run: (r) => r.change(A, B) },
  "change B→A (retry of a completed change)": { kind: "lease", run: (r) => r.change(B, A) },
  "change B→C (wrong current id)": { kind: "lease", run: (r) => r.change(B, C) },
  "release A": { kind: "lease", run: (r) => r.release(A) },
  "release B": { kind: "lease", run: (r) => r.release(B) },
  "break, no period": { kind: "lease", run: (r) => r.breakLease() },
  "break, period 0": { kind: "lease", run: (r) => r.breakLease(0) },
  "break, period 10": { kind: "lease", run: (r) => r.breakLease(10) },
  "break, period 45": { kind: "lease", run: (r) => r.breakLease(45) },
  "write, no id": { kind: "write", run: (r) => r.write() },
  "write with A": { kind: "write", run: (r) => r.write(A) },
  "write with B": { kind: "write", run: (r) => r.write(B) },
  "read, no id": { kind: "read", run: (r) => r.read() },
  "read with A": { kind: "read", run: (r) => r.read(A) },
  "read with B": { kind: "read", run: (r) => r.read(B) },
} satisfies Record<string, Action>;

export type ActionName = keyof typeof ACTIONS;

const fail = (status: number, code: string): Expect => ({ status, code });
const ok = (status: number, after: ViewName, holder?: string, leaseTime?: number): Expect => ({
  status,
  after,
  ...(holder !== undefined ? { holder } : {}),
  ...(leaseTime !== undefined ? { leaseTime } : {}),
});
const same = (status: number): Expect => ({ status });

/** Every state gets the same expectation. */
function all(e: Expect): Row {
  return {
    available: e,
    "leased-infinite": e,
    "leased-fixed": e,
    breaking: e,
    broken: e,
    expired: e,
  };
}

const NP_LEASE = "LeaseNotPresentWithLeaseOperation";
const MM_LEASE = "LeaseIdMismatchWithLeaseOperation";

function np412(t: Target): Expect {
  return fail(
    412,
    t === "file" ? "LeaseNotPresentWithFileOperation" : "LeaseNotPresentWithContainerOperation",
  );
}
function mm412(t: Target): Expect {
  return fail(
    412,
    t === "file" ? "LeaseIdMismatchWithFileOperation" : "LeaseIdMismatchWithContainerOperation",
  );
}

/** The extended-profile table (also Azure's share table). */
function extendedTable(t: Target): Record<ActionName, Row> {
  return {
    "acquire, no proposed id (raw)": {
      available: ok(201, "leased/infinite", "new"),
      "leased-infinite": fail(409, "LeaseAlreadyPresent"),
      "leased-fixed": fail(409, "LeaseAlreadyPresent"),
      breaking: fail(409, "LeaseAlreadyPresent"),
      broken: ok(201, "leased/infinite", "new"),
      expired: ok(201, "leased/infinite", "new"),
    },
    "acquire A, infinite": {
      available: ok(201, "leased/infinite", A),
      "leased-infinite": ok(201, "leased/infinite", A),
      "leased-fixed": ok(201, "leased/infinite", A), // the active id may take a new duration
      breaking: fail(409, "LeaseIsBreakingAndCannotBeAcquired"),
      broken: ok(201, "leased/infinite", A),
      expired: ok(201, "leased/infinite", A),
    },
    "acquire A, 15 s": {
      available: ok(201, "leased/fixed", A),
      "leased-infinite": ok(201, "leased/fixed", A),
      "leased-fixed": ok(201, "leased/fixed", A),
      breaking: fail(409, "LeaseIsBreakingAndCannotBeAcquired"),
      broken: ok(201, "leased/fixed", A),
      expired: ok(201, "leased/fixed", A),
    },
    "acquire B, infinite": {
      available: ok(201, "leased/infinite", B),
      "leased-infinite": fail(409, "LeaseAlreadyPresent"),
      "leased-fixed": fail(409, "LeaseAlreadyPresent"),
      breaking: fail(409, "LeaseAlreadyPresent"),
      broken: ok(201, "leased/infinite", B),
      expired: ok(201, "leased/infinite", B),
    },
    "renew A (raw)": {
      available: fail(409, MM_LEASE),
      "leased-infinite": ok(200, "leased/infinite", A),
      "leased-fixed": ok(200, "leased/fixed", A),
      breaking: fail(409, "LeaseIsBrokenAndCannotBeRenewed"),
      broken: fail(409, "LeaseIsBrokenAndCannotBeRenewed"),
      expired: ok(200, "leased/fixed", A),
    },
    "renew B (raw)": all(fail(409, MM_LEASE)),
    "change A→B": {
      available: fail(409, NP_LEASE),
      "leased-infinite": ok(200, "leased/infinite", B),
      "leased-fixed": ok(200, "leased/fixed", B),
      breaking: fail(409, "LeaseIsBreakingAndCannotBeChanged"),
      broken: fail(409, NP_LEASE),
      expired: fail(409, NP_LEASE),
    },
    "change B→A (retry of a completed change)": {
      available: fail(409, NP_LEASE),
      "leased-infinite": ok(200, "leased/infinite", A),
      "leased-fixed": ok(200, "leased/fixed", A),
      breaking: fail(409, "LeaseIsBreakingAndCannotBeChanged"),
      broken: fail(409, NP_LEASE),
      expired: fail(409, NP_LEASE),
    },
    "change B→C (wrong current id)": {
      available: fail(409, NP_LEASE),
      "leased-infinite": fail(409, MM_LEASE),
      "leased-fixed": fail(409, MM_LEASE),
      breaking: fail(409, MM_LEASE),
      broken: fail(409, NP_LEASE),
      expired: fail(409, NP_LEASE),
    },
    "release A": {
      available: fail(409, MM_LEASE),
      "leased-infinite": ok(200, "available"),
      "leased-fixed": ok(200, "available"),
      breaking: ok(200, "available"),
      broken: ok(200, "available"),
      expired: ok(200, "available"),
    },
    "release B": all(fail(409, MM_LEASE)),
    "break, no period": {
      available: fail(409, NP_LEASE),
      "leased-infinite": ok(202, "broken", undefined, 0),
      "leased-fixed": ok(202, "breaking", A, 60), // breaks when its remaining time is up
      breaking: ok(202, "breaking", A, 30), // unchanged
      broken: ok(202, "broken", undefined, 0),
      expired: ok(202, "broken", undefined, 0),
    },
    "break, period 0": {
      available: fail(409, NP_LEASE),
      "leased-infinite": ok(202, "broken", undefined, 0),
      "leased-fixed": ok(202, "broken", undefined, 0),
      breaking: ok(202, "broken", undefined, 0),
      broken: ok(202, "broken", undefined, 0),
      expired: ok(202, "broken", undefined, 0),
    },
    "break, period 10": {
      available: fail(409, NP_LEASE),
      "leased-infinite": ok(202, "breaking", A, 10),
      "leased-fixed": ok(202, "breaking", A, 10),
      breaking: ok(202, "breaking", A, 10), // shortened from 30
      broken: ok(202, "broken", undefined, 0),
      expired: ok(202, "broken", undefined, 0),
    },
    "break, period 45": {
      available: fail(409, NP_LEASE),
      "leased-infinite": ok(202, "breaking", A, 45),
      "leased-fixed": ok(202, "breaking", A, 45), // min(45, 60 left)
      breaking: ok(202, "breaking", A, 30), // min(45, 30 left): never lengthened
      broken: ok(202, "broken", undefined, 0),
      expired: ok(202, "broken", undefined, 0),
    },
    "write, no id": {
      available: same(200),
      "leased-infinite": fail(412, "LeaseIdMissing"),
      "leased-fixed": fail(412, "LeaseIdMissing"),
      breaking: fail(412, "LeaseIdMissing"),
      // A file write clears a broken/expired lease (like a blob write); a share set-op keeps it.
      broken: t === "file" ? ok(200, "available") : same(200),
      expired: t === "file" ? ok(200, "available") : same(200),
    },
    "write with A": {
      available: np412(t),
      "leased-infinite": ok(200, "leased/infinite", A),
      "leased-fixed": ok(200, "leased/fixed", A),
      breaking: ok(200, "breaking", A),
      broken: np412(t),
      expired: fail(412, "LeaseLost"),
    },
    "write with B": {
      available: np412(t),
      "leased-infinite": mm412(t),
      "leased-fixed": mm412(t),
      breaking: mm412(t),
      broken: np412(t),
      expired: fail(412, "LeaseLost"),
    },
    "read, no id": all(same(200)),
    "read with A": {
      available: np412(t),
      "leased-infinite": ok(200, "leased/infinite", A),
      "leased-fixed": ok(200, "leased/fixed", A),
      breaking: ok(200, "breaking", A),
      broken: np412(t),
      expired: fail(412, "LeaseLost"),
    },
    "read with B": {
      available: np412(t),
      "leased-infinite": mm412(t),
      "leased-fixed": mm412(t),
      breaking: mm412(t),
      broken: np412(t),
      expired: fail(412, "LeaseLost"),
    },
  };
}

function badHeader(name: string, value: string): Expect {
  return { status: 400, code: "InvalidHeaderValue", badHeader: [name, value] };
}

/** The strict profile on files: Azure's three-state file lease (validation 400s before any state check). */
function strictFileTable(): Record<ActionName, Row> {
  const table = extendedTable("file");
  table["acquire A, 15 s"] = all(badHeader("x-ms-lease-duration", "15"));
  table["renew A (raw)"] = all(badHeader("x-ms-lease-action", "renew"));
  table["renew B (raw)"] = all(badHeader("x-ms-lease-action", "renew"));
  table["break, period 0"] = all(badHeader("x-ms-lease-break-period", "0"));
  table["break, period 10"] = all(badHeader("x-ms-lease-break-period", "10"));
  table["break, period 45"] = all(badHeader("x-ms-lease-break-period", "45"));
  return table;
}

/** The expected cell for a target in a profile. */
export function expectedCell(
  target: Target,
  profile: "extended" | "strict",
  action: ActionName,
  state: TableState,
): Expect {
  const table = profile === "strict" && target === "file" ? strictFileTable() : extendedTable(target);
  return table[action][state];
}

async function must(o: Promise<Outcome>, status: number, what: string): Promise<Outcome> {
  const out = await o;
  assert.equal(out.status, status, `setup step "${what}" answered ${out.status} ${out.code ?? ""}`);
  return out;
}

/** Puts a fresh resource into `state` (A holds the lease where there is one). */
export async function enterState(r: Leasable, state: TableState, clock: FakeClock): Promise<void> {
  switch (state) {
    case "available":
      return;
    case "leased-infinite":
      await must(r.acquire(A, -1), 201, "acquire A infinite");
      return;
    case "leased-fixed":
      await must(r.acquire(A, 60), 201, "acquire A 60 s");
      return;
    case "breaking": {
      await must(r.acquire(A, -1), 201, "acquire A infinite");
      const out = await must(r.breakLease(30), 202, "break with period 30");
      assert.equal(out.header("x-ms-lease-time"), "30");
      return;
    }
    case "broken":
      await must(r.acquire(A, -1), 201, "acquire A infinite");
      await must(r.breakLease(), 202, "break");
      return;
    case "expired":
      await must(r.acquire(A, 15), 201, "acquire A 15 s");
      clock.advance(15_000);
      return;
  }
}

/** Asserts one response against its cell, then the lease facts and holder afterwards. */
export async function checkCell(
  r: Leasable,
  state: TableState,
  kind: Kind,
  out: Outcome,
  want: Expect,
): Promise<void> {
  const before = r.created;
  const label = `${out.status} ${out.code ?? ""}`;
  assert.equal(out.status, want.status, `status (got ${label})`);
  assert.equal(out.code, want.code, `error code (got ${label})`);
  if (want.badHeader) {
    const [name, value] = want.badHeader;
    assert.match(out.body ?? "", new RegExp(`<HeaderName>${name}</HeaderName>`), "HeaderName in the body");
    assert.match(
      out.body ?? "",
      new RegExp(`<HeaderValue>${value}</HeaderValue>`),
      "HeaderValue in the body",
    );
  }
  let holder = want.holder;
  const props = await r.props();
  // Leasing (and reading) never changes the resource's ETag or Last-Modified.
  if (kind !== "write") assert.deepEqual(props.stamp, before, "ETag/Last-Modified unchanged");
  if (kind === "lease") {
    // Lease responses report the resource's ETag and Last-Modified.
    if (want.status < 300) {
      assert.equal(out.header("etag"), before.etag, "ETag of the lease response");
      assert.equal(out.header("last-modified"), before.lastModified, "Last-Modified of the lease response");
      const leaseId = out.header("x-ms-lease-id");
      if (want.status === 201 || (want.status === 200 && want.after !== "available")) {
        if (holder === "new") {
          assert.match(leaseId ?? "", GUID_RE, "generated lease id");
          holder = leaseId;
        } else {
          assert.equal(leaseId, holder, "x-ms-lease-id");
        }
      } else if (want.status === 200) {
        assert.equal(leaseId, undefined, "no x-ms-lease-id on release");
      }
      if (want.status === 202) assert.equal(out.header("x-ms-lease-time"), String(want.leaseTime));
      else assert.equal(out.header("x-ms-lease-time"), undefined, "x-ms-lease-time only on break");
    }
  }
  const after = VIEWS[want.after ?? START_VIEW[state]];
  assert.deepEqual(props.facts, after, "lease facts afterwards");
  if (
    holder === undefined &&
    want.after === undefined &&
    (state === "leased-infinite" || state === "leased-fixed" || state === "breaking")
  ) {
    holder = A;
  }
  // A read carrying an id passes only if that id holds the lease (the "read with B" rows show the 412).
  if (holder !== undefined) {
    assert.equal((await r.read(holder)).status, 200, `a read with the holder's id ${holder} passes`);
  }
}

/** Registers one test per (state × action) cell. */
export function transitionTableTests(opts: {
  kit: () => LeasableKit;
  clock: FakeClock;
  profile: "extended" | "strict";
  states: TableState[];
}): void {
  for (const state of opts.states) {
    // Each cell has its own resource, so cells run concurrently — except from "expired", whose setup
    // moves the shared fake clock (which would age the fixed leases other cells just took).
    describe(`from ${state}`, { concurrency: state !== "expired" }, () => {
      for (const [name, action] of Object.entries(ACTIONS) as [ActionName, Action][]) {
        test(name, async () => {
          const kit = opts.kit();
          const want = expectedCell(kit.target, opts.profile, name, state);
          const r = await kit.fresh();
          await enterState(r, state, opts.clock);
          const out = await action.run(r);
          await checkCell(r, state, action.kind, out, want);
        });
      }
    });
  }
}
