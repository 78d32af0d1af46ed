import { outboundOf, type OutboundBatch } from '@dcc/bus';
import type { JsMsg } from '@nats-io/jetstream';
import { Activations, type Activation, type Serving } from './activations.js';
import {
  DEFAULT_MAX_ACK_PENDING,
  MailboxFull,
  MailSuperseded,
  PartitionRevokedError,
  type ActorContext,
  type ActorRuntimeOptions,
  type RuntimeStats,
} from './actor-types.js';
import { DEFAULT_PARTITIONS, keyToken, partitionOfActor } from './keys.js';
import { MailConsumer } from './mail-consumer.js';
import { PartitionLeases } from './partition-leases.js';
import { ReminderScanner } from './reminder-scanner.js';
import { ReminderStore, type DueReminder } from './reminders.js';
import { ServedPartitions } from './served-partitions.js';

/**
 * A partitioned virtual-actor runtime over NATS JetStream.
 *
 * Actor id → partition (FNV-1a mod P). Partitions are owned through KV leases ({@link PartitionLeases}), and
 * taken up and handed over by {@link ServedPartitions}; one durable pull consumer per instance, filtering the
 * subjects of the partitions it owns (re-created on every ownership change), delivers their mail; each actor
 * handles one message at a time (turn-based), with state loaded on activation from the {@link StateStore},
 * persisted write-through before the message is acknowledged, and dropped from memory when idle or least recently
 * used beyond `maxActive`.
 */
