/**
 * An in-process async mutex: tasks run one at a time, in the order they were queued. A task that
 * fails (or throws synchronously) releases the queue exactly like one that succeeds.
 */
export class TransactionQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  /** Runs `task` after every task queued before it has settled; settles with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    const settled = result.then(
      () => {
        this.pending--;
      },
      () => {
        this.pending--;
      },
    );
    this.tail = settled;
    return result;
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every task queued so far has settled. */
  drain(): Promise<void> {
    return this.tail;
  }
}
