import { DccError, GrpcStatus } from '@dcc/domain';
import { streams } from '@dcc/bus';
import { RegistrationEvent, RegistrationEventBatch } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BATCH_SUBJECT } from './subjects.js';
import type { RegistrationState } from './state.js';

/** How long a writer waits for its own stored change to come back through the stream before giving up. */
const APPLY_TIMEOUT_MS = 30_000;

/**
 * Keeps an instance's state in step with the REGISTRATION stream: every event of every instance, applied in
 * stream order by one ordered consumer, so all instances build the same state. A writer learns the sequence of
 * its stored change from the PubAck and waits (`waitFor`) until this follower has applied it, so it answers
 * reads consistently with what it acknowledged. The bulk path applies its chunk's events to the state while
 * deciding (each line must see the lines before it); it names their messages here first (`expectOwn`), and the
 * follower passes over them instead of applying them twice.
 */
export class Follower {
  private messages: ConsumerMessages | undefined;
  private readonly waiters: { seq: number; resolve: () => void }[] = [];
  private readonly own = new Set<string>();
  private running: Promise<void> = Promise.resolve();
  eventsApplied = 0;
  /** Events of other instances applied while the state held unstored own ones: the state no longer agrees. */
  divergedAt = 0;

  constructor(
    private readonly nc: NatsConnection,
    readonly state: RegistrationState,
    private readonly log: Logger,
  ) {}

  /** Starts following from the state's last sequence; resolves once the record as it stood at start is applied. */
  async start(): Promise<number> {
    const jsm = await jetstreamManager(this.nc);
    const { last_seq: last, messages: stored } = (await jsm.streams.info(streams.registration.name)).state;
    // An empty stream (never written, or purged) has nothing to apply up to its last sequence.
    if (stored === 0) this.state.lastSeq = Math.max(this.state.lastSeq, last);
    const consumer = await jetstream(this.nc).consumers.get(streams.registration.name, {
      opt_start_seq: this.state.lastSeq + 1,
    });
    this.messages = await consumer.consume({ max_messages: 10_000 });
    const messages = this.messages;
    this.running = (async () => {
      for await (const msg of messages) this.receive(msg);
    })().catch((error: unknown) => this.log.error({ err: error }, 'registration follower stopped'));
    await this.waitFor(last, Infinity);
    return this.eventsApplied;
  }

  /** Resolves once the state holds every event up to `seq` (UNAVAILABLE after `timeoutMs`). */
  waitFor(seq: number, timeoutMs = APPLY_TIMEOUT_MS): Promise<void> {
    if (this.state.lastSeq >= seq) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer =
        timeoutMs === Infinity
          ? undefined
          : setTimeout(() => {
              const n = this.waiters.indexOf(waiter);
              if (n >= 0) this.waiters.splice(n, 1);
              reject(
                DccError.unavailable(`the registration record's sequence ${seq} was not applied in time`),
              );
            }, timeoutMs);
      const waiter = {
        seq,
        resolve: () => {
          if (timer) clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves once the state holds everything the stream holds now. */
  async catchUp(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const last = (await jsm.streams.info(streams.registration.name)).state.last_seq;
    await this.waitFor(last);
  }

  /** The bulk path: a message this instance is about to store and has applied already (pass over it). */
  expectOwn(messageId: string): void {
    this.own.add(messageId);
  }

  /** A message named by `expectOwn` that will not be stored after all. */
  forgetOwn(messageId: string): void {
    this.own.delete(messageId);
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.running;
  }

  private receive(msg: JsMsg): void {
    if (msg.seq <= this.state.lastSeq) return;
    const id = msg.headers?.get('Nats-Msg-Id') ?? '';
    if (id !== '' && this.own.delete(id)) {
      this.advance(msg.seq);
      return;
    }
    if (this.own.size > 0 && this.divergedAt === 0) {
      // Another instance's change landed before this instance's applied-ahead chunk: the chunk's publish is
      // refused (it expected to follow its predecessor), so the state no longer agrees with the record and the
      // recorder has the service rebuild it (exit, replay at restart).
      this.divergedAt = msg.seq;
      this.log.error(
        { seq: msg.seq },
        'registration event of another instance arrived inside an unstored chunk',
      );
    }
    // A batch (the bulk feed path, or a change of several events) is applied in its order, as if stored one by one.
    const events =
      msg.subject === BATCH_SUBJECT
        ? RegistrationEventBatch.decode(msg.data).events
        : [RegistrationEvent.decode(msg.data)];
    for (const event of events) {
      try {
        this.state.apply(event);
        this.eventsApplied++;
      } catch (error) {
        // Only applicable events are recorded (each decided against the state it follows), so this should not
        // happen; one bad record must not stop the service.
        this.log.error({ err: error, seq: msg.seq }, 'registration event skipped');
      }
    }
    this.advance(msg.seq);
  }

  private advance(seq: number): void {
    this.state.lastSeq = seq;
    if (this.waiters.length === 0) return;
    for (let n = this.waiters.length - 1; n >= 0; n--) {
      const waiter = this.waiters[n]!;
      if (waiter.seq <= seq) {
        this.waiters.splice(n, 1);
        waiter.resolve();
      }
    }
  }
}

/** A decision made against a state another instance's change has since overtaken: decided again. */
export class StaleDecision extends DccError {
  constructor(detail: string) {
    super(GrpcStatus.ABORTED, `registration changed concurrently on another instance: ${detail}`);
  }
}
