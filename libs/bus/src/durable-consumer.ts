import { DccError, GrpcStatus } from '@dcc/domain';
import { AckPolicy, DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { decode, type Codec } from './codec.js';
import { ensureConsumer } from './consumer-setup.js';
import { outboundOf, type OutboundBatch } from './outbound-batch.js';
import { extractTraceContext } from './trace-headers.js';
import { inSpan, SpanKind } from './tracing.js';

export interface DurableConsumerOptions<T> {
  stream: string;
  durable: string;
  filterSubject: string;
  codec: Codec<T>;
  /** Used in span names and errors, e.g. "meter command". */
  what: string;
  /** Messages handed out and not yet acknowledged, across all instances sharing the durable. */
  maxAckPending?: number;
  /** How long a message may stay unacknowledged before the server redelivers it. */
  ackWaitMs?: number;
  /** Messages pulled per batch. */
  batch?: number;
  /** Resolves when the message is fully handled; then it is acknowledged. */
  handle(message: T, msg: JsMsg): Promise<void>;
  /** Called for messages that can never be handled (malformed); they are terminated, not retried. */
  onRejected?(error: DccError, msg: JsMsg): void;
}

/** Redelivery delay after a transient failure. */
const RETRY_DELAY_MS = 1_000;

/**
 * A durable JetStream consumer with explicit acks: a message is acknowledged only after its handler finished,
 * so a crash in between means redelivery, never loss.
 */
export class DurableConsumer<T> {
  private readonly inFlight = new Set<Promise<void>>();
  private messages!: ConsumerMessages;

  private constructor(
    private readonly options: DurableConsumerOptions<T>,
    private readonly outbound: OutboundBatch,
  ) {}

  static async start<T>(nc: NatsConnection, options: DurableConsumerOptions<T>): Promise<DurableConsumer<T>> {
    await ensureConsumer(nc, options.stream, {
      durable_name: options.durable,
      filter_subject: options.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: options.maxAckPending ?? 10_000,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
    });
    const consumer = await jetstream(nc).consumers.get(options.stream, options.durable);
    const self = new DurableConsumer(options, outboundOf(nc));
    self.messages = await consumer.consume({
      max_messages: options.batch ?? 1_000,
      callback: (msg) => self.dispatch(msg),
    });
    return self;
  }

  /** Stops pulling and waits for handlers already running; unhandled messages stay in the stream. */
  async drain(): Promise<void> {
    await this.messages.close();
    await Promise.all(this.inFlight);
    this.outbound.flush();
  }

  private dispatch(msg: JsMsg): void {
    const work = this.process(msg);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async process(msg: JsMsg): Promise<void> {
    const { what, codec, handle, onRejected } = this.options;
    try {
      await inSpan(
        `${what} process`,
        SpanKind.CONSUMER,
        extractTraceContext(msg.headers),
        {
          'messaging.system': 'nats',
          'messaging.destination.name': msg.subject,
        },
        () => handle(decode(codec, msg.data, what), msg),
      );
      this.outbound.run(() => msg.ack());
    } catch (error) {
      const failure = DccError.from(error);
      if (failure.status === GrpcStatus.INVALID_ARGUMENT) {
        onRejected?.(failure, msg);
        msg.term(failure.message);
      } else {
        msg.nak(RETRY_DELAY_MS);
      }
    }
  }
}
