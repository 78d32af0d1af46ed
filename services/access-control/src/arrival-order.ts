/**
 * Keeps the arrival order of work that shares a key. A meter accepts a User's RequestIDs only with strictly rising
 * counters, so two requests of one originator to one device must reach the device's mail in the order they
 * arrived: everything between admission and the store (the replay check, the registration check, the anomaly
 * screen, the publish) takes a varying time, and without a lane a later request could be stored first and make
 * the meter refuse the earlier one as stale.
 *
 * Work under different keys runs concurrently; work under one key runs one after another. A key's entry lives
 * only while work for it is in flight, so the map holds no more than the requests being taken in.
 */
export class ArrivalOrder {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier call under `key` has settled (resolved or rejected). */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous === undefined ? work() : previous.then(work, work);
    const tail = result.then(settled, settled);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work in flight. */
  get size(): number {
    return this.tails.size;
  }
}

function settled(): void {
  // Only the order matters to the next in line, not the outcome (each caller sees its own).
}
