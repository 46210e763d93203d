/**
 * Runs async tasks with at most `concurrency` in flight. The first failure aborts the pool's
 * signal (so tasks in flight stop early), refuses new tasks, and is what {@link TaskPool.drain}
 * rejects with.
 */
export class TaskPool {
  readonly #concurrency: number;
  readonly #controller = new AbortController();
  readonly #running = new Set<Promise<void>>();
  #failure: { error: unknown } | undefined;

  /**
   * @param concurrency - Tasks allowed in flight (at least 1).
   * @param parentSignal - When it aborts, the pool's signal aborts too.
   */
  constructor(concurrency: number, parentSignal?: AbortSignal) {
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new RangeError("concurrency must be a positive integer.");
    }
    this.#concurrency = concurrency;
    if (parentSignal?.aborted) this.#controller.abort(parentSignal.reason);
    else
      parentSignal?.addEventListener("abort", () => this.#controller.abort(parentSignal.reason), {
        once: true,
      });
  }

  /** Aborted after the first failure or when the parent signal aborts; pass it to each request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Waits until a task may start (fewer than `concurrency` in flight); rejects with the first
   * failure, if any.
   */
  async slot(): Promise<void> {
    while (this.#running.size >= this.#concurrency && !this.#failure) {
      await Promise.race(this.#running);
    }
    if (this.#failure) throw this.#failure.error;
  }

  /** Waits for a free slot, then starts `task` without waiting for it to finish. */
  async run(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
    await this.slot();
    const promise: Promise<void> = task(this.#controller.signal)
      .catch((error: unknown) => {
        if (!this.#failure) {
          this.#failure = { error };
          this.#controller.abort(error);
        }
      })
      .finally(() => {
        this.#running.delete(promise);
      });
    this.#running.add(promise);
  }

  /** Waits for every started task; rejects with the first failure, if any. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.race(this.#running);
    if (this.#failure) throw this.#failure.error;
  }
}
