import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { SCHEDULED_RUN_DUPLICATE_WINDOW_MS } from './scheduling-streams.js';
import { ensureStream } from './stream-setup.js';

/**
 * The collection plan's queue (scheduling service only): runs of DCC schedules that fell due and wait for their
 * capacity lane (a CSP region, a SMETS1 cohort) to release them to SCHEDULED_RUNS, one subject per lane.
 */
export const schedulePlan = {
  name: 'SCHEDULE_PLAN',
  subjects: ['dcc.sched.plan.>'],
  subject: (lane: string): string => `dcc.sched.plan.${lane}`,
} as const;

export async function ensureSchedulePlanStream(nc: NatsConnection): Promise<void> {
  await ensureStream(nc, {
    name: schedulePlan.name,
    subjects: [...schedulePlan.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(SCHEDULED_RUN_DUPLICATE_WINDOW_MS),
  });
}
