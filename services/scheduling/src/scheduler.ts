import { subjects, type DurablePublisher } from '@dcc/bus';
import { readPeriodOf, runCounter, runDayMs, runDueMs, SCHEDULED_TRT_MS, srvEntry } from '@dcc/domain';
import { ScheduledRun, type StoredSchedule } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import type { DueIndex } from './due-index.js';
import type { ScheduleStore } from './schedule-store.js';

/** Due entries run concurrently within a bucket. */
const RUNS_AT_ONCE = 64;

/** What the scheduler has done since it started (tests and the benchmark read it). */
export interface SchedulerStats {
  submitted: number;
  /** Submitted after their Target Response Time had passed (the hub was down or behind). */
  late: number;
  /** Due entries of deleted schedules or of periods already submitted. */
  skipped: number;
}

/**
 * Runs what is due: each due bucket in time order, each entry by its schedule's record. A run is submitted (to the
 * collection plan, or SCHEDULED_RUNS; message id: schedule id and period), then the next period's entry is added
 * to the index; once a slice of the bucket has run, the entries it read are purged from the index. So the index
 * says which period of a schedule runs next, and the record never changes. A crash mid-slice is repaired by the
 * next pass over the bucket: only that slice is read again, and the run's and the next entry's message ids make
 * their second submission duplicates the streams drop (within their one-hour windows; an entry added twice
 * after longer still is one run, as a bucket's entries are run once per schedule and period). A deleted
 * schedule's entries find no record and are dropped.
 */
export class Scheduler {
  readonly stats: SchedulerStats = { submitted: 0, late: 0, skipped: 0 };
  private running?: Promise<number>;

  constructor(
    private readonly store: ScheduleStore,
    private readonly index: DueIndex,
    private readonly publisher: DurablePublisher,
    private readonly clock: () => number,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
    /** Where a due run goes instead of straight to SCHEDULED_RUNS (the collection plan, plan/collection-plan.ts). */
    private readonly submit?: (run: ScheduledRun) => Promise<void>,
    /** Whether this instance may run work now (the leader lease, leadership.ts): checked before each batch. */
    private readonly leads: () => boolean = () => true,
  ) {}

  /** Runs every bucket due now; resolves with the runs submitted. One pass at a time. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves once the pass in flight (if any) has ended; starts none. */
  async idle(): Promise<void> {
    await this.running?.catch(() => 0);
  }

  /**
   * Until no bucket is due: a run caught up after downtime adds its next period to a bucket that may be due
   * already, so one pass catches a schedule up on every period it missed.
   */
  private async pass(): Promise<number> {
    let submitted = 0;
    for (let buckets = await this.index.dueBuckets(this.clock()); buckets.length > 0;) {
      let read = 0;
      for (const { bucket, count } of buckets) {
        if (!this.leads()) return submitted; // the lease is gone: the new leader reads this bucket again
        const { entries } = await this.index.read(bucket, count);
        read += entries.length;
        const seen = new Set<string>();
        // Entries are independent schedules: a bounded number run at once, then purged from the index.
        for (let i = 0; i < entries.length; i += RUNS_AT_ONCE) {
          // Stopped mid-bucket: what is left, this slice included, is read again by the next leader.
          if (!this.leads()) return submitted;
          const slice = entries.slice(i, i + RUNS_AT_ONCE);
          const ran = await Promise.all(
            slice.map((entry) => {
              const run = `${entry.key} ${entry.period}`;
              if (seen.has(run)) return this.skip(); // added twice: one run
              seen.add(run);
              return this.runEntry(entry.key, entry.period);
            }),
          );
          submitted += ran.filter(Boolean).length;
          await this.index.purge(bucket, slice.at(-1)!.seq);
        }
      }
      if (read === 0) break; // counted but not readable yet: the next tick tries again
      buckets = await this.index.dueBuckets(this.clock());
    }
    return submitted;
  }

  private skip(): Promise<boolean> {
    this.stats.skipped += 1;
    return Promise.resolve(false);
  }

  private async runEntry(key: string, period: number): Promise<boolean> {
    const at = await this.store.get(key);
    if (!at) return this.skip(); // deleted
    const { schedule } = at;
    const timing = schedule.schedule!;
    const dayMs = runDayMs(timing, period);
    if (dayMs === undefined) return false; // past the end date
    const dueMs = runDueMs(timing, period)!;
    const run = runOf(schedule, period, dueMs, dayMs);
    if (this.submit) await this.submit(run);
    else
      await this.publisher.publish(
        subjects.scheduledRun,
        ScheduledRun,
        run,
        `${schedule.dspScheduleId}:${period}`,
      );
    const nextDue = runDueMs(timing, period + 1);
    if (nextDue !== undefined) await this.index.add(nextDue, { key, period: period + 1 });
    this.stats.submitted += 1;
    if (this.clock() > run.trtDeadlineMs) {
      this.stats.late += 1;
      this.log.warn({ schedule: schedule.dspScheduleId, period }, 'scheduled run submitted after its TRT');
    }
    return true;
  }
}

/** The run of one period, as access control takes it in. */
export function runOf(schedule: StoredSchedule, period: number, dueMs: number, dayMs: number): ScheduledRun {
  const timing = schedule.schedule!;
  const srv = timing.scheduledServiceReferenceVariant;
  const read = srvEntry(srv)?.periodField ? readPeriodOf(timing, dayMs) : { startMs: 0, endMs: 0 };
  return {
    dspScheduleId: schedule.dspScheduleId,
    userId: schedule.userId,
    userRole: schedule.userRole,
    deviceId: timing.deviceId,
    serviceReferenceVariant: srv,
    period,
    dueMs,
    readStartMs: read.startMs,
    readEndMs: read.endMs,
    purpose: timing.purpose,
    trtDeadlineMs: dueMs + SCHEDULED_TRT_MS,
    requestCounter: runCounter(dueMs, schedule.createdMs),
  };
}
