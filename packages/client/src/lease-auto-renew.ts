import { ShareError } from "./pipeline/errors.js";

/** Options for keeping a fixed-duration lease alive. */
export interface AutoRenewOptions {
  /**
   * Called once if the lease is lost: a renewal was refused (e.g. the lease was broken or
   * changed by someone else) or no renewal succeeded before the lease expired. The same error also
   * aborts {@link ShareLeaseClient.signal} and rejects the lease client's next call.
   */
  onLost?: ((error: ShareError) => void) | undefined;
  /**
   * Milliseconds between renewals. Default: a third of the lease duration, which leaves time for two
   * more attempts before the lease would expire. Must be shorter than the duration.
   */
  intervalMs?: number | undefined;
}

/** One renewal: sends Renew Lease with a time limit in seconds. */
export type RenewOnce = (timeoutSeconds: number) => Promise<void>;

/**
 * Renews a fixed-duration lease on a timer until stopped. A refusal from the service (a 4xx other
 * than 408/429) is a loss at once; transient failures (network, timeouts, 5xx after the pipeline's
 * own retries) are retried sooner while the lease is still valid, and become a loss when it expires.
 * Timers are unref'd: auto-renewal alone does not keep the process alive.
 */
export class LeaseAutoRenewer {
  readonly #renewOnce: RenewOnce;
  readonly #durationMs: number;
  readonly #intervalMs: number;
  readonly #onLost: (error: ShareError) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expiresAt = 0;
  #generation = 0;
  #running = false;

  /**
   * @param renewOnce - Sends one renewal.
   * @param durationSeconds - The lease duration (15–60).
   * @param intervalMs - Time between renewals, or `undefined` for a third of the duration.
   * @param onLost - Called once when the lease is lost.
   */
  constructor(
    renewOnce: RenewOnce,
    durationSeconds: number,
    intervalMs: number | undefined,
    onLost: (error: ShareError) => void,
  ) {
    this.#renewOnce = renewOnce;
    this.#durationMs = durationSeconds * 1000;
    this.#intervalMs = intervalMs ?? Math.floor(this.#durationMs / 3);
    if (!(this.#intervalMs > 0 && this.#intervalMs < this.#durationMs)) {
      throw new RangeError("autoRenew.intervalMs must be positive and shorter than the lease duration.");
    }
    this.#onLost = onLost;
  }

  /** True while renewing. */
  get running(): boolean {
    return this.#running;
  }

  /** Starts (or restarts) renewing, counting the lease as renewed at `renewedAt` (ms since epoch). */
  start(renewedAt: number): void {
    this.#running = true;
    this.renewed(renewedAt);
  }

  /** Tells the renewer the lease was renewed (or acquired) at `renewedAt`; reschedules from there. */
  renewed(renewedAt: number): void {
    if (!this.#running) return;
    this.#generation++;
    this.#expiresAt = renewedAt + this.#durationMs;
    this.#schedule(Math.max(0, renewedAt + this.#intervalMs - Date.now()));
  }

  /** Ignores the outcome of a renewal already in flight (e.g. because the lease id is changing). */
  invalidateInFlight(): void {
    this.#generation++;
  }

  /** Stops renewing; a renewal in flight is ignored. */
  stop(): void {
    this.#running = false;
    this.#generation++;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const generation = this.#generation;
    this.#timer = setTimeout(() => void this.#tick(generation), delayMs);
    this.#timer.unref?.();
  }

  async #tick(generation: number): Promise<void> {
    if (!this.#running || generation !== this.#generation) return;
    this.#timer = undefined;
    const startedAt = Date.now();
    const remainingSeconds = Math.max(1, Math.ceil((this.#expiresAt - startedAt) / 1000));
    try {
      await this.#renewOnce(remainingSeconds);
      if (!this.#running || generation !== this.#generation) return;
      this.renewed(startedAt);
    } catch (error) {
      if (!this.#running || generation !== this.#generation) return;
      const now = Date.now();
      if (isRefusal(error) || now >= this.#expiresAt) {
        this.stop();
        this.#onLost(asShareError(error, now >= this.#expiresAt));
        return;
      }
      const remaining = this.#expiresAt - now;
      this.#schedule(Math.min(this.#intervalMs, Math.max(250, Math.floor(remaining / 3))));
    }
  }
}

/** A definite answer from the service that the lease cannot be renewed. */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof ShareError)) return true;
  if (error.kind !== "service" || error.statusCode === undefined) return false;
  return (
    error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 408 && error.statusCode !== 429
  );
}

function asShareError(error: unknown, expired: boolean): ShareError {
  if (error instanceof ShareError && !expired) return error;
  return new ShareError({
    kind: error instanceof ShareError ? error.kind : "client",
    message: expired
      ? "The lease expired: no renewal succeeded within its duration."
      : `The lease could not be renewed: ${String(error)}`,
    errorCode: error instanceof ShareError ? error.errorCode : undefined,
    statusCode: error instanceof ShareError ? error.statusCode : undefined,
    headers: error instanceof ShareError ? error.headers : undefined,
    cause: error,
  });
}
