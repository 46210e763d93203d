/**
 * What stops one attempt of a request: the caller's abort signal, the call's deadline and the
 * per-attempt timeout. Remembers which of the timers fired.
 *
 * Without a deadline or a per-attempt timeout (the usual case) nothing is created: the caller's
 * signal, if any, is handed to the transport as it is. Only when a timer is needed does the attempt
 * get an `AbortController` of its own, fired by the timers and by the caller's signal.
 */
export class AttemptControl {
  readonly #callerSignal: AbortSignal | undefined;
  readonly #controller: AbortController | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  #timers: Array<ReturnType<typeof setTimeout>> = [];
  /** True once the per-attempt timeout fired. */
  tryTimedOut = false;
  /** True once the call's deadline fired. */
  deadlineHit = false;

  constructor(
    callerSignal: AbortSignal | undefined,
    deadline: number | undefined,
    tryTimeoutMs: number | undefined,
  ) {
    this.#callerSignal = callerSignal;
    if (deadline === undefined && tryTimeoutMs === undefined) return;
    const controller = new AbortController();
    this.#controller = controller;
    if (callerSignal) {
      if (callerSignal.aborted) controller.abort(callerSignal.reason);
      else {
        this.#onCallerAbort = () => controller.abort(callerSignal.reason);
        callerSignal.addEventListener("abort", this.#onCallerAbort, { once: true });
      }
    }
    if (deadline !== undefined) {
      this.#timers.push(
        setTimeout(
          () => {
            this.deadlineHit = true;
            controller.abort();
          },
          Math.max(0, deadline - Date.now()),
        ),
      );
    }
    if (tryTimeoutMs !== undefined) {
      this.#timers.push(
        setTimeout(() => {
          this.tryTimedOut = true;
          controller.abort();
        }, tryTimeoutMs),
      );
    }
  }

  /** The signal handed to the transport (`undefined` when nothing can stop the attempt). */
  get signal(): AbortSignal | undefined {
    return this.#controller?.signal ?? this.#callerSignal;
  }

  /** True when the attempt listens to the caller's signal (and {@link dispose} stops that). */
  get followsCaller(): boolean {
    return this.#onCallerAbort !== undefined;
  }

  /** Stops the timers but keeps following the caller's signal (used for streamed bodies). */
  releaseTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }

  /** Stops the timers and stops following the caller's signal. */
  dispose(): void {
    this.releaseTimers();
    if (this.#onCallerAbort) this.#callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }
}
