import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  type Consumer,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { ensureConsumer } from './consumer-setup.js';

export interface PullConsumerOptions {
  stream: string;
  durable: string;
  filterSubject: string;
  /** How long a message may stay unacknowledged (without `working()`) before the server redelivers it. */
  ackWaitMs: number;
  /** Messages handed out and not yet acknowledged, across every reader of the durable. */
  maxAckPending: number;
}

/**
 * A durable JetStream consumer whose reader decides when to pull and when to acknowledge: for deliveries whose
 * acknowledgement depends on someone else (a User confirming what it received), where DurableConsumer's "ack
 * when the handler returns" does not fit. Several readers may pull from the same durable; each message goes to
 * one of them.
 */
export class PullConsumer {
  private constructor(
    private readonly consumer: Consumer,
    private readonly nc: NatsConnection,
  ) {}

  static async open(nc: NatsConnection, options: PullConsumerOptions): Promise<PullConsumer> {
    await ensureConsumer(nc, options.stream, {
      durable_name: options.durable,
      filter_subject: options.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: options.maxAckPending,
      ack_wait: nanos(options.ackWaitMs),
    });
    return new PullConsumer(await jetstream(nc).consumers.get(options.stream, options.durable), nc);
  }

  /**
   * Pulls up to `max` messages, handing each to `onMessage` as soon as it arrives. `finished` resolves when `max`
   * arrived, after `expiresMs` (fewer were available) or after `stop()`; it rejects when the pull fails (e.g. the
   * connection dropped).
   */
  /**
   * Resolves once nats-server has processed everything this connection sent before, the unsubscription of a
   * stopped pull's inbox included. A stopped pull's request stays at the server until it expires; a message the
   * server hands to it after the inbox is gone waits out the ack wait. Settling after a stop closes that window
   * before the reader says it has ended (a round trip to the server).
   */
  async settle(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.flush().catch(() => undefined);
  }

  pull(max: number, expiresMs: number, onMessage: (msg: JsMsg) => void): Pull {
    let messages: ConsumerMessages | undefined;
    let stopped = false;
    const finished = (async () => {
      messages = await this.consumer.fetch({ max_messages: max, expires: expiresMs });
      if (stopped) messages.stop();
      for await (const msg of messages) onMessage(msg);
    })();
    return {
      finished,
      stop: () => {
        stopped = true;
        messages?.stop();
      },
    };
  }
}

/** One pull request in progress. */
export interface Pull {
  finished: Promise<void>;
  stop(): void;
}
