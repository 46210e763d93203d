import { randomUUID } from "node:crypto";
import { sendRequest } from "./client-context.js";
import { INFINITE_LEASE_DURATION } from "./constants.js";
import type { ShareFileClient } from "./file-client.js";
import { type AutoRenewOptions, LeaseAutoRenewer } from "./lease-auto-renew.js";
import { type LeaseTarget, leaseTargetOf } from "./lease-target.js";
import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import type { PipelineResponse } from "./pipeline/request.js";
import { dateHeader, header, intHeader } from "./response-headers.js";
import type { ShareClient } from "./share-client.js";

/** Options for {@link ShareLeaseClient.acquire}. */
export interface LeaseAcquireOptions extends CallOptions {
  /**
   * Seconds: -1 (default) for a lease that never expires, or 15–60 for a fixed lease. Azure grants
   * fixed leases on shares only; Sharelock's default profile grants them on files too.
   */
  leaseDuration?: number | undefined;
  /**
   * Keep a fixed lease alive until it is released or the lease client is disposed: `true`, or
   * options with an `onLost` callback. Ignored for infinite leases, which need no renewal.
   */
  autoRenew?: boolean | AutoRenewOptions | undefined;
}

/** Options for {@link ShareLeaseClient.breakLease}. */
export interface LeaseBreakOptions extends CallOptions {
  /**
   * Seconds (0–60) to let the lease run before it breaks. When omitted, the lease breaks at once
   * (`x-ms-lease-break-period: 0` is sent).
   */
  leaseBreakPeriod?: number | undefined;
}

/**
 * Manages the lease on a share or a file: acquire, renew, release, change, break. The lease id is
 * {@link ShareLeaseClient.id}; pass it as `leaseId` to operations on the leased resource.
 *
 * `await using` releases the lease when the scope ends (the seed's context manager):
 *
 * ```ts
 * await using lease = await file.acquireLease({ leaseDuration: 30, autoRenew: true });
 * await file.uploadFile(data, { leaseId: lease.id });
 * // released here, even if the upload threw
 * ```
 *
 * With auto-renewal on, a lost lease is reported, not swallowed: `onLost` is called,
 * {@link ShareLeaseClient.signal} aborts, and the next call on this lease client (including the
 * release at scope exit) rejects with the error once.
 */
export class ShareLeaseClient implements AsyncDisposable {
  readonly #target: LeaseTarget;
  #id: string;
  #etag: string | undefined;
  #lastModified: Date | undefined;
  #duration: number | undefined;
  #held = false;
  #renewer: LeaseAutoRenewer | undefined;
  #unreportedLoss: ShareError | undefined;
  #lostError: ShareError | undefined;
  #lostController = new AbortController();

  /**
   * @param client - The share or file to lease.
   * @param leaseId - An existing lease id to manage, or the id to propose when acquiring. Default: a
   *   new random UUID.
   * @throws TypeError when `client` is neither a {@link ShareClient} nor a {@link ShareFileClient}.
   */
  constructor(client: ShareClient | ShareFileClient, leaseId?: string) {
    this.#target = leaseTargetOf(client);
    this.#id = leaseId ?? randomUUID();
  }

  /** The lease id: the proposed id before acquiring, the granted id afterwards (kept after release). */
  get id(): string {
    return this.#id;
  }

  /** The ETag from the last lease operation. */
  get etag(): string | undefined {
    return this.#etag;
  }

  /** The last-modified time from the last lease operation. */
  get lastModified(): Date | undefined {
    return this.#lastModified;
  }

  /** The duration of the last acquire in seconds (-1 for infinite), if this client acquired it. */
  get leaseDuration(): number | undefined {
    return this.#duration;
  }

  /** True from a successful acquire, renew or change until release, break or loss. */
  get isHeld(): boolean {
    return this.#held;
  }

  /** True while auto-renewal is running. */
  get isAutoRenewing(): boolean {
    return this.#renewer?.running ?? false;
  }

  /** The error that lost the lease, if auto-renewal lost it (cleared by the next acquire). */
  get lostError(): ShareError | undefined {
    return this.#lostError;
  }

