/** How the pipeline retries transient failures. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3, so at most 4 attempts). 0 disables retries. */
  maxRetries?: number;
  /** Base delay before the first retry in milliseconds (default 500); it doubles on each retry. */
  retryDelayMs?: number;
  /** Upper bound for one delay in milliseconds (default 30 000), also for `Retry-After`. */
  maxRetryDelayMs?: number;
  /**
   * Time limit for one attempt in milliseconds (default: none). An attempt that runs out is retried
   * like a network failure; the call's own `timeout` still bounds the whole call.
   */
  tryTimeoutMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export interface ResolvedRetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Base delay in milliseconds. */
  retryDelayMs: number;
  /** Upper bound for one delay in milliseconds. */
  maxRetryDelayMs: number;
  /** Per-attempt time limit in milliseconds, if any. */
  tryTimeoutMs: number | undefined;
}

/** Fills in the defaults and checks the values. */
export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  const resolved: ResolvedRetryOptions = {
    maxRetries: options?.maxRetries ?? 3,
    retryDelayMs: options?.retryDelayMs ?? 500,
    maxRetryDelayMs: options?.maxRetryDelayMs ?? 30_000,
    tryTimeoutMs: options?.tryTimeoutMs,
  };
  if (!Number.isInteger(resolved.maxRetries) || resolved.maxRetries < 0) {
    throw new RangeError("retry.maxRetries must be a non-negative integer.");
  }
  if (!(resolved.retryDelayMs >= 0) || !(resolved.maxRetryDelayMs >= 0)) {
    throw new RangeError("retry delays must be non-negative.");
  }
  if (resolved.tryTimeoutMs !== undefined && !(resolved.tryTimeoutMs > 0)) {
    throw new RangeError("retry.tryTimeoutMs must be positive.");
  }
  return resolved;
}

/**
 * Whether a response status is worth retrying: 408 Request Timeout, 429 Too Many Requests and 5xx
 * server errors, except 501 Not Implemented and 505 HTTP Version Not Supported, which no retry
 * can fix. Every other 4xx (lease conflicts 409/412 included) is final.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * The delay before retry number `retry` (1 for the first retry): exponential backoff
 * `retryDelayMs * 2^(retry-1)`, capped at `maxRetryDelayMs`, with "equal jitter" (a uniformly random
 * value between half and all of it). A `Retry-After` delay from the service raises the result to at
 * least that value, still capped.
 *
 * @param random - Source of randomness in [0, 1); injectable for tests.
 */
export function computeRetryDelay(
  retry: number,
  options: ResolvedRetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxRetryDelayMs, options.retryDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  const wanted = retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
  return Math.min(options.maxRetryDelayMs, wanted);
}

/**
 * Reads a `Retry-After` header (seconds, or an HTTP date) as milliseconds from `now`; `undefined`
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
