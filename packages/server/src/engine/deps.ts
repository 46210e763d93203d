import type { ContentStore } from "../content/content-store.js";
import type { MetadataStore } from "../store/transaction.js";
import type { Clock } from "./clock.js";
import type { LeaseProfile } from "./lease-machine.js";

/** What every engine operation works with. */
export interface EngineDeps {
  store: MetadataStore;
  content: ContentStore;
  clock: Clock;
  /** "extended" (default) or "strict" (exactly Azure). */
  profile: LeaseProfile;
  /** Makes new lease ids (random UUIDs in production). */
  newLeaseId: () => string;
}
