/**
 * The lease state machine of files and shares: one pure module, (stored lease, action, now) → (new stored
 * lease | StorageError). No I/O, no timers, no `Date.now()`: time comes only from the `now` argument, and
 * "expired" / "broken by time" are computed from the stored timestamps on every call.
 *
 * Spec: /work/shared/reference/lease-and-auth-semantics.md §3. Decisions where the sources are silent:
 *
 * | Question | Choice |
 * |---|---|
 * | When does a fixed lease expire / a break complete? | At `now >= expiresAt` / `now >= breakAt` (the boundary ms belongs to the new state). |
 * | `duration` in the view | Only while `leased` (Azure sends `x-ms-lease-duration` only then; none while breaking, broken or expired). |
 * | `x-ms-lease-time` on a break | `floor(ms until broken / 1000)`: Azure sent 14 for a 15 s lease broken a moment after acquiring. 0 for immediate breaks; a wait under 1 s also reports 0 but the lease is Breaking for that fraction. |
 * | Re-break while Breaking | No period: unchanged. Period p: `min(p, left)`, so it can only shorten; p = 0 → Broken now. |
 * | Change while Breaking | Either id matching the lease → 409 LeaseIsBreakingAndCannotBeChanged; neither → 409 LeaseIdMismatchWithLeaseOperation. |
 * | Change on Broken / Expired / Available | 409 LeaseNotPresentWithLeaseOperation whatever the ids. |
 * | Release on Available | 409 LeaseIdMismatchWithLeaseOperation (Azurite's answer; real code unverified). |
 * | Write/read with an id on Expired | 412 LeaseLost (whatever the id): Azure's message for LeaseLost is exactly "a lease ID was specified, but the lease … has expired". |
 * | Write/read with an id on Broken / Available | 412 LeaseNotPresentWith{File,Container}Operation (whatever the id). |
 * | Write/delete without an id on Broken / Expired | Succeeds. A file normalises to Available (id cleared, like a blob write; so a later renew of the expired id fails); a share keeps its Broken/Expired lease. |
 * | Lease id format | A GUID in 8-4-4-4-12 form, compared case-insensitively; anything else → 400 InvalidHeaderValue. An empty id is "missing" (400 MissingRequiredHeader for lease actions, absent for checkWrite/checkRead). |
 * | Spelling of a stored id | A newly taken id is stored as the client spelled it; an id that matches the one already held keeps the stored spelling, and responses carry the stored spelling. |
 * | Strict profile, file | Duration only -1; `renew` → 400 InvalidHeaderValue (x-ms-lease-action, renew); any break period → 400 InvalidHeaderValue (x-ms-lease-break-period); breaks are immediate. Shares behave the same in both profiles. |
 * | Validation order | 400s (action, durations, periods, id formats) before any state check. |
 */
import { errors, type LeaseTarget } from "../errors/catalogue.js";
import type { StorageError } from "../errors/storage-error.js";
import type { LeaseRecord } from "../store/records.js";

/** `extended` (default): files take everything shares take. `strict`: exactly Azure (file leases infinite only). */
export type LeaseProfile = "extended" | "strict";

/** One `comp=lease` request, its headers already parsed. Seconds are whole numbers as sent. */
export type LeaseAction =
  | { kind: "acquire"; proposedId: string | null; durationSeconds: number }
  | { kind: "renew"; leaseId: string }
  | { kind: "change"; leaseId: string; proposedId: string }
  | { kind: "release"; leaseId: string }
  | { kind: "break"; breakPeriodSeconds: number | null };

/** The lease state as reported on the wire (`x-ms-lease-state`). */
export type ComputedLeaseState = "available" | "leased" | "expired" | "breaking" | "broken";

/** What `x-ms-lease-state`, `x-ms-lease-status` and `x-ms-lease-duration` report, plus the held id. */
export interface LeaseView {
  state: ComputedLeaseState;
  status: "locked" | "unlocked";
  /** Present only while `leased`. */
  duration?: "infinite" | "fixed";
  /** The current or last lease id (kept on expired/broken leases); null when available. */
  id: string | null;
}

/** Everything an action needs besides the record. */
export interface LeaseContext {
  /** Epoch ms. */
  now: number;
  target: LeaseTarget;
  profile: LeaseProfile;
  /** Makes a lease id when acquire has no proposed id; called only then. */
  newId: () => string;
}

