/**
 * The ISO-8601 forms Azure accepts in SAS times (`st`, `se`) and stored access policies:
 * `YYYY-MM-DD`, `YYYY-MM-DDThh:mm`, `YYYY-MM-DDThh:mm:ss` and `YYYY-MM-DDThh:mm:ss.fffffff`, each
 * with a `Z` or `±hh:mm` zone (a bare date is midnight UTC).
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Epoch ms of an ISO-8601 time in one of Azure's accepted forms, or null when it is not one. */
export function parseIso8601(value: string): number | null {
  const m = ISO_8601.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const month = Number(mo);
  const day = Number(d);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day
  )
    return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.padEnd(3, "0").slice(0, 3)}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}
