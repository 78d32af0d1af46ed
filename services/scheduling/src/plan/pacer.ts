import type { CollectionLaneStatus, ScheduledRun } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { lastEndBefore, spanAt, type CollectionWindow, type WindowSpan } from './collection-windows.js';
import { paceLane, type LaneCredit } from './pace.js';
import { UNROUTED, type LaneRates, type PlanLane } from './plan-lanes.js';
import type { PlanQueue } from './plan-queue.js';

/** Runs of one lane handed to access control at once. */
const RELEASES_AT_ONCE = 64;
/** A lane's warning is logged again at most this often while its work stays at risk. */
const WARN_EVERY_MS = 60_000;

export interface PacerParts {
  queue: PlanQueue;
  release: (run: ScheduledRun) => Promise<void>;
  /** Called after each pass (the compliance figures' flush). */
  afterPass: () => Promise<void>;
  windows: readonly CollectionWindow[];
  rates: LaneRates;
  clock: () => number;
  log: Pick<Logger, 'warn'>;
  /** Whether this instance may release now (the leader lease, leadership.ts); always, when absent. */
  leads?: () => boolean;
}

/**
 * The collection plan's release: at each tick, per capacity lane (CSP region, SMETS1 cohort), releases the runs
 * the lane's pace allows (pace.ts: the waiting work spread over the rest of the window within the lane's
 * capacity; caught up at capacity when a window ran late) to access control, oldest first, and purges them from
 * the queue. What is kept between ticks is per lane (credit, figures), never per schedule. Warns (log, and the
 * at-risk gauge) while a lane's waiting work cannot all be released before its window ends: that work would run
 * past the window and, if it stays behind, past its TRT.
 */
export class Pacer {
  private readonly credits = new Map<PlanLane, LaneCredit>();
  private readonly lanes = new Map<PlanLane, CollectionLaneStatus>();
  private readonly warnedAt = new Map<PlanLane, number>();
  /**
   * Lanes whose oldest run fell due after the last window ended (the cutoff then): the lane waits for the next
   * window and is not read again until the cutoff changes.
   */
  private readonly heldAtCutoff = new Map<PlanLane, number>();
  private running?: Promise<number>;
  private window: WindowSpan | undefined;

  constructor(private readonly parts: PacerParts) {}

  /** Paces every lane once; resolves with the runs released. One pass at a time. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves once the pass in flight (if any) has ended; starts none. */
  async idle(): Promise<void> {
    await this.running?.catch(() => 0);
  }

  /** The lanes' figures at the last tick, and the window then. */
  status(): { window: WindowSpan | undefined; lanes: CollectionLaneStatus[] } {
    return {
      window: this.window,
      lanes: [...this.lanes.values()].sort((a, b) => a.lane.localeCompare(b.lane)),
    };
  }

  private leads(): boolean {
    return this.parts.leads?.() ?? true;
  }

  private async pass(): Promise<number> {
    const { queue, windows, clock } = this.parts;
    if (!this.leads()) {
      // A standby paces nothing and reports no lanes (the leader's are the live figures); a new leader starts
      // each lane afresh, as after a restart.
      this.credits.clear();
      this.lanes.clear();
      this.heldAtCutoff.clear();
      this.window = undefined;
      await this.parts.afterPass();
      return 0;
    }
    const nowMs = clock();
    const window = spanAt(windows, nowMs);
    this.window = window;
    // Outside a window only work that fell due before the last one ended (it ran late) is released.
    const cutoffMs = window ? Number.POSITIVE_INFINITY : lastEndBefore(windows, nowMs);
    const waiting = await queue.waiting();
    let released = 0;
    for (const lane of new Set([...waiting.keys(), ...this.lanes.keys()])) {
      released += await this.paceOne(lane, waiting.get(lane) ?? 0, nowMs, window, cutoffMs);
    }
    await this.parts.afterPass();
    return released;
  }

  private async paceOne(
    lane: PlanLane,
    waiting: number,
    nowMs: number,
    window: WindowSpan | undefined,
    cutoffMs: number,
  ): Promise<number> {
    const capacityPerS = this.parts.rates.rateOf(lane);
    // A device registration does not place is refused by access control: nothing to pace, released at once.
    const pace =
      lane === UNROUTED
        ? { release: waiting, ratePerS: 0, atRisk: 0, next: { credit: 0, atMs: nowMs } }
        : paceLane({
            waiting,
            capacityPerS,
            nowMs,
            window,
            overdue: waiting > 0 && cutoffMs > 0,
            previous: this.credits.get(lane),
          });
    this.credits.set(lane, pace.next);
    const mayRead = pace.release > 0 && this.heldAtCutoff.get(lane) !== cutoffMs;
    const released = mayRead ? await this.releaseFrom(lane, pace.release, cutoffMs) : 0;
    const before = this.lanes.get(lane)?.released ?? 0;
    this.lanes.set(lane, {
      lane,
      waiting: waiting - released,
      capacityPerS,
      ratePerS: pace.ratePerS,
      atRisk: pace.atRisk,
      released: before + released,
    });
    this.warnIfAtRisk(lane, pace.atRisk, waiting, window, nowMs);
    return released;
  }

  /** Releases up to `count` of a lane's oldest runs that fell due before `cutoffMs`, then purges them. */
  private async releaseFrom(lane: PlanLane, count: number, cutoffMs: number): Promise<number> {
    const { queue, release } = this.parts;
    const queued = await queue.read(lane, count);
    const due = queued.findIndex(({ run }) => run.dueMs >= cutoffMs);
    const runs = due === -1 ? queued : queued.slice(0, due);
    // Its oldest run fell due after the last window: the rest wait with it for the next one.
    if (due === 0) this.heldAtCutoff.set(lane, cutoffMs);
    else this.heldAtCutoff.delete(lane);
    let released = 0;
    for (let i = 0; i < runs.length && this.leads(); i += RELEASES_AT_ONCE) {
      released = Math.min(runs.length, i + RELEASES_AT_ONCE);
      await Promise.all(runs.slice(i, i + RELEASES_AT_ONCE).map(({ run }) => release(run)));
    }
    // Only what was released is purged: the lease lost mid-lane leaves the rest for the new leader.
    const last = runs[released - 1];
    if (last) await queue.purge(lane, last.seq);
    return released;
  }

  private warnIfAtRisk(
    lane: PlanLane,
    atRisk: number,
    waiting: number,
    window: WindowSpan | undefined,
    nowMs: number,
  ): void {
    if (atRisk === 0 || !window) {
      this.warnedAt.delete(lane);
      return;
    }
    if (nowMs - (this.warnedAt.get(lane) ?? Number.NEGATIVE_INFINITY) < WARN_EVERY_MS) return;
    this.warnedAt.set(lane, nowMs);
    this.parts.log.warn(
      { lane, waiting, atRisk, windowEndMs: window.endMs, capacityPerS: this.parts.rates.rateOf(lane) },
      "the collection window's remaining work exceeds the lane's capacity: runs will be released after the window and may miss their TRT",
    );
  }
}
