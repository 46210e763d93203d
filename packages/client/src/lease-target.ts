import type { ClientContext } from "./client-context.js";

/** What a lease client needs to know about the share or file it leases. */
export interface LeaseTarget {
  /** Share leases use `?restype=share&comp=lease`, file leases `?comp=lease`. */
  readonly kind: "share" | "file";
  /** The context of the client the lease was made for. */
  readonly context: ClientContext;
  /** `[share]` or `[share, ...path]`. */
  readonly segments: readonly string[];
  /** The share snapshot, for a lease on a snapshot. */
  readonly snapshot: string | undefined;
}

const targets = new WeakMap<object, LeaseTarget>();

/** Records that `client` can be leased (share and file clients call this in their constructors). */
export function registerLeaseTarget(client: object, target: LeaseTarget): void {
  targets.set(client, target);
}

/**
 * The lease target of a share or file client.
 * @throws TypeError for anything else (directories cannot be leased).
 */
export function leaseTargetOf(client: object): LeaseTarget {
  const target = targets.get(client);
  if (!target) throw new TypeError("ShareLeaseClient needs a ShareClient or a ShareFileClient.");
  return target;
}