export class ActorRuntime<S> {
  readonly partitions: number;
  readonly stats: RuntimeStats = {
    handled: 0,
    failed: 0,
    activations: 0,
    passivations: 0,
    remindersFired: 0,
  };
  /** This instance's durable consumer. */
  readonly consumerName: string;
  private readonly served: ServedPartitions;
  private readonly retryDelayMs: number;
  private readonly actorIdOf: (subject: string) => string;
  private readonly activations: Activations<S>;
  private readonly consumer: MailConsumer;
  /** Where a finished turn's ack goes: sent with the connection's other sends of the loop turn. */
  private readonly outbound: OutboundBatch;
  private leases!: PartitionLeases;
  private reminders?: ReminderScanner;
  private sweeper?: NodeJS.Timeout;
  private reminderLoop?: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly options: ActorRuntimeOptions<S>) {
    this.outbound = outboundOf(options.nc);
    this.partitions = options.partitions ?? DEFAULT_PARTITIONS;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.actorIdOf = options.mail.actorIdOf ?? ((s) => s.slice(s.lastIndexOf('.') + 1));
    this.consumerName = `${options.mail.consumerPrefix}-${keyToken(options.instanceId)}`;
    this.activations = new Activations<S>({
      actor: options.actor,
      store: options.store,
      stats: this.stats,
      idleMs: options.idleMs ?? 120_000,
      maxActive: options.maxActive ?? 100_000,
      mailboxCapacity: options.mailboxCapacity ?? options.mail.maxAckPending ?? DEFAULT_MAX_ACK_PENDING,
      serving: (s) => this.served.serving(s),
      mayFinish: (s) => this.served.mayFinish(s),
      context: (s, a) => this.context(s, a),
    });
    const ttl = options.leases?.ttlMs ?? 10_000;
    this.consumer = new MailConsumer({
      nc: options.nc,
      mail: options.mail,
      name: this.consumerName,
      inactiveThresholdMs: options.mail.inactiveThresholdMs ?? Math.max(30_000, 3 * ttl),
      wanted: () => this.served.active(),
      finishTurns: async () => {
        // Those of partitions being handed over too: their acks must reach the consumer before it is deleted.
        await Promise.allSettled([...this.served.running]);
      },
      closed: () => this.closed,
      onMail: (m) => this.onMail(m),
      onError: (e, where) => this.error(e, where),
    });
    this.served = new ServedPartitions({
      instanceId: options.instanceId,
      consumerName: this.consumerName,
      store: options.store,
      consumer: this.consumer,
      activations: this.activations,
      outbound: this.outbound,
      leases: () => this.leases as PartitionLeases | undefined,
      reminders: () => this.reminders,
      closed: () => this.closed,
      error: (e, where) => this.error(e, where),
    });
  }

  /** Starts the runtime; resolves once the first ownership round has claimed this instance's share. */
  static async start<S>(options: ActorRuntimeOptions<S>): Promise<ActorRuntime<S>> {
    const self = new ActorRuntime(options);
    if (options.reminders !== false)
      self.reminders = new ReminderScanner(await ReminderStore.open(options.nc, options.reminders?.bucket), {
        stats: self.stats,
        fire: (r) => self.fire(r),
        onError: (e, where) => self.error(e, where),
      });
    self.leases = await PartitionLeases.start({
      nc: options.nc,
      instanceId: options.instanceId,
      partitions: self.partitions,
      ...options.leases,
      onAcquired: (p) => self.served.acquire(p),
      onLost: (p, graceful) => self.served.lose(p, graceful),
      onError: (e) => self.error(e, 'leases'),
    });
    const idleMs = options.idleMs ?? 120_000;
    self.sweeper = setInterval(() => self.passivateIdle(), Math.max(10, Math.min(idleMs, 5_000)));
    self.sweeper.unref();
    if (self.reminders) {
      const tickMs = (options.reminders || undefined)?.tickMs ?? 1_000;
      self.reminderLoop = setInterval(() => void self.scanReminders(), tickMs);
    }
    return self;
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  get ownedPartitions(): number[] {
    return this.leases.ownedPartitions;
  }

  /** The partitions this instance's consumer filters now. */
  get filteredPartitions(): number[] {
    return this.consumer.filteredPartitions;
  }

  /** Actors whose state is in memory now (never above `maxActive`). */
  get activeCount(): number {
    return this.activations.activeCount;
  }

  partitionOf(actorId: string): number {
    return partitionOfActor(actorId, this.partitions);
  }

  /** Runs one reminder scan now (the loop runs them every tick). */
  scanReminders(): Promise<void> {
    if (!this.reminders || this.closed) return Promise.resolve();
    return this.reminders.scan();
  }

  /** Passivates idle actors (all idle ones when `everyone`). State is already stored: this only frees memory. */
  passivateIdle(everyone = false): void {
    this.activations.passivateIdle(everyone);
  }

  /** Graceful stop: every partition stops, finishes its running turns and is released to other instances. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    clearInterval(this.reminderLoop);
    await this.reminders?.running;
    await this.leases.stop();
    // Every partition was released, each after the consumer stopped filtering it; the last one deleted it.
    await this.consumer.reconcile().catch((e) => this.error(e, 'consumer'));
    await this.activations.settle();
    this.passivateIdle(true);
    this.reminders?.store.close(); // after the last turn: turns set and cancel reminders through it
  }

  /**
   * Crash simulation for tests: stops everything at once without acking, naking or releasing anything, as if
   * the process had died (the caller then drops the NATS connection).
   */
  abandon(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    clearInterval(this.reminderLoop);
    this.leases.abandon();
    this.served.abandon();
    this.consumer.abandon();
  }

  private error(error: unknown, where: string): void {
    this.options.onError?.(error, where);
  }

  /** Mail of the current consumer: the actor's turn, then ack (state stored) or nak (redelivered). */
  private onMail(m: JsMsg): void {
    const actorId = this.actorIdOf(m.subject);
    const s = this.served.get(partitionOfActor(actorId, this.partitions));
    if (!s || !this.served.serving(s)) return; // not acked: the next consumer (ours or the next owner's) gets it
    const message = {
      kind: 'mail' as const,
      actorId,
      partition: s.partition,
      data: m.data,
      subject: m.subject,
      headers: m.headers,
      seq: m.seq,
      redelivered: m.redelivered,
    };
    // A failed turn is tried again in place, not nak'ed: a redelivery would come after the actor's newer mail
    // already queued or delivered meanwhile, and run out of order. Each failure pushes the ack deadline back.
    const generation = this.consumer.currentGeneration;
    const retry = {
      delayMs: this.retryDelayMs,
      current: () => generation === this.consumer.currentGeneration,
      onFailure: (error: unknown) => {
        this.error(error, `actor ${actorId}`);
        settle(() => m.working());
      },
    };
    const overtakes = this.options.overtakes?.(message) ?? false;
    const work = this.activations.deliver(s, actorId, message, retry, overtakes).then(
      () => this.outbound.run(() => m.ack()),
      // Refused before its turn ran (a full mailbox), or the partition is no longer served here or the consumer
      // was replaced (the next consumer delivers the unacknowledged mail again, in stream order).
      (error: unknown) => {
        if (error instanceof PartitionRevokedError || error instanceof MailSuperseded) settle(() => m.nak());
        else {
          if (!(error instanceof MailboxFull)) this.error(error, `actor ${actorId}`);
          settle(() => m.nak(this.retryDelayMs));
        }
      },
    );
    this.served.track(s, work);
  }

  /** A due reminder as its actor's turn (undefined when its partition is not served here). */
  private fire(r: DueReminder): Promise<void> | undefined {
    const s = this.served.get(r.partition);
    if (!s) return undefined;
    const turn = this.activations.deliver(s, r.actorId, {
      kind: 'reminder',
      actorId: r.actorId,
      partition: r.partition,
      data: r.data,
      reminder: r.name,
      dueAt: r.dueAt,
    });
    this.served.track(
      s,
      turn.catch(() => undefined),
      false,
    );
    return turn;
  }

  private context(s: Serving, a: Activation<S>): ActorContext {
    const reminders = this.reminders?.store;
    return {
      actorId: a.id,
      partition: a.partition,
      instanceId: this.options.instanceId,
      remind: async (name, dueAt, data) => {
        if (!reminders) throw new Error('reminders are turned off');
        if (!this.served.mayFinish(s)) throw new PartitionRevokedError(s.partition);
        await reminders.set(a.partition, a.id, name, dueAt, data);
      },
      cancelReminder: async (name) => {
        if (!reminders) throw new Error('reminders are turned off');
        await reminders.cancel(a.partition, a.id, name);
      },
    };
  }
}

function settle(ack: () => void): void {
  try {
    ack();
  } catch {
    // connection gone: the server redelivers after ack wait
  }
}
