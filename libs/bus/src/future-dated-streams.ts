import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { SCHEDULED_RUN_DUPLICATE_WINDOW_MS } from './scheduling-streams.js';
import { ensureStream } from './stream-setup.js';

/** Subjects of DSP future-dated requests (access control ↔ scheduling). */
export const futureDatedSubjects = {
  /** Requests access control accepted, until the scheduling service holds them (FUTURE_DATED). */
  held: 'dcc.fd.held',
  /** Held requests whose time came, until access control has checked and stored them (FUTURE_DATED). */
  released: 'dcc.fd.released',
  /** The scheduling service's due index of held requests, one subject per time bucket (FUTURE_DATED_DUE). */
  due: (bucket: number): string => `dcc.fd.due.${bucket}`,
} as const;

export const futureDatedStreams = {
  /** Work queue: each message is taken by one durable consumer (held → scheduling, released → access control). */
  futureDated: { name: 'FUTURE_DATED', subjects: [futureDatedSubjects.held, futureDatedSubjects.released] },
  /** Limits, file: purged bucket by bucket once released. */
  due: { name: 'FUTURE_DATED_DUE', subjects: ['dcc.fd.due.>'] },
} as const;

/** Durable consumers on FUTURE_DATED (each shared by its service's instances). */
export const futureDatedConsumers = {
  /** The scheduling service takes accepted requests into its store. */
  held: 'future-dated-held',
  /** Access control checks released requests again and sends them on. */
  released: 'future-dated-released',
} as const;

/** Creates or updates the future-dated streams (access control and scheduling both call it). */
export async function ensureFutureDatedStreams(nc: NatsConnection): Promise<void> {
  // The same window as scheduled runs: a holder that dies between releasing and recording it and comes back
  // within the window releases nothing twice.
  await ensureStream(nc, {
    name: futureDatedStreams.futureDated.name,
    subjects: [...futureDatedStreams.futureDated.subjects],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(SCHEDULED_RUN_DUPLICATE_WINDOW_MS),
  });
  await ensureStream(nc, {
    name: futureDatedStreams.due.name,
    subjects: [...futureDatedStreams.due.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(SCHEDULED_RUN_DUPLICATE_WINDOW_MS),
  });
}