  /**
   * Aborts when auto-renewal loses the lease (its `reason` is the error). Pass it to work done under
   * the lease so that work stops when exclusivity is gone. A new signal is made by the next acquire.
   */
  get signal(): AbortSignal {
    return this.#lostController.signal;
  }

  /**
   * Requests the lease, proposing {@link ShareLeaseClient.id}. Acquiring again with the same id
   * succeeds and may change the duration.
   * The service checks the duration (Azure: -1 or 15–60 on shares, -1 only on files); this client
   * only refuses values that are not integers, so the service's own error reaches the caller.
   * @returns This lease client, so `await using lease = await new ShareLeaseClient(file).acquire()` works.
   * @throws TypeError for a non-integer duration.
   */
  async acquire(options: LeaseAcquireOptions = {}): Promise<this> {
    this.#reportLoss();
    const duration = options.leaseDuration ?? INFINITE_LEASE_DURATION;
    if (!Number.isInteger(duration))
      throw new TypeError("leaseDuration must be an integer number of seconds.");
    const startedAt = Date.now();
    this.#renewer?.invalidateInFlight();
    const response = await this.#send(
      "acquire",
      { "x-ms-lease-duration": String(duration), "x-ms-proposed-lease-id": this.#id },
      options,
    );
    this.#id = header(response.headers, "x-ms-lease-id") ?? this.#id;
    this.#held = true;
    this.#duration = duration;
    this.#lostError = undefined;
    if (this.#lostController.signal.aborted) this.#lostController = new AbortController();

    const autoRenew = options.autoRenew;
    if (duration === INFINITE_LEASE_DURATION) {
      this.stopAutoRenew();
    } else if (autoRenew) {
      this.#startRenewer(autoRenew === true ? {} : autoRenew, startedAt);
    } else {
      this.#renewer?.renewed(startedAt);
    }
    return this;
  }

  /**
   * Renews the lease, restarting its duration clock. Azure renews share leases only; Sharelock
   * renews file leases too (the service answers otherwise).
   */
  async renew(options: CallOptions = {}): Promise<void> {
    this.#reportLoss();
    await this.#renewNow(options);
  }

  /** Releases the lease; the resource is free at once. Stops auto-renewal first. */
  async release(options: CallOptions = {}): Promise<void> {
    this.#reportLoss();
    this.stopAutoRenew();
    await this.#send("release", { "x-ms-lease-id": this.#id }, options);
    this.#held = false;
  }

  /**
   * Changes the lease id of the active lease to `proposedLeaseId`; {@link ShareLeaseClient.id}
   * becomes the new id.
   * @throws TypeError for an empty id.
   */
  async change(proposedLeaseId: string, options: CallOptions = {}): Promise<void> {
    this.#reportLoss();
    if (!proposedLeaseId) throw new TypeError("change() needs a proposed lease id.");
    this.#renewer?.invalidateInFlight();
    const startedAt = Date.now();
    const response = await this.#send(
      "change",
      { "x-ms-lease-id": this.#id, "x-ms-proposed-lease-id": proposedLeaseId },
      options,
    );
    this.#id = header(response.headers, "x-ms-lease-id") ?? proposedLeaseId;
    this.#held = true;
    this.#renewer?.renewed(startedAt);
  }

  /**
   * Breaks the lease, whoever holds it (no lease id is needed).
   * @returns Seconds until the lease is broken; 0 when it broke at once (also when the service
   *   does not send `x-ms-lease-time`).
   * @throws TypeError for a period that is not an integer (the service checks the 0–60 range).
   */
  async breakLease(options: LeaseBreakOptions = {}): Promise<number> {
    this.#reportLoss();
    const period = options.leaseBreakPeriod;
    if (period !== undefined && !Number.isInteger(period)) {
      throw new TypeError("leaseBreakPeriod must be an integer number of seconds.");
    }
    let response: PipelineResponse;
    try {
      response = await this.#send("break", { "x-ms-lease-break-period": String(period ?? 0) }, options);
    } catch (error) {
      // Azure documents no break period for file leases (they always break at once). If a service
      // refuses the implicit period 0, break again without it: the result is the same.
      if (period !== undefined || this.#target.kind !== "file" || !refusesBreakPeriod(error)) throw error;
      response = await this.#send("break", {}, options);
    }
    this.stopAutoRenew();
    this.#held = false;
    return intHeader(response.headers, "x-ms-lease-time") ?? 0;
  }

  /**
   * Starts renewing a fixed lease acquired by this client at a safe fraction of its duration (see
   * {@link AutoRenewOptions}). Does nothing for an infinite lease.
   * @throws TypeError when this client has not acquired a lease.
   */
  startAutoRenew(options: AutoRenewOptions = {}): void {
    if (this.#duration === undefined || !this.#held) {
      throw new TypeError("Acquire the lease with this lease client before starting auto-renewal.");
    }
    if (this.#duration === INFINITE_LEASE_DURATION) return;
    this.#startRenewer(options, Date.now());
  }

  /** Stops auto-renewal; the lease then runs out after its duration unless renewed. */
  stopAutoRenew(): void {
    this.#renewer?.stop();
    this.#renewer = undefined;
  }

  /** A plain summary for logging: id, etag, last-modified, duration, held and auto-renewing flags. */
  toJSON(): {
    id: string;
    etag: string | undefined;
    lastModified: Date | undefined;
    leaseDuration: number | undefined;
    isHeld: boolean;
    isAutoRenewing: boolean;
  } {
    return {
      id: this.#id,
      etag: this.#etag,
      lastModified: this.#lastModified,
      leaseDuration: this.#duration,
      isHeld: this.#held,
      isAutoRenewing: this.isAutoRenewing,
    };
  }

  /**
   * Releases the lease if this client holds it, after stopping auto-renewal. If auto-renewal lost
   * the lease and no call has reported that yet, rejects with the loss instead.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.stopAutoRenew();
    this.#reportLoss();
    if (this.#held) await this.release();
  }

  #startRenewer(options: AutoRenewOptions, renewedAt: number): void {
    this.stopAutoRenew();
    const duration = this.#duration;
    if (duration === undefined || duration === INFINITE_LEASE_DURATION) return;
    const renewer = new LeaseAutoRenewer(
      (timeoutSeconds) => this.#renewNow({ timeout: timeoutSeconds }, false),
      duration,
      options.intervalMs,
      (error) => this.#lose(error, options.onLost),
    );
    this.#renewer = renewer;
    renewer.start(renewedAt);
  }

  async #renewNow(options: CallOptions, reschedule = true): Promise<void> {
    const startedAt = Date.now();
    const response = await this.#send("renew", { "x-ms-lease-id": this.#id }, options);
    this.#id = header(response.headers, "x-ms-lease-id") ?? this.#id;
    this.#held = true;
    if (reschedule) this.#renewer?.renewed(startedAt);
  }

  #lose(error: ShareError, onLost: ((error: ShareError) => void) | undefined): void {
    this.#renewer = undefined;
    this.#held = false;
    this.#lostError = error;
    this.#unreportedLoss = error;
    this.#lostController.abort(error);
    onLost?.(error);
  }

  /** Rejects (once) with a loss that no call has reported yet. */
  #reportLoss(): void {
    const loss = this.#unreportedLoss;
    if (loss) {
      this.#unreportedLoss = undefined;
      throw loss;
    }
  }

  async #send(
    action: string,
    extra: Record<string, string>,
    options: CallOptions,
  ): Promise<PipelineResponse> {
    const headers = new Headers({ "x-ms-lease-action": action, ...extra });
    const query =
      this.#target.kind === "share"
        ? { restype: "share", comp: "lease", sharesnapshot: this.#target.snapshot }
        : { comp: "lease", sharesnapshot: this.#target.snapshot };
    const response = await sendRequest(
      this.#target.context,
      { method: "PUT", segments: this.#target.segments, query, headers },
      options,
      "none",
    );
    this.#etag = header(response.headers, "etag") ?? this.#etag;
    this.#lastModified = dateHeader(response.headers, "last-modified") ?? this.#lastModified;
    return response;
  }
}

function refusesBreakPeriod(error: unknown): boolean {
  return (
    error instanceof ShareError &&
    error.statusCode === 400 &&
    (error.details.HeaderName ?? "").toLowerCase() === "x-ms-lease-break-period"
  );
}