/** The result of a successful lease action. */
export interface LeaseOutcome {
  /** The record to store. */
  lease: LeaseRecord;
  /** For the `x-ms-lease-id` response header (acquire, renew, change). */
  leaseId?: string;
  /** For the `x-ms-lease-time` response header (break). */
  leaseTimeSeconds?: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BREAK_PERIOD = 60;

const available = (): LeaseRecord => ({
  id: null,
  state: "available",
  durationSeconds: -1,
  expiresAt: null,
  breakAt: null,
});

interface Settled {
  /** The record with time-driven changes that can be stored made (breaking past breakAt → broken). */
  rec: LeaseRecord;
  state: ComputedLeaseState;
  /** The held id; null only when available. */
  id: string | null;
}

/** Computes the current state from the stored record and the clock. */
function settle(rec: LeaseRecord, now: number): Settled {
  if (rec.state === "available") return { rec, state: "available", id: null };
  if (rec.id === null) return { rec: available(), state: "available", id: null };
  switch (rec.state) {
    case "leased": {
      const expired = rec.durationSeconds >= 0 && rec.expiresAt !== null && now >= rec.expiresAt;
      return { rec, state: expired ? "expired" : "leased", id: rec.id };
    }
    case "breaking":
      if (rec.breakAt !== null && now < rec.breakAt) return { rec, state: "breaking", id: rec.id };
      return { rec: broken(rec, rec.id), state: "broken", id: rec.id };
    case "broken":
      return { rec, state: "broken", id: rec.id };
  }
}

function broken(rec: LeaseRecord, id: string): LeaseRecord {
  return { id, state: "broken", durationSeconds: rec.durationSeconds, expiresAt: null, breakAt: null };
}

function leased(id: string, durationSeconds: number, now: number): LeaseRecord {
  return {
    id,
    state: "leased",
    durationSeconds,
    expiresAt: durationSeconds < 0 ? null : now + durationSeconds * 1000,
    breakAt: null,
  };
}

function sameId(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

/** The id to store for `proposed`: the held spelling when it names the held lease, else as the client sent it. */
function spelling(proposed: string, held: string | null): string {
  return held !== null && sameId(proposed, held) ? held : proposed;
}

/** The lease as the wire reports it at `now`. */
export function leaseView(rec: LeaseRecord, now: number): LeaseView {
  const s = settle(rec, now);
  const locked = s.state === "leased" || s.state === "breaking";
  const view: LeaseView = { state: s.state, status: locked ? "locked" : "unlocked", id: s.id };
  if (s.state === "leased") view.duration = rec.durationSeconds < 0 ? "infinite" : "fixed";
  return view;
}

/**
 * Applies a Lease File / Lease Share action at `ctx.now`.
 * @throws StorageError 400 for invalid header values (profile-dependent), 409 per the transition table.
 */
export function applyLeaseAction(rec: LeaseRecord, action: LeaseAction, ctx: LeaseContext): LeaseOutcome {
  validate(action, ctx);
  const { target, now } = ctx;
  const s = settle(rec, now);
  switch (action.kind) {
    case "acquire": {
      if (s.state === "leased") {
        if (!sameId(action.proposedId, s.id)) throw errors.leaseAlreadyPresent();
      } else if (s.state === "breaking") {
        throw sameId(action.proposedId, s.id)
          ? errors.leaseIsBreakingAndCannotBeAcquired()
          : errors.leaseAlreadyPresent();
      }
      const id = action.proposedId === null ? ctx.newId() : spelling(action.proposedId, s.id);
      return { lease: leased(id, action.durationSeconds, now), leaseId: id };
    }
    case "renew": {
      if (s.id === null || !sameId(action.leaseId, s.id)) {
        throw errors.leaseIdMismatchWithLeaseOperation(target);
      }
      if (s.state === "breaking" || s.state === "broken") throw errors.leaseIsBrokenAndCannotBeRenewed();
      return { lease: leased(s.id, s.rec.durationSeconds, now), leaseId: s.id };
    }
    case "change": {
      if (s.id === null || s.state === "broken" || s.state === "expired") {
        throw errors.leaseNotPresentWithLeaseOperation(target);
      }
      const matches = sameId(action.leaseId, s.id) || sameId(action.proposedId, s.id);
      if (!matches) throw errors.leaseIdMismatchWithLeaseOperation(target);
      if (s.state === "breaking") throw errors.leaseIsBreakingAndCannotBeChanged();
      const id = spelling(action.proposedId, s.id);
      return { lease: { ...s.rec, id }, leaseId: id };
    }
    case "release": {
      if (s.id === null || !sameId(action.leaseId, s.id)) {
        throw errors.leaseIdMismatchWithLeaseOperation(target);
      }
      return { lease: available() };
    }
    case "break":
      return breakLease(s, action.breakPeriodSeconds, ctx);
  }
}

function breakLease(s: Settled, periodSeconds: number | null, ctx: LeaseContext): LeaseOutcome {
  if (s.id === null) throw errors.leaseNotPresentWithLeaseOperation(ctx.target);
  const immediate = ctx.profile === "strict" && ctx.target === "file";
  // ms until the lease would end by itself while still locked; Infinity for an infinite lease.
  let left = 0;
  if (s.state === "leased") {
    left = s.rec.expiresAt === null ? Number.POSITIVE_INFINITY : s.rec.expiresAt - ctx.now;
  } else if (s.state === "breaking" && s.rec.breakAt !== null) {
    left = s.rec.breakAt - ctx.now;
  }
  let wait: number;
  if (immediate || left === 0) wait = 0;
  else if (periodSeconds !== null) wait = Math.min(periodSeconds * 1000, left);
  else wait = left === Number.POSITIVE_INFINITY ? 0 : left;
  if (wait <= 0) return { lease: broken(s.rec, s.id), leaseTimeSeconds: 0 };
  const lease: LeaseRecord = {
    id: s.id,
    state: "breaking",
    durationSeconds: s.rec.durationSeconds,
    expiresAt: null,
    breakAt: ctx.now + wait,
  };
  return { lease, leaseTimeSeconds: Math.floor(wait / 1000) };
}

function validate(action: LeaseAction, ctx: LeaseContext): void {
  const strictFile = ctx.profile === "strict" && ctx.target === "file";
  switch (action.kind) {
    case "acquire": {
      const d = action.durationSeconds;
      const ok = Number.isInteger(d) && (d === -1 || (!strictFile && d >= 15 && d <= 60));
      if (!ok) throw errors.invalidHeaderValue("x-ms-lease-duration", String(d));
      if (action.proposedId !== null) requireId("x-ms-proposed-lease-id", action.proposedId);
      return;
    }
    case "renew":
      if (strictFile) throw errors.invalidHeaderValue("x-ms-lease-action", "renew");
      requireId("x-ms-lease-id", action.leaseId);
      return;
    case "change":
      requireId("x-ms-lease-id", action.leaseId);
      requireId("x-ms-proposed-lease-id", action.proposedId);
      return;
    case "release":
      requireId("x-ms-lease-id", action.leaseId);
      return;
    case "break": {
      const p = action.breakPeriodSeconds;
      if (p === null) return;
      if (strictFile || !Number.isInteger(p) || p < 0 || p > MAX_BREAK_PERIOD) {
        throw errors.invalidHeaderValue("x-ms-lease-break-period", String(p));
      }
      return;
    }
  }
}

function requireId(header: string, value: string): void {
  if (value === "") throw errors.missingRequiredHeader(header);
  if (!GUID.test(value)) throw errors.invalidHeaderValue(header, value);
}

/** The `x-ms-lease-id` of a data request: undefined or "" mean none; anything else must be a GUID. */
function headerId(leaseIdHeader: string | undefined): string | null {
  if (leaseIdHeader === undefined || leaseIdHeader === "") return null;
  if (!GUID.test(leaseIdHeader)) throw errors.invalidHeaderValue("x-ms-lease-id", leaseIdHeader);
  return leaseIdHeader;
}

/** The 412 for a lease id sent to a resource whose lease is not locked. */
function unlockedWithId(state: ComputedLeaseState, target: LeaseTarget): StorageError {
  return state === "expired" ? errors.leaseLost(target) : errors.leaseNotPresentWithOperation(target);
}

/**
 * Gate for a write or delete on a file or a share "set" operation.
 * @returns the lease record to store afterwards (a file write clears a broken/expired lease).
 * @throws StorageError 412 LeaseIdMissing / LeaseIdMismatchWith…Operation / LeaseNotPresentWith…Operation /
 * LeaseLost, or 400 InvalidHeaderValue for a malformed id.
 */
export function checkWrite(
  rec: LeaseRecord,
  now: number,
  leaseIdHeader: string | undefined,
  target: LeaseTarget,
): LeaseRecord {
  const id = headerId(leaseIdHeader);
  const s = settle(rec, now);
  if (s.state === "leased" || s.state === "breaking") {
    if (id === null) throw errors.leaseIdMissing(target);
    if (!sameId(id, s.id)) throw errors.leaseIdMismatchWithOperation(target);
    return s.rec;
  }
  if (id !== null) throw unlockedWithId(s.state, target);
  if (target === "file" && s.state !== "available") return available();
  return s.rec;
}

/**
 * Gate for a read (Get File, Get Properties, Get Share ACL, …): no id always passes; a supplied id is a
 * condition that must name the locked lease.
 * @throws StorageError 412 LeaseIdMismatchWith…Operation / LeaseNotPresentWith…Operation / LeaseLost, or 400.
 */
export function checkRead(
  rec: LeaseRecord,
  now: number,
  leaseIdHeader: string | undefined,
  target: LeaseTarget,
): void {
  const id = headerId(leaseIdHeader);
  if (id === null) return;
  const s = settle(rec, now);
  if (s.state === "leased" || s.state === "breaking") {
    if (!sameId(id, s.id)) throw errors.leaseIdMismatchWithOperation(target);
    return;
  }
  throw unlockedWithId(s.state, target);
}
