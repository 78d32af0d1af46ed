import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { ensureStream } from './stream-setup.js';
import { streams } from './subjects.js';

/**
 * How long SCHEDULED_RUNS remembers a run's message id (schedule id and period): a scheduler that dies between
 * submitting a run and recording it, and restarts within this window, submits nothing twice.
 */
export const SCHEDULED_RUN_DUPLICATE_WINDOW_MS = 60 * 60 * 1000;

/** Creates or updates the streams between the scheduling service and access control (both call it). */
export async function ensureSchedulingStreams(nc: NatsConnection): Promise<void> {
  await ensureStream(nc, {
    name: streams.scheduleDue.name,
    subjects: [...streams.scheduleDue.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(SCHEDULED_RUN_DUPLICATE_WINDOW_MS),
  });
  await ensureStream(nc, {
    name: streams.scheduledRuns.name,
    subjects: [...streams.scheduledRuns.subjects],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(SCHEDULED_RUN_DUPLICATE_WINDOW_MS),
  });
}
