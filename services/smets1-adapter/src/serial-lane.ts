/**
 * Runs the tasks handed to it strictly one after another, in the order they were handed in (FIFO), whoever
 * hands them in and however many wait: a task starts only after the one before it has settled. This is how a
 * DCO processes a cohort's commands (dco.ts): sequentially, never two at once.
 */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();
  private waitingOrRunning = 0;

  /** Tasks handed in and not settled yet (the one running included). */
  get depth(): number {
    return this.waitingOrRunning;
  }

  /** Resolves once every task handed in so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  run<T>(task: () => T | Promise<T>): Promise<T> {
    this.waitingOrRunning++;
    const result = this.tail.then(task).finally(() => {
      this.waitingOrRunning--;
    });
    // The next task waits for this one to settle, whether it resolved or failed.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
