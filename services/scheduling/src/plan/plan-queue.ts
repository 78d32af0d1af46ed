import { ensureSchedulePlanStream, schedulePlan } from '@dcc/bus';
import { ScheduledRun } from '@dcc/proto';
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { PlanLane } from './plan-lanes.js';

/** A waiting run and its place in the queue. */
export interface QueuedRun {
  run: ScheduledRun;
  seq: number;
}

/**
 * The plan's queue (stream SCHEDULE_PLAN): runs that fell due, one subject per capacity lane, in the order they
 * fell due. How many wait per lane comes from the stream's per-subject counts; a lane's released runs are purged
 * up to the last one released. Durable: a restart finds every waiting run where it was, nothing in memory.
 */
export class PlanQueue {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  static async open(nc: NatsConnection): Promise<PlanQueue> {
    await ensureSchedulePlanStream(nc);
    return new PlanQueue(jetstream(nc), await jetstreamManager(nc));
  }

  /** Queues a run for its lane; its message id makes queueing it twice (a retried scheduler step) one entry. */
  async add(lane: PlanLane, run: ScheduledRun): Promise<void> {
    await this.js.publish(schedulePlan.subject(lane), ScheduledRun.encode(run).finish(), {
      msgID: `plan:${run.dspScheduleId}:${run.period}`,
    });
  }

  /** Runs waiting per lane. */
  async waiting(): Promise<Map<PlanLane, number>> {
    const info = await this.jsm.streams.info(schedulePlan.name, {
      subjects_filter: schedulePlan.subjects[0],
    });
    const prefix = schedulePlan.subject('');
    return new Map(
      Object.entries(info.state.subjects ?? {}).map(([subject, count]) => [
        subject.slice(prefix.length),
        count,
      ]),
    );
  }

  /** The first `max` runs waiting in a lane, oldest first. */
  async read(lane: PlanLane, max: number): Promise<QueuedRun[]> {
    const consumer = await this.js.consumers.get(schedulePlan.name, {
      filter_subjects: [schedulePlan.subject(lane)],
      deliver_policy: DeliverPolicy.All,
    });
    const runs: QueuedRun[] = [];
    try {
      while (runs.length < max) {
        const batch = await consumer.fetch({
          max_messages: Math.min(1_000, max - runs.length),
          expires: 5_000,
        });
        const before = runs.length;
        for await (const msg of batch) runs.push({ run: ScheduledRun.decode(msg.data), seq: msg.seq });
        if (runs.length === before) break;
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return runs;
  }

  /** Removes a lane's runs up to and including `lastSeq` (runs queued meanwhile stay). */
  async purge(lane: PlanLane, lastSeq: number): Promise<void> {
    await this.jsm.streams.purge(schedulePlan.name, { filter: schedulePlan.subject(lane), seq: lastSeq + 1 });
  }
}
