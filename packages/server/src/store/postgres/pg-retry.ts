/**
 * When a PostgreSQL transaction is worth running again: serialization failures and deadlocks are
 * the database asking for exactly that. Everything else is final.
 */

/** SQLSTATEs after which the whole transaction is retried. */
const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);

/** True when `err`, or an error it wraps through `cause`, carries a retryable SQLSTATE. */
export function isRetryable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === "object" && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_SQLSTATES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Milliseconds to wait before attempt `attempt + 1`: exponential with full jitter, capped. */
export function retryDelayMs(attempt: number): number {
  const cap = Math.min(250, 4 * 2 ** attempt);
  return Math.random() * cap;
}
