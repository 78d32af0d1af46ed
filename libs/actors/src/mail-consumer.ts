import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { DEFAULT_MAX_ACK_PENDING, type MailOptions } from './actor-types.js';
import { createConsumer, deleteConsumer, settleAcks } from './consumer-admin.js';

export interface MailConsumerOptions {
  nc: NatsConnection;
  mail: MailOptions;
  /** The instance's durable consumer: `<mail.consumerPrefix>-<instance id token>`. */
  name: string;
  inactiveThresholdMs: number;
  /** The partitions the consumer must filter now (those served). */
  wanted(): number[];
  /** Resolves once every running turn has finished (and acked or nak'ed its message). */
  finishTurns(): Promise<void>;
  /** Whether the runtime stopped: no consumer is created any more. */
  closed(): boolean;
  /** Mail of the current consumer (mail of a replaced one is never passed on: it is delivered again). */
  onMail(message: JsMsg): void;
  onError(error: unknown, where: string): void;
}

/**
 * The instance's one durable pull consumer on the mail stream, filtering the subjects of the partitions it
 * serves, and its lifecycle: re-created on every change of those partitions, re-created when deleted under us,
 * deleted when no partition is left.
 */
export class MailConsumer {
  private filtered: number[] = [];
  private messages?: ConsumerMessages;
  /** Bumped on every consumer change: mail from an older consumer is ignored (not acked). */
  private generation = 0;
  private gone = false;
  private reconciling?: Promise<void>;
  private again = false;

  constructor(private readonly options: MailConsumerOptions) {
    void this.watchConnection();
  }

  /** The current consumer's number: mail delivered under an older one is delivered again by the current one. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** The partitions the consumer filters now. */
  get filteredPartitions(): number[] {
    return [...this.filtered];
  }

  /**
   * Brings the consumer in line with the partitions served: one run at a time; calls arriving meanwhile are
   * served by one more run. Resolves after a run that started after the call.
   */
  reconcile(): Promise<void> {
    if (this.reconciling) {
      this.again = true; // the running loop goes round once more
      return this.reconciling;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          try {
            await this.reconfigure();
          } catch (error) {
            // Stopped half way (e.g. a request lost with a dropped connection): what the server has is
            // unknown, so the next run re-creates the consumer whatever the partitions.
            this.gone = true;
            throw error;
          }
        } while (this.again);
      } finally {
        this.reconciling = undefined;
      }
    })();
    this.reconciling = run;
    return run;
  }

  /** Crash simulation: stops pulling; the consumer stays, as a dead process's would (the next owners delete it). */
  abandon(): void {
    this.generation++;
    this.messages?.stop();
    this.messages = undefined;
  }

  /**
   * Re-creates the consumer with the filters of the partitions served (or deletes it when there are none).
   *
   * Re-created, not updated: a filter update does not rewind the consumer (mail of a gained partition below
   * its delivery cursor would never come) and keeps redelivering pending mail of a dropped partition. A new
   * consumer starts at the first unacknowledged message of its filters (work-queue retention keeps only
   * those), so a dead owner's unacknowledged mail is delivered again at once and in stream order. Before the
   * delete, delivery pauses and running turns finish and ack, so little is delivered twice.
   */
  private async reconfigure(): Promise<void> {
    const wanted = this.options.wanted();
    if (!this.gone && sameList(wanted, this.filtered) && (this.messages || !wanted.length)) return;
    const { nc, mail, name } = this.options;
    // Pause: stop pulling, let running turns finish and their acks reach the server. Before anything that can
    // fail, so a failed run never leaves the old pull looking current.
    this.generation++;
    const old = this.messages;
    this.messages = undefined;
    await old?.close().catch(() => undefined);
    const jsm = await jetstreamManager(nc);
    await this.options.finishTurns();
    if (this.filtered.length) {
      await nc.flush().catch(() => undefined);
      await settleAcks(jsm, mail.stream, name);
    }
    // Also a consumer of this instance id left by an earlier process.
    await deleteConsumer(jsm, mail.stream, name);
    this.filtered = [];
    this.gone = false;
    const now = this.options.wanted();
    if (!now.length || this.options.closed()) return;
    await createConsumer(jsm, this.config(now), mail.consumerPrefix, (other) =>
      this.options.onError(new Error(`deleted consumer ${other} of a previous owner`), 'consumer takeover'),
    );
    this.filtered = now;
    const generation = this.generation;
    const consumer = await jetstream(nc).consumers.get(mail.stream, name);
    const messages = await consumer.consume({
      max_messages: Math.min(mail.maxAckPending ?? DEFAULT_MAX_ACK_PENDING, 1_024),
      callback: (m) => {
        // An old consumer's: the current one delivers it again.
        if (generation === this.generation) this.options.onMail(m);
      },
    });
    this.messages = messages;
    void this.watch(generation, messages);
  }

  /**
   * After a reconnect the consumer is re-created. The server may have delivered mail to the dropped connection
   * (a network partition, or a process frozen longer than the server's ping tolerance): on the old consumer it
   * would come back only after the ack wait, and its pull request died with the connection. A new consumer
   * starts at the first unacknowledged message, so that mail is delivered again at once.
   */
  private async watchConnection(): Promise<void> {
    for await (const status of this.options.nc.status()) {
      if (this.options.closed()) return;
      if (status.type !== 'reconnect') continue;
      this.gone = true;
      await this.reconcile().catch((e: unknown) => this.options.onError(e, 'consumer'));
    }
  }

  /** A consumer deleted under us (by a new owner who saw it as a late one's, or inactivity): re-create it. */
  private async watch(generation: number, messages: ConsumerMessages): Promise<void> {
    try {
      for await (const status of messages.status()) {
        if (generation !== this.generation || this.options.closed()) return;
        if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found') {
          this.gone = true;
          await this.reconcile().catch((e: unknown) => this.options.onError(e, 'consumer'));
          return;
        }
      }
    } catch {
      // closed
    }
  }

  private config(partitions: number[]): Partial<ConsumerConfig> & { stream: string } {
    const { mail } = this.options;
    return {
      stream: mail.stream,
      durable_name: this.options.name,
      filter_subjects: partitions.map((p) => mail.filterSubject(p)),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: mail.maxAckPending ?? DEFAULT_MAX_ACK_PENDING,
      ack_wait: nanos(mail.ackWaitMs ?? 30_000),
      inactive_threshold: nanos(this.options.inactiveThresholdMs),
    };
  }
}

function sameList(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
