import { ensureConsumer } from '@dcc/bus';
import { AckPolicy, DeliverPolicy, jetstream, type Consumer, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@dcc/service-kit';
import type { StoredMessage } from './facts.js';
import type { Fact, FactSource } from './tally.js';
import type { TallyStore } from './tally-store.js';

export interface StreamTallyOptions {
  stream: string;
  durable: string;
  filterSubject: string;
  source: FactSource;
  /** The facts a message states; none: it is acknowledged uncounted. Throws: malformed. */
  factsOf(message: StoredMessage): Fact[];
  store: TallyStore;
  log: Logger;
  /** Messages pulled and counted together (one compare-and-set per block touched). */
  batch: number;
}

/** How long a pull waits for messages before it asks again (and how soon a drain is noticed). */
const PULL_EXPIRES_MS = 1_000;
/** After a failed round (bus or bucket unavailable): wait, then pull again; the unacknowledged come back. */
const RETRY_DELAY_MS = 1_000;

/**
 * Counts one durable stream into the tallies: pulls a batch from a durable consumer the service's instances
 * share, stores its facts (TallyStore.add, idempotent by stream sequence), and only then acknowledges the
 * batch. A crash in between redelivers the batch after the ack wait, and what was stored already is not counted
 * again; nothing is acknowledged uncounted.
 */
export class StreamTally {
  private stopped = false;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: StreamTallyOptions,
  ) {
    this.loop = this.run();
  }

  static async start(nc: NatsConnection, options: StreamTallyOptions): Promise<StreamTally> {
    await ensureConsumer(nc, options.stream, {
      durable_name: options.durable,
      filter_subject: options.filterSubject,
      ack_policy: AckPolicy.Explicit,
      // From the stream's first message: a tally started later counts what the stream still holds.
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: options.batch * 4,
      ack_wait: nanos(30_000),
    });
    return new StreamTally(await jetstream(nc).consumers.get(options.stream, options.durable), options);
  }

  /** Stops pulling and waits for the round in progress; what it did not acknowledge stays in the consumer. */
  async drain(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.round();
      } catch (error) {
        this.options.log.warn({ err: error, stream: this.options.stream }, 'tally round failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  private async round(): Promise<void> {
    const { batch, factsOf, source, store, log } = this.options;
    const messages: JsMsg[] = [];
    const pulled = await this.consumer.fetch({ max_messages: batch, expires: PULL_EXPIRES_MS });
    for await (const msg of pulled) messages.push(msg);
    if (messages.length === 0) return;
    const facts: Fact[] = [];
    const counted: JsMsg[] = [];
    for (const msg of messages) {
      try {
        facts.push(...factsOf(storedMessage(msg)));
        counted.push(msg);
      } catch (error) {
        // Malformed: it can never be counted, so it is not retried (and does not hold up the others).
        log.warn({ err: error, stream: msg.info.stream, seq: msg.seq }, 'uncountable message terminated');
        msg.term();
      }
    }
    await store.add(source, facts);
    for (const msg of counted) msg.ack();
  }
}

function storedMessage(msg: JsMsg): StoredMessage {
  return {
    seq: msg.seq,
    subject: msg.subject,
    storedAtMs: Math.floor(msg.info.timestampNanos / 1_000_000),
    headers: msg.headers,
    data: msg.data,
  };
}
