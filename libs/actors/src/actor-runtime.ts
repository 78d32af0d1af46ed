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

/**
 * A partitioned virtual-actor runtime over NATS JetStream.
 *
 * Actor id → partition (FNV-1a mod P). Partitions are owned through KV leases ({@link PartitionLeases}); one
 * durable pull consumer per instance, filtering the subjects of the partitions it owns (re-created on every
 * ownership change), delivers their mail; each actor handles one message at a time
 * (turn-based), with state loaded on activation from the {@link StateStore}, persisted write-through before the
 * message is acknowledged, and dropped from memory when idle or least recently used beyond `maxActive`.
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
  private readonly served = new Map<number, Serving>();
  /** Every running turn of mail, of any partition (served or being handed over). */
  private readonly running = new Set<Promise<void>>();
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
      serving: (s) => this.serving(s),
      mayFinish: (s) => this.mayFinish(s),
      context: (s, a) => this.context(s, a),
    });
    const ttl = options.leases?.ttlMs ?? 10_000;
    this.consumer = new MailConsumer({
      nc: options.nc,
      mail: options.mail,
      name: this.consumerName,
      inactiveThresholdMs: options.mail.inactiveThresholdMs ?? Math.max(30_000, 3 * ttl),
      wanted: () =>
        [...this.served.values()]
          .filter((s) => s.active)
          .map((s) => s.partition)
          .sort((a, b) => a - b),
      finishTurns: async () => {
        // Those of partitions being handed over too: their acks must reach the consumer before it is deleted.
        await Promise.allSettled([...this.running]);
      },
      closed: () => this.closed,
      onMail: (m) => this.onMail(m),
      onError: (e, where) => this.error(e, where),
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
      onAcquired: (p) => self.acquire(p),
      onLost: (p, graceful) => self.lose(p, graceful),
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
    for (const s of this.served.values()) {
      s.active = false;
      s.revoked = true;
    }
    this.served.clear();
    this.consumer.abandon();
  }

  private error(error: unknown, where: string): void {
    this.options.onError?.(error, where);
  }

  private serving(s: Serving): boolean {
    // The lease's deadline too, not only `active` (cleared by the leases' watchdog timer, which runs late after
    // a freeze). `leases` is unset only while its first round runs inside `start`, on leases just taken.
    const leases = this.leases as PartitionLeases | undefined;
    const held = leases === undefined || leases.holds(s.partition);
    return s.active && held && this.served.get(s.partition) === s && !this.closed;
  }

  /**
   * Whether a running turn may still store its outcome (and set reminders): not while new turns may start
   * (`serving`), but while the lease is held and not revoked. A graceful hand-over (a stop, a rebalance) stops
   * new turns, waits for the running ones to store and ack, and only then revokes and releases the lease: a
   * turn refused its write there would have acted on its device with nothing stored, and the next owner
   * would deliver the command again.
   */
  private mayFinish(s: Serving): boolean {
    const leases = this.leases as PartitionLeases | undefined;
    const held = leases === undefined || leases.holds(s.partition);
    return !s.revoked && held;
  }

  private async acquire(partition: number): Promise<void> {
    const s: Serving = { partition, active: true, revoked: false, inFlight: new Set() };
    this.served.set(partition, s);
    try {
      await this.options.store.partitionAcquired?.(partition, this.options.instanceId);
      await this.reminders?.acquire(partition);
      if (!this.serving(s)) return;
      // One consumer change for every partition acquired in this round (they call in together).
      await this.consumer.reconcile();
      if (this.serving(s) && !this.consumer.filteredPartitions.includes(partition))
        throw new Error(`consumer ${this.consumerName} does not filter partition ${partition}`);
    } catch (error) {
      s.active = false;
      s.revoked = true;
      if (this.served.get(partition) === s) this.served.delete(partition);
      throw error;
    }
  }

  private async lose(partition: number, graceful: boolean): Promise<void> {
    const s = this.served.get(partition);
    if (!s) return;
    s.active = false;
    this.served.delete(partition);
    this.reminders?.release(partition);
    // Graceful: let running turns finish, store and ack (the lease is held until this returns); queued ones see
    // the partition no longer served and are nak'ed. Lost: running turns may not store any more.
    if (!graceful) s.revoked = true;
    else await Promise.allSettled([...s.inFlight]);
    this.outbound.flush(); // the finished turns' acks, before the consumer stops filtering the partition
    s.revoked = true;
    this.activations.dropPartition(partition);
    // The consumer must no longer filter the partition before the lease is released (work-queue filters may
    // not overlap, and the next owner's consumer takes it over).
    await this.consumer.reconcile().catch((e: unknown) => this.error(e, 'consumer'));
    if (graceful)
      await this.options.store
        .partitionReleased?.(partition)
        .catch((e: unknown) => this.error(e, `release of partition ${partition}`));
  }

  /** Mail of the current consumer: the actor's turn, then ack (state stored) or nak (redelivered). */
  private onMail(m: JsMsg): void {
    const actorId = this.actorIdOf(m.subject);
    const s = this.served.get(partitionOfActor(actorId, this.partitions));
    if (!s || !this.serving(s)) return; // not acked: the next consumer (ours or the next owner's) gets it
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
    track(s, work, this.running);
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
    track(
      s,
      turn.catch(() => undefined),
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
        if (!this.mayFinish(s)) throw new PartitionRevokedError(s.partition);
        await reminders.set(a.partition, a.id, name, dueAt, data);
      },
      cancelReminder: async (name) => {
        if (!reminders) throw new Error('reminders are turned off');
        await reminders.cancel(a.partition, a.id, name);
      },
    };
  }
}

/** Running turns of a partition (and of the runtime), so a hand-over (and a consumer change) can wait for them. */
function track(s: Serving, work: Promise<void>, running?: Set<Promise<void>>): void {
  s.inFlight.add(work);
  running?.add(work);
  void work.finally(() => {
    s.inFlight.delete(work);
    running?.delete(work);
  });
}

function settle(ack: () => void): void {
  try {
    ack();
  } catch {
    // connection gone: the server redelivers after ack wait
  }
}
