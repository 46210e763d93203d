import type { LeaseAction } from "../../engine/lease-machine.js";
import { type LeaseOutcome, leaseFile, leaseShare } from "../../engine/leases.js";
import { httpDate } from "../../engine/times.js";
import { errors } from "../../errors/catalogue.js";
import type { RequestContext } from "../context.js";
import { intHeader, requiredHeader } from "../request-headers.js";
import { send } from "../respond.js";
import { addressOf } from "./node-headers.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function guidHeader(ctx: RequestContext, name: string): string {
  const value = requiredHeader(ctx, name);
  if (!GUID.test(value)) throw errors.invalidHeaderValue(name, value);
  return value;
}

/** Reads `x-ms-lease-action` and the headers that action needs. */
function parseLeaseAction(ctx: RequestContext): LeaseAction {
  const raw = requiredHeader(ctx, "x-ms-lease-action");
  switch (raw.toLowerCase()) {
    case "acquire": {
      const duration = intHeader(ctx, "x-ms-lease-duration");
      if (duration === undefined) throw errors.missingRequiredHeader("x-ms-lease-duration");
      const proposed = ctx.header("x-ms-proposed-lease-id");
      return {
        kind: "acquire",
        durationSeconds: duration,
        proposedId: proposed === undefined ? null : guidHeader(ctx, "x-ms-proposed-lease-id"),
      };
    }
    case "renew":
      return { kind: "renew", leaseId: guidHeader(ctx, "x-ms-lease-id") };
    case "change":
      return {
        kind: "change",
        leaseId: guidHeader(ctx, "x-ms-lease-id"),
        proposedId: guidHeader(ctx, "x-ms-proposed-lease-id"),
      };
    case "release":
      return { kind: "release", leaseId: guidHeader(ctx, "x-ms-lease-id") };
    case "break":
      return { kind: "break", breakPeriodSeconds: intHeader(ctx, "x-ms-lease-break-period") ?? null };
    default:
      throw errors.invalidHeaderValue("x-ms-lease-action", raw);
  }
}

const STATUS: Record<LeaseAction["kind"], number> = {
  acquire: 201,
  renew: 200,
  change: 200,
  release: 200,
  break: 202,
};

function respond(ctx: RequestContext, action: LeaseAction, outcome: LeaseOutcome): void {
  send(ctx, STATUS[action.kind], {
    etag: outcome.etag,
    "last-modified": httpDate(outcome.lastModified),
    ...(outcome.leaseId !== undefined ? { "x-ms-lease-id": outcome.leaseId } : {}),
    ...(outcome.leaseTimeSeconds !== undefined
      ? { "x-ms-lease-time": String(outcome.leaseTimeSeconds) }
      : {}),
  });
}

/** Lease Share. */
export async function handleLeaseShare(ctx: RequestContext): Promise<void> {
  const action = parseLeaseAction(ctx);
  const outcome = await leaseShare(
    ctx.deps.engine,
    ctx.target.account,
    ctx.target.share,
    ctx.query.get("sharesnapshot") ?? "",
    action,
  );
  respond(ctx, action, outcome);
}

/** Lease File. */
export async function handleLeaseFile(ctx: RequestContext): Promise<void> {
  const action = parseLeaseAction(ctx);
  respond(ctx, action, await leaseFile(ctx.deps.engine, addressOf(ctx), action));
}
