/**
 * A count of events over the last `seconds` seconds, in whole-second buckets: a ring of `seconds` counters and a
 * running total. Counting and reading cost O(1) per event plus the clearing of the buckets that fell out of the
 * window since the last call (at most `seconds`, once per elapsed second), so no timer is needed: a window that
 * nobody touches costs nothing. Memory: 4 bytes per second of window (a Uint32Array) plus ~80 bytes.
 *
 * The window at second `now` (Unix seconds) holds the events of seconds `now - seconds + 1` .. `now`.
 * A clock that steps back is treated as standing still (events count into the newest bucket).
 */
export class SlidingWindowCounter {
  private readonly buckets: Uint32Array;
  /** The second the newest bucket belongs to. */
  private head = Number.NEGATIVE_INFINITY;
  private sum = 0;

  constructor(readonly seconds: number) {
    if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`window of ${seconds} s`);
    this.buckets = new Uint32Array(seconds);
  }

  /** Events in the window ending at second `now`. */
  count(now: number): number {
    this.advance(now);
    return this.sum;
  }

  /** Counts one event at second `now` (or at the newest second when the clock stepped back); returns it. */
  add(now: number): number {
    this.advance(now);
    const second = this.head;
    this.buckets[this.index(second)]! += 1;
    this.sum += 1;
    return second;
  }

  /** Takes back an event counted at `second`, if that second is still in the window (else it already left). */
  remove(second: number): void {
    if (second > this.head || second <= this.head - this.seconds) return;
    const i = this.index(second);
    if (this.buckets[i]! === 0) return;
    this.buckets[i]! -= 1;
    this.sum -= 1;
  }

  /** Nothing left in the window ending at `now`: the counter may be dropped. */
  isIdle(now: number): boolean {
    return this.count(now) === 0;
  }

  private advance(now: number): void {
    if (now <= this.head) return;
    if (now - this.head >= this.seconds) {
      if (this.sum !== 0) this.buckets.fill(0);
      this.sum = 0;
    } else {
      for (let s = this.head + 1; s <= now; s++) {
        const i = this.index(s);
        this.sum -= this.buckets[i]!;
        this.buckets[i] = 0;
      }
    }
    this.head = now;
  }

  private index(second: number): number {
    return ((second % this.seconds) + this.seconds) % this.seconds;
  }
}
