import { DccError, GrpcStatus } from '@dcc/domain';
import { DurablePublisher, ensureStream, streams, subjects } from '@dcc/bus';
import { RegistrationEvent, RegistrationEventBatch } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventKind, type Change } from './commands.js';
import type { Clock } from './clock.js';
import type { RegistrationState } from './state.js';

/** Creates or updates the REGISTRATION stream: file storage, limits retention, nothing expires. */
export async function ensureRegistrationStream(nc: NatsConnection): Promise<void> {
  await ensureStream(nc, {
    name: streams.registration.name,
    subjects: [...streams.registration.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: 0,
    max_msgs: -1,
    max_bytes: -1,
  });
}

/**
 * Rebuilds the state from the whole record, in stream order. An event the state cannot apply (it should not
 * happen: only applicable events are recorded) is logged and skipped, so one bad record cannot stop the service.
 */
export async function replay(nc: NatsConnection, state: RegistrationState, log: Logger): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(streams.registration.name);
  const last = info.state.last_seq;
  if (info.state.messages === 0 || last <= state.lastSeq) return 0;
  const consumer = await jetstream(nc).consumers.get(streams.registration.name, {
    opt_start_seq: state.lastSeq + 1,
  });
  const messages = await consumer.consume({ max_messages: 10_000 });
  let applied = 0;
  for await (const msg of messages) {
    // A batch (the bulk feed path) holds many events, applied in their order as if stored one by one.
    const events =
      msg.subject === BATCH_SUBJECT
        ? RegistrationEventBatch.decode(msg.data).events
        : [RegistrationEvent.decode(msg.data)];
    for (const event of events) {
      try {
        state.apply(event);
        applied++;
      } catch (error) {
        log.error({ err: error, seq: msg.seq }, 'registration event skipped in replay');
      }
    }
    state.lastSeq = msg.seq;
    if (msg.seq >= last) break;
  }
  await messages.close();
  return applied;
}

/** Where a batch of events is stored (one message of the REGISTRATION stream). */
export const BATCH_SUBJECT = subjects.registrationEvent('batch');

/**
 * The only writer of the record. Work runs one at a time (so a decision sees every change before it), and
 * each change is applied to the state only once its event is stored (PubAck): the state never holds anything
 * the record does not, and a caller is answered only after its changes are durable.
 */
export class Recorder {
  private tail: Promise<unknown> = Promise.resolve();
  eventsRecorded = 0;
  /** Set when a batch applied ahead of its PubAck was not stored: the state holds what the record does not. */
  private diverged: Error | undefined;

  constructor(
    readonly state: RegistrationState,
    private readonly publisher: DurablePublisher,
    private readonly clock: Clock,
    /** Called once when the state has run ahead of the record (the service restarts to rebuild it). */
    private readonly onDiverged: (error: Error) => void = () => undefined,
  ) {}

  /** Runs `work` after every earlier piece of work; `work` decides from the state and records. */
  run<T>(work: (record: (changes: Change[]) => Promise<number>) => Promise<T> | T): Promise<T> {
    const result = this.tail.then(() => {
      if (this.diverged) throw unavailable(this.diverged);
      return work((changes) => this.record(changes));
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Decide and record in one turn; resolves with the events recorded. */
  change(decide: (state: RegistrationState) => Change[]): Promise<number> {
    return this.run((record) => record(decide(this.state)));
  }

  /** Waits for the work queued so far. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  /**
   * The bulk path: `decide` runs in turn with the other work and applies each line's events to the state as it
   * goes (`apply`), so a line sees the lines before it; the events are then stored as batch messages of at most
   * `BATCH_EVENTS`, published together. Resolves (after `decide`'s turn, so the next chunk can be decided while
   * these are in flight) with a promise of their storing: a caller answers only once that resolves. A batch
   * the stream refuses leaves the state ahead of the record: the recorder refuses all further work and calls
   * `onDiverged`, since only a rebuild from the record (a restart) makes them agree again.
   */
  async batch<T>(
    decide: (apply: (changes: Change[]) => void) => T,
  ): Promise<{ result: T; stored: Promise<void> }> {
    const events: RegistrationEvent[] = [];
    const result = await this.run(() =>
      decide((changes) => {
        const recordedAtMs = this.clock.now();
        for (const change of changes) {
          const event: RegistrationEvent = { recordedAtMs, change };
          this.state.apply(event);
          events.push(event);
        }
      }),
    );
    const publishes: Promise<{ seq: number }>[] = [];
    for (let from = 0; from < events.length; from += BATCH_EVENTS) {
      const slice = events.slice(from, from + BATCH_EVENTS);
      publishes.push(this.publisher.publish(BATCH_SUBJECT, RegistrationEventBatch, { events: slice }));
    }
    this.eventsRecorded += events.length;
    const stored = Promise.all(publishes).then(
      (acks) => {
        for (const ack of acks) this.state.lastSeq = Math.max(this.state.lastSeq, ack.seq);
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        if (!this.diverged) {
          this.diverged = failure;
          this.onDiverged(failure);
        }
        throw unavailable(failure);
      },
    );
    // Handled by the caller once the answers before it are written; never an unhandled rejection meanwhile.
    stored.catch(() => undefined);
    return { result, stored };
  }

  /**
   * Publishes a decision's events pipelined (all in flight at once: one connection keeps their order in the
   * stream, so a feed line costs one round trip, not one per event), then applies every event the stream
   * acknowledged, in stream order, so the state is what a replay would build. A refused publish fails the call
   * after the acknowledged events are applied.
   */
  private async record(changes: Change[]): Promise<number> {
    const events: RegistrationEvent[] = changes.map((change) => ({ recordedAtMs: this.clock.now(), change }));
    const acks = await Promise.allSettled(
      events.map((event) =>
        this.publisher.publish(
          subjects.registrationEvent(eventKind(event.change!)),
          RegistrationEvent,
          event,
        ),
      ),
    );
    const stored = events
      .map((event, n) => ({ event, ack: acks[n]! }))
      .filter((e) => e.ack.status === 'fulfilled')
      .map((e) => ({ event: e.event, seq: (e.ack as PromiseFulfilledResult<{ seq: number }>).value.seq }))
      .sort((a, b) => a.seq - b.seq);
    for (const { event, seq } of stored) {
      this.state.apply(event);
      this.state.lastSeq = seq;
      this.eventsRecorded++;
    }
    const failed = acks.find((a) => a.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return changes.length;
  }
}

/** Events per batch message: about 100 bytes each, so a batch stays far below NATS's 1 MiB payload limit. */
const BATCH_EVENTS = 2_000;

const unavailable = (cause: Error) =>
  new DccError(
    GrpcStatus.UNAVAILABLE,
    `the registration state is ahead of its record (${cause.message}); the service restarts to rebuild it`,
  );
