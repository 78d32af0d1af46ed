import { futureDatedSubjects, type DurablePublisher } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import { FutureDatedState, HeldRequest } from '@dcc/proto';
import type { DueIndex } from '../due-index.js';
import type { HeldAt, HeldStore } from './held-store.js';

/** Held requests released concurrently within a bucket. */
const RELEASES_AT_ONCE = 64;

/** What the releaser has done since it started (tests read it). */
export interface ReleaserStats {
  released: number;
  /** Due entries of cancelled requests (or without a record). */
  skipped: number;
}

/**
 * Releases held future-dated requests when their time comes: each due bucket of the index in time order, each
 * entry by its record. A HELD record is first moved to RELEASED (compare-and-set: a cancellation racing it either
 * wins, and the request is never sent, or finds it released), then the request is published to FUTURE_DATED
 * `dcc.fd.released` with message id `release:<RequestID>`, where access control checks it again. A crash between
 * the two leaves the bucket unpurged: the next pass finds RELEASED and publishes again, a duplicate the stream
 * drops within its window. Nothing is held in memory per request and no timer exists per request.
 */
export class Releaser {
  readonly stats: ReleaserStats = { released: 0, skipped: 0 };
  private running?: Promise<number>;

  constructor(
    private readonly store: HeldStore,
    private readonly index: DueIndex,
    private readonly publisher: DurablePublisher,
    private readonly clock: () => number,
    /** Whether this instance may release now (the leader lease, leadership.ts): checked before each batch. */
    private readonly leads: () => boolean = () => true,
  ) {}

  /** Releases every request due now; resolves with how many were released. One pass at a time. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves once the pass in flight (if any) has ended; starts none. */
  async idle(): Promise<void> {
    await this.running?.catch(() => 0);
  }

  private async pass(): Promise<number> {
    let released = 0;
    for (const { bucket, count } of await this.index.dueBuckets(this.clock())) {
      if (!this.leads()) return released; // the lease is gone: the new leader reads this bucket again
      const { entries, lastSeq } = await this.index.read(bucket, count);
      for (let i = 0; i < entries.length; i += RELEASES_AT_ONCE) {
        // Stopped mid-bucket: left unpurged; records already RELEASED are published again, a duplicate dropped.
        if (!this.leads()) return released;
        const done = await Promise.all(
          entries.slice(i, i + RELEASES_AT_ONCE).map((entry) => this.release(entry.key)),
        );
        released += done.filter(Boolean).length;
      }
      if (lastSeq > 0) await this.index.purge(bucket, lastSeq);
    }
    return released;
  }

  private async release(key: string): Promise<boolean> {
    const at = await this.claim(key);
    if (!at) {
      this.stats.skipped += 1;
      return false;
    }
    const held = at.record.held!;
    await this.publisher.publish(
      futureDatedSubjects.released,
      HeldRequest,
      { ...held, releasedAtMs: this.clock() },
      `release:${held.request!.requestId}`,
    );
    this.stats.released += 1;
    return true;
  }

  /** The record, RELEASED by this pass or an interrupted one; undefined when cancelled or unknown. */
  private async claim(key: string): Promise<HeldAt | undefined> {
    for (;;) {
      const at = await this.store.get(key);
      if (!at || at.record.state === FutureDatedState.FUTURE_DATED_STATE_CANCELLED) return undefined;
      if (at.record.state === FutureDatedState.FUTURE_DATED_STATE_RELEASED) return at;
      try {
        return await this.store.move(key, at, FutureDatedState.FUTURE_DATED_STATE_RELEASED);
      } catch (error) {
        if (DccError.from(error).status !== GrpcStatus.ABORTED) throw error;
        // Changed meanwhile (a cancellation): read it again.
      }
    }
  }
}
