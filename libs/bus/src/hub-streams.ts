import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { ensureStream } from './stream-setup.js';
import { streams } from './subjects.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long the server remembers message ids for duplicate detection of re-sent requests and responses. */
const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/** Creates or updates the streams the request path relies on. Every service that touches them calls this. */
export async function ensureHubStreams(
  nc: NatsConnection,
  options: {
    responseRetentionDays?: number;
    alertRetentionDays?: number;
    accountingRetentionDays?: number;
  } = {},
) {
  await ensureStream(nc, {
    name: streams.meterMail.name,
    subjects: [...streams.meterMail.subjects],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
  await ensureStream(nc, {
    name: streams.responses.name,
    subjects: [...streams.responses.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos((options.responseRetentionDays ?? 7) * DAY_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
  // Device alerts, whenever raised; the message id is the alert's identity, so a redelivered command or wake
  // that raises the same alert again is a duplicate the stream drops. Routed to Users by the alert router;
  // kept for the retention period as the record.
  await ensureStream(nc, {
    name: streams.alerts.name,
    subjects: [...streams.alerts.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos((options.alertRetentionDays ?? 7) * DAY_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
  // Every decision on a Service Request, the source of service accounting (the reporting service keeps the
  // monthly tallies): kept long enough to rebuild the last complete month's. An accepted request's record
  // carries its RequestID as message id, so a repeated store of the same decision is dropped.
  await ensureStream(nc, {
    name: streams.accounting.name,
    subjects: [...streams.accounting.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos((options.accountingRetentionDays ?? 62) * DAY_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
  // One record per quarantined request (its subject); Release/Delete replace it with compare-and-set on the
  // subject's last sequence, then purge the subject. Kept until the User decides: no age limit.
  await ensureStream(nc, {
    name: streams.quarantine.name,
    subjects: [...streams.quarantine.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msgs_per_subject: 1,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
}
