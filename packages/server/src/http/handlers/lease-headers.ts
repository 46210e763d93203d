import { leaseView } from "../../engine/lease-machine.js";
import type { LeaseRecord } from "../../store/records.js";

/** `x-ms-lease-status/state/duration` headers (duration only while the lease holds). */
export function leaseHeaders(lease: LeaseRecord, now: number): Record<string, string> {
  const view = leaseView(lease, now);
  return {
    "x-ms-lease-status": view.status,
    "x-ms-lease-state": view.state,
    ...(view.duration ? { "x-ms-lease-duration": view.duration } : {}),
  };
}

/** The same facts as List Shares `<Properties>` children. */
export function leaseListProperties(lease: LeaseRecord, now: number): Record<string, string> {
  const view = leaseView(lease, now);
  return {
    LeaseStatus: view.status,
    LeaseState: view.state,
    ...(view.duration ? { LeaseDuration: view.duration } : {}),
  };
}
