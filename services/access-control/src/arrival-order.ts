/**
 * Keeps the arrival order of work that shares a key. A meter accepts a User's RequestIDs only with strictly rising
 * counters, so two requests of one originator to one device must reach the device's mail in the order they
 * arrived: everything between admission and the store (the replay check, the registration check, the anomaly
 * screen, the publish) takes a varying time, and without a lane a later request could be stored first and make
 * the meter refuse the earlier one as stale.
 *
 * Work under different keys runs concurrently; work under one key runs one after another. A key's entry lives
 * only while work for it is in flight, so the map holds no more than the requests being taken in.
 *
 * Work taken from a stream that redelivers what failed (a schedule's runs) passes `ifEarlierFailed`: when the work
 * before it failed, it fails too, with that error, without running, so both come again and the earlier one can
 * still reach the device first. Otherwise each caller sees only its own outcome.
 */
export class ArrivalOrder {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier call under `key` has settled (resolved or rejected). */
  run<T>(key: string, work: () => Promise<T>, ifEarlierFailed?: () => Error): Promise<T> {
    const previous = this.tails.get(key);
    const onFailure = ifEarlierFailed ? () => Promise.reject(ifEarlierFailed()) : work;
    const result = previous === undefined ? work() : previous.then(work, onFailure);
    // The next in line sees this outcome; the key is forgotten once nothing after it is waiting.
    this.tails.set(key, result);
    const forget = () => {
      if (this.tails.get(key) === result) this.tails.delete(key);
    };
    void result.then(forget, forget);
    return result;
  }

  /** Keys with work in flight. */
  get size(): number {
    return this.tails.size;
  }
}
