import { randomUUID } from 'node:crypto';
import { DccError, GrpcStatus } from '@dcc/domain';
import { DurablePublisher, ensureStream, streams, subjects } from '@dcc/bus';
import { RegistrationEvent, RegistrationEventBatch } from '@dcc/proto';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { StaleDecision, type Follower } from './follower.js';
import { countWriteConflict } from './request-metrics.js';
import { BATCH_SUBJECT } from './subjects.js';
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

/** A fresh message id: every record message carries one, so a pipelined message can name its predecessor. */
const messageId = (): string => randomUUID();

/** Tries of one decision against other instances' concurrent changes before it is refused (ABORTED). */
const MAX_ATTEMPTS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The writer of this instance. Several instances write the same record: each decides a change against its
 * state (which its {@link Follower} keeps at the stream's sequence `state.lastSeq`) and stores it as one message
 * that the stream takes only if nothing was stored after that sequence (`Nats-Expected-Last-Sequence`). When
 * another instance's change got in first, the stream refuses it, the follower catches up and the decision is
 * made again against the newer state (a feed line already applied there becomes "unchanged", a second
 * objection is refused): the stream's order decides between concurrent writers, the same on every instance.
 * A caller is answered only once its change is stored and applied (read-your-writes). Work on one instance
 * runs one at a time (so a decision sees every change before it).
 */
export class Recorder {
  private tail: Promise<unknown> = Promise.resolve();
  eventsRecorded = 0;
  /** Decisions made again because another instance's change got in first. */
  conflicts = 0;
  /** Set when a batch applied ahead of its PubAck was not stored: the state holds what the record does not. */
  private diverged: Error | undefined;
  /** The bulk path's messages in flight: the last one's id (the next names it) and when all are applied. */
  private pipeline: { lastId: string; done: Promise<void> } | undefined;

  constructor(
    readonly follower: Follower,
    private readonly publisher: Pick<DurablePublisher, 'publish'>,
    private readonly clock: Clock,
    /** Called once when the state has run ahead of the record (the service restarts to rebuild it). */
    private readonly onDiverged: (error: Error) => void = () => undefined,
  ) {}

  get state(): RegistrationState {
    return this.follower.state;
  }

  /**
   * Runs `work` after every earlier piece of work; `work` decides from the state and records. Decided again
   * (up to MAX_ATTEMPTS) when another instance's change overtook it, then refused with ABORTED.
   */
  run<T>(work: (record: (changes: Change[]) => Promise<number>) => Promise<T> | T): Promise<T> {
    const result = this.tail.then(async () => {
      for (let attempt = 1; ; attempt++) {
        if (this.diverged) throw unavailable(this.diverged);
        await this.settled();
        try {
          return await work((changes) => this.record(changes));
        } catch (error) {
          if (!(error instanceof StaleDecision) || attempt >= MAX_ATTEMPTS) throw error;
          this.conflicts++;
          countWriteConflict();
          // A random pause, growing with each loss, so two instances racing for the same end of the stream
          // stop colliding instead of losing to each other in lockstep.
          await sleep(Math.random() * Math.min(50, 2 ** attempt));
          await this.follower.catchUp();
        }
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Decide and record in one turn; resolves with the events recorded. */
  change(decide: (state: RegistrationState) => Change[]): Promise<number> {
    return this.run((record) => record(decide(this.state)));
  }

  /** Waits for the work queued so far and the bulk messages in flight. */
  async idle(): Promise<void> {
    await this.tail;
    await this.settled().catch(() => undefined);
  }

  /**
   * The bulk path: `decide` runs in turn with the other work and applies each line's events to the state as it
   * goes (`apply`), so a line sees the lines before it; the events are then stored as batch messages of at most
   * `BATCH_EVENTS`, published together. Resolves (after `decide`'s turn, so the next chunk can be decided while
   * these are in flight) with a promise of their storing: a caller answers only once that resolves. Each
   * message is taken by the stream only right after its predecessor (the first: after the sequence the decision
   * saw; the others: after the previous message, by its id), so no other instance's change can land inside a
   * chunk. A batch the stream refuses (such a change got in first, or the stream failed) leaves the state ahead
   * of the record: the recorder refuses all further work and calls `onDiverged`, since only a rebuild from the
   * record (a restart) makes them agree again.
   */
  async batch<T>(
    decide: (apply: (changes: Change[]) => void) => T,
  ): Promise<{ result: T; stored: Promise<void> }> {
    const events: RegistrationEvent[] = [];
    let after: Record<string, string> = {};
    const result = await this.runPipelined(() => {
      // Decided synchronously: the follower cannot apply anything between this sequence and the last line.
      after = this.pipeline
        ? { 'Nats-Expected-Last-Msg-Id': this.pipeline.lastId }
        : { 'Nats-Expected-Last-Sequence': String(this.state.lastSeq) };
      return decide((changes) => {
        const recordedAtMs = this.clock.now();
        for (const change of changes) {
          const event: RegistrationEvent = { recordedAtMs, change };
          this.state.apply(event);
          events.push(event);
        }
      });
    });
    const publishes: Promise<{ seq: number }>[] = [];
    for (let from = 0; from < events.length; from += BATCH_EVENTS) {
      const id = messageId();
      this.follower.expectOwn(id);
      const slice = events.slice(from, from + BATCH_EVENTS);
      publishes.push(
        this.publisher.publish(
          BATCH_SUBJECT,
          RegistrationEventBatch,
          { events: slice },
          id,
          undefined,
          after,
        ),
      );
      after = { 'Nats-Expected-Last-Msg-Id': id };
    }
    this.eventsRecorded += events.length;
    const stored = Promise.all(publishes).then(
      (acks) => this.follower.waitFor(Math.max(0, ...acks.map((a) => a.seq))),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        if (!this.diverged) {
          this.diverged = failure;
          this.onDiverged(failure);
        }
        throw unavailable(failure);
      },
    );
    if (publishes.length > 0) {
      const pipeline = { lastId: after['Nats-Expected-Last-Msg-Id']!, done: stored };
      this.pipeline = pipeline;
      // The pipeline ends with its last message applied, unless a later chunk extended it meanwhile.
      stored.then(
        () => this.pipeline === pipeline && (this.pipeline = undefined),
        () => undefined,
      );
    }
    // Handled by the caller once the answers before it are written; never an unhandled rejection meanwhile.
    stored.catch(() => undefined);
    return { result, stored };
  }

  /** The bulk path's turn: not waiting for the chunks in flight (they are extended, by id, not overtaken). */
  private runPipelined<T>(work: () => T): Promise<T> {
    const result = this.tail.then(async () => {
      if (this.diverged) throw unavailable(this.diverged);
      // A fresh pipeline starts from the stream's end: deciding on an older state could only be refused.
      if (!this.pipeline) await this.follower.catchUp();
      return work();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Waits for the bulk messages in flight to be stored and applied (a single change follows them). */
  private async settled(): Promise<void> {
    while (this.pipeline) await this.pipeline.done;
  }

  /**
   * Stores a decision's events as one message (a single event on its kind's subject, several as one batch, so
   * a change is stored whole or not at all), on the condition that the stream still ends where the state does;
   * then waits until the follower has applied it. A refused condition is a {@link StaleDecision}.
   */
  private async record(changes: Change[]): Promise<number> {
    if (changes.length === 0) return 0;
    const recordedAtMs = this.clock.now();
    const events: RegistrationEvent[] = changes.map((change) => ({ recordedAtMs, change }));
    const condition = { 'Nats-Expected-Last-Sequence': String(this.state.lastSeq) };
    let seq: number;
    try {
      const ack =
        events.length === 1
          ? await this.publisher.publish(
              subjects.registrationEvent(eventKind(events[0]!.change!)),
              RegistrationEvent,
              events[0]!,
              messageId(),
              undefined,
              condition,
            )
          : await this.publisher.publish(
              BATCH_SUBJECT,
              RegistrationEventBatch,
              { events },
              messageId(),
              undefined,
              condition,
            );
      seq = ack.seq;
    } catch (error) {
      if (error instanceof Error && WRONG_LAST.test(error.message)) throw new StaleDecision(error.message);
      throw error;
    }
    await this.follower.waitFor(seq);
    this.eventsRecorded += events.length;
    return events.length;
  }
}

/** JetStream's refusal of a publish whose expected last sequence or message id is not the stream's. */
const WRONG_LAST = /wrong last (sequence|msg ?id)/i;
/** Events per batch message: about 100 bytes each, so a batch stays far below NATS's 1 MiB payload limit. */
const BATCH_EVENTS = 2_000;

const unavailable = (cause: Error) =>
  new DccError(
    GrpcStatus.UNAVAILABLE,
    `the registration state is ahead of its record (${cause.message}); the service restarts to rebuild it`,
  );
