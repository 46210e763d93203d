import { errors } from "../../errors/catalogue.js";

/** The oldest signed version (`sv`) this server accepts: the first with account SAS, sip and spr. */
export const OLDEST_SAS_VERSION = "2015-04-05";

/** One string-to-sign layout: the fields, in order, of every `sv` from `since` up to the next layout. */
export interface SasLayout<F extends string> {
  /** First signed version using this layout (YYYY-MM-DD, compared as text). */
  since: string;
  fields: readonly F[];
}

/**
 * The layout for `sv` from a list ordered newest first. Versions newer than any known use the
 * newest layout; versions before OLDEST_SAS_VERSION or not of the form YYYY-MM-DD get 403
 * AuthenticationFailed.
 */
export function layoutFor<F extends string>(layouts: readonly SasLayout<F>[], sv: string): SasLayout<F> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(sv))
    throw errors.authenticationFailed(`sv '${sv}' is not a valid version.`);
  const layout = layouts.find((l) => sv >= l.since);
  if (!layout || sv < OLDEST_SAS_VERSION)
    throw errors.authenticationFailed(
      `sv '${sv}' is not supported; shared access signatures need version ${OLDEST_SAS_VERSION} or later.`,
    );
  return layout;
}
