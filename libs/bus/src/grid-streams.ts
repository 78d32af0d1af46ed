import type { Eui64 } from '@dcc/domain';
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { ensureConsumer } from './consumer-setup.js';
import { ensureStream } from './stream-setup.js';
import { consumers, streams, subjects } from './subjects.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Retention of one network operator's feed stream (docs/grid-feeds.md). */
export interface GridFeedRetention {
  /** Events older than this are removed, read or not (default 7 days). */
  maxAgeDays?: number;
  /** When the stream holds this many bytes the oldest events go first (default 1 GiB). */
  maxBytes?: number;
}

/** How long the server remembers an event's message id: a re-published event within it is dropped. */
const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/** Unacknowledged events a DNO may hold on one durable consumer before the server stops sending it more. */
const MAX_ACK_PENDING = 10_000;

/**
 * Creates or updates one DNO's feed stream `GRID_<dnoId>` and the durable consumers it reads through its NATS
 * account (a DNO cannot create consumers): `feed` (protobuf events), `json` (JSON events), `summary` (protobuf
 * outage summaries and aggregates only). Limits retention, so reading does not remove: a DNO's durable
 * consumer remembers where it left off, and several of its processes may share it.
 */
export async function ensureGridFeed(
  nc: NatsConnection,
  dnoId: Eui64,
  retention: GridFeedRetention = {},
): Promise<void> {
  const { name, subjects: captured } = streams.gridFeed(dnoId);
  await ensureStream(nc, {
    name,
    subjects: [...captured],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos((retention.maxAgeDays ?? 7) * DAY_MS),
    max_bytes: retention.maxBytes ?? 1024 ** 3,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
  const durable = (kind: 'feed' | 'json' | 'summary', filters: string[]) =>
    ensureConsumer(nc, name, {
      durable_name: consumers.gridFeed(dnoId, kind),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_ack_pending: MAX_ACK_PENDING,
      filter_subjects: filters,
    });
  await durable('feed', [subjects.gridProtobufOfDno(dnoId)]);
  await durable('json', [subjects.gridJsonOfDno(dnoId)]);
  await durable(
    'summary',
    (['outage-summary', 'aggregate', 'substation-aggregate'] as const).map((f) =>
      subjects.gridFeedOfDno(dnoId, f),
    ),
  );
}
