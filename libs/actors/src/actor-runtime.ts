import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiError,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { DEFAULT_PARTITIONS, keyToken, partitionOfActor } from './keys.js';
import { PartitionLeases } from './partition-leases.js';
import { ReminderStore, type DueReminder } from './reminders.js';
import type { StateStore } from './state-store.js';

/** What an actor receives: stream mail or a fired reminder. */
export interface ActorMessage {
  kind: 'mail' | 'reminder';
  actorId: string;
  partition: number;
  data: Uint8Array;
  /** Mail: the subject, headers, stream sequence and whether the stream delivered it before. */
  subject?: string;
  headers?: MsgHdrs;
  seq?: number;
  redelivered?: boolean;
  /** Reminder: its name and due time. */
  reminder?: string;
  dueAt?: number;
}

export interface ActorContext {
  readonly actorId: string;
  readonly partition: number;
  readonly instanceId: string;
  /** Sets (or moves) a durable reminder; it is stored before the current message is acknowledged. */
  remind(name: string, dueAt: number, data?: Uint8Array): Promise<void>;
  cancelReminder(name: string): Promise<void>;
}

/**
 * A virtual actor kind. State is whatever the actor keeps in memory while active; the runtime stores it as
 * the bytes `save` returns.
 */
export interface VirtualActor<S> {
  /** Builds the in-memory state on activation; `stored` is undefined for an actor with no stored state. */
  load(actorId: string, stored: Uint8Array | undefined): Promise<S> | S;
  save(state: S, actorId: string): Uint8Array;
  /**
   * Handles one message (never concurrently with another of the same actor). Returning a state persists it
   * (write-through) before the message is acknowledged; returning undefined means "unchanged".
   */
  receive(state: S, message: ActorMessage, context: ActorContext): Promise<S | undefined> | S | undefined;
}

export interface MailOptions {
  /** The JetStream stream holding actor mail (a work-queue stream, e.g. METER_MAIL). */
  stream: string;
  /** The subject filter of one partition's mail, e.g. `p => \`dcc.meter.s2.${p}.>\``. Partitions must not overlap. */
  filterSubject(partition: number): string;
  /**
   * Prefix of the instances' durable consumer names: each instance has one durable pull consumer,
   * `<prefix>-<instance id>`, filtering the subjects of the partitions it owns. A consumer of another instance
   * with this prefix whose filters overlap a partition this instance now owns is a dead or late previous
   * owner's and is deleted.
   */
  consumerPrefix: string;
  /** The actor a subject is for; default: its last token. */
  actorIdOf?(subject: string): string;
  /** Unacknowledged messages of the instance's consumer (the server stops delivering beyond it). Default 1,024. */
  maxAckPending?: number;
  /** Redelivery after this long without ack. Default 30 s. */
  ackWaitMs?: number;
  /**
   * The server deletes a consumer nobody pulled from for this long (a crashed instance's consumer, if no new
   * owner deleted it before). Default max(30 s, 3 × lease TTL).
   */
  inactiveThresholdMs?: number;
}

export interface ActorRuntimeOptions<S> {
  nc: NatsConnection;
  instanceId: string;
  actor: VirtualActor<S>;
  store: StateStore;
  mail: MailOptions;
  /** P; default 256. Every instance of one actor kind must use the same P. */
  partitions?: number;
  leases?: { bucket?: string; ttlMs?: number; renewMs?: number; marginMs?: number };
  /** Durable reminders; false turns them off. */
  reminders?: { bucket?: string; tickMs?: number } | false;
  /** Passivate an actor idle this long. Default 120 s. */
  idleMs?: number;
  /** Most actors kept in memory; the least recently used idle ones are passivated beyond. Default 100,000. */
  maxActive?: number;
  /** Messages waiting per actor; beyond, mail is nak'ed with a delay. Default = maxAckPending. */
  mailboxCapacity?: number;
  /** Redelivery delay of mail refused for a full mailbox or a failed handler. Default 1 s. */
  retryDelayMs?: number;
  onError?(error: unknown, where: string): void;
}

export class PartitionRevokedError extends Error {
  constructor(readonly partition: number) {
    super(`partition ${partition} is not served by this instance`);
    this.name = 'PartitionRevokedError';
  }
}

class MailboxFull extends Error {}

interface Activation<S> {
  id: string;
  partition: number;
  state: S | undefined;
  loaded: boolean;
  tail: Promise<void>;
  queued: number;
  lastUsed: number;
}

interface Serving {
  partition: number;
  active: boolean;
  inFlight: Set<Promise<void>>;
}

/** JetStream API error code "filtered consumer not unique on workqueue stream". */
const WQ_CONSUMER_NOT_UNIQUE = 10100;
/** JetStream API error code "consumer not found". */
const CONSUMER_NOT_FOUND = 10014;

export interface RuntimeStats {
  handled: number;
  failed: number;
  activations: number;
  passivations: number;
  remindersFired: number;
}

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
  private readonly activations = new Map<string, Activation<S>>();
  /** Tails of actors dropped while a turn of theirs still runs; a new activation waits for it. */
  private readonly leaving = new Map<string, Promise<void>>();
  private readonly served = new Map<number, Serving>();
  private readonly cursors = new Map<number, number>();
  private readonly firing = new Set<string>();
  /** Activations whose state is in memory, and turns waiting for such a slot (bounded by in-flight mail). */
  private loaded = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly idleMs: number;
  private readonly maxActive: number;
  private readonly mailboxCapacity: number;
  private readonly retryDelayMs: number;
  private readonly actorIdOf: (subject: string) => string;
  /** This instance's durable consumer and the partitions its filters list now. */
  readonly consumerName: string;
  private filtered: number[] = [];
  private messages?: ConsumerMessages;
  /** Bumped on every consumer change: mail from an older consumer is ignored (not acked). */
  private generation = 0;
  private consumerGone = false;
  private reconciling?: Promise<void>;
  private reconcileAgain = false;
  private leases!: PartitionLeases;
  private reminderStore?: ReminderStore;
  private sweeper?: NodeJS.Timeout;
  private reminderLoop?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private closed = false;

  private constructor(private readonly options: ActorRuntimeOptions<S>) {
    this.partitions = options.partitions ?? DEFAULT_PARTITIONS;
    this.idleMs = options.idleMs ?? 120_000;
    this.maxActive = options.maxActive ?? 100_000;
    this.mailboxCapacity = options.mailboxCapacity ?? options.mail.maxAckPending ?? DEFAULT_MAX_ACK_PENDING;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.actorIdOf = options.mail.actorIdOf ?? ((s) => s.slice(s.lastIndexOf('.') + 1));
    this.consumerName = `${options.mail.consumerPrefix}-${keyToken(options.instanceId)}`;
  }

  /** Starts the runtime; resolves once the first ownership round has claimed this instance's share. */
  static async start<S>(options: ActorRuntimeOptions<S>): Promise<ActorRuntime<S>> {
    const self = new ActorRuntime(options);
    if (options.reminders !== false)
      self.reminderStore = await ReminderStore.open(options.nc, options.reminders?.bucket);
    self.leases = await PartitionLeases.start({
      nc: options.nc,
      instanceId: options.instanceId,
      partitions: self.partitions,
      ...options.leases,
      onAcquired: (p) => self.acquire(p),
      onLost: (p, graceful) => self.lose(p, graceful),
      onError: (e) => self.error(e, 'leases'),
    });
    const sweepMs = Math.max(10, Math.min(self.idleMs, 5_000));
    self.sweeper = setInterval(() => self.passivateIdle(), sweepMs);
    self.sweeper.unref();
    if (self.reminderStore) {
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

  /** Actors whose state is in memory now (never above `maxActive`). */
  get activeCount(): number {
    return this.loaded;
  }

  partitionOf(actorId: string): number {
    return partitionOfActor(actorId, this.partitions);
  }

  /** Runs one reminder scan now (the loop runs them every tick). */
  scanReminders(): Promise<void> {
    if (!this.scanning)
      this.scanning = this.scan()
        .catch((e) => this.error(e, 'reminders'))
        .finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /** Passivates idle actors (all idle ones when `everyone`). State is already stored: this only frees memory. */
  passivateIdle(everyone = false): void {
    const cutoff = Date.now() - this.idleMs;
    for (const a of this.activations.values()) {
      if (!everyone && a.lastUsed > cutoff) break; // map order is use order
      if (a.queued === 0) this.drop(a);
    }
  }

  /** Waits for room in the active set: evicts the least recently used idle actor when it is full. */
  private slot(): Promise<void> | undefined {
    if (this.loaded < this.maxActive) {
      this.loaded++;
      return undefined;
    }
    for (const a of this.activations.values())
      if (a.queued === 0 && a.loaded) {
        this.drop(a); // frees a slot
        this.loaded++;
        return undefined;
      }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private unload(a: Activation<S>): void {
    if (!a.loaded) return;
    a.loaded = false;
    a.state = undefined;
    const next = this.waiters.shift();
    if (next)
      next(); // the slot passes to the waiter
    else this.loaded--;
  }

  /** Graceful stop: every partition stops, finishes its running turns and is released to other instances. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    clearInterval(this.reminderLoop);
    await this.scanning;
    await this.leases.stop();
    // Every partition was released, each after the consumer stopped filtering it; the last one deleted it.
    await this.reconcile().catch((e) => this.error(e, 'consumer'));
    await Promise.allSettled([...this.activations.values()].map((a) => a.tail));
    this.passivateIdle(true);
  }

  /** The partitions this instance's consumer filters now. */
  get filteredPartitions(): number[] {
    return [...this.filtered];
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
    for (const s of this.served.values()) s.active = false;
    this.served.clear();
    this.generation++;
    this.messages?.stop(); // the consumer stays, as a dead process's would: the next owners delete it
    this.messages = undefined;
  }

  private error(error: unknown, where: string): void {
    this.options.onError?.(error, where);
  }

  private serving(s: Serving): boolean {
    return s.active && this.served.get(s.partition) === s && !this.closed;
  }

  private async acquire(partition: number): Promise<void> {
    const s: Serving = { partition, active: true, inFlight: new Set() };
    this.served.set(partition, s);
    try {
      await this.options.store.partitionAcquired?.(partition, this.options.instanceId);
      if (this.reminderStore) {
        const minute = ReminderStore.minuteOf(Date.now());
        const cursor = await this.reminderStore.cursor(partition);
        if (cursor === undefined) await this.reminderStore.setCursor(partition, minute);
        this.cursors.set(partition, cursor ?? minute);
      }
      if (!this.serving(s)) return;
      // One consumer change for every partition acquired in this round (they call in together).
      await this.reconcile();
      if (this.serving(s) && !this.filtered.includes(partition))
        throw new Error(`consumer ${this.consumerName} does not filter partition ${partition}`);
    } catch (error) {
      s.active = false;
      if (this.served.get(partition) === s) this.served.delete(partition);
      throw error;
    }
  }

  private async lose(partition: number, graceful: boolean): Promise<void> {
    const s = this.served.get(partition);
    if (!s) return;
    s.active = false;
    this.served.delete(partition);
    this.cursors.delete(partition);
    // Graceful: let running turns finish and ack; queued ones see the partition revoked and are nak'ed.
    if (graceful) await Promise.allSettled([...s.inFlight]);
    for (const a of [...this.activations.values()]) if (a.partition === partition) this.drop(a);
    // The consumer must no longer filter the partition before the lease is released (work-queue filters may
    // not overlap, and the next owner's consumer takes it over).
    await this.reconcile().catch((e: unknown) => this.error(e, 'consumer'));
    if (graceful)
      await this.options.store
        .partitionReleased?.(partition)
        .catch((e: unknown) => this.error(e, `release of partition ${partition}`));
  }

  /**
   * Brings the instance's consumer in line with the partitions served: one call at a time; calls arriving
   * meanwhile are served by one more run. Resolves after a run that started after the call.
   */
  private reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true; // the running loop goes round once more
      return this.reconciling;
    }
    const run = (async () => {
      try {
        do {
          this.reconcileAgain = false;
          await this.reconfigure();
        } while (this.reconcileAgain);
      } finally {
        this.reconciling = undefined;
      }
    })();
    this.reconciling = run;
    return run;
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
    const wanted = [...this.served.values()]
      .filter((s) => s.active)
      .map((s) => s.partition)
      .sort((a, b) => a - b);
    if (!this.consumerGone && sameList(wanted, this.filtered) && (this.messages || !wanted.length)) return;
    const { nc, mail } = this.options;
    const jsm = await jetstreamManager(nc);
    // Pause: stop pulling, let running turns finish and their acks reach the server.
    this.generation++;
    const old = this.messages;
    this.messages = undefined;
    await old?.close().catch(() => undefined);
    await Promise.allSettled([...this.served.values()].flatMap((s) => [...s.inFlight]));
    if (this.filtered.length) {
      await nc.flush().catch(() => undefined);
      await settleAcks(jsm, mail.stream, this.consumerName);
    }
    // Also a consumer of this instance id left by an earlier process.
    await deleteConsumer(jsm, mail.stream, this.consumerName);
    this.filtered = [];
    this.consumerGone = false;
    const now = [...this.served.values()]
      .filter((s) => s.active)
      .map((s) => s.partition)
      .sort((a, b) => a - b);
    if (!now.length || this.closed) return;
    await createConsumer(jsm, this.instanceConsumerConfig(now), mail.consumerPrefix, (name) =>
      this.error(new Error(`deleted consumer ${name} of a previous owner`), 'consumer takeover'),
    );
    this.filtered = now;
    const generation = this.generation;
    const consumer = await jetstream(nc).consumers.get(mail.stream, this.consumerName);
    const messages = await consumer.consume({
      max_messages: Math.min(mail.maxAckPending ?? DEFAULT_MAX_ACK_PENDING, 1_024),
      callback: (m) => this.onMail(generation, m),
    });
    this.messages = messages;
    void this.watch(generation, messages);
  }

  /** A consumer deleted under us (by a new owner who saw it as a late one's, or inactivity): re-create it. */
  private async watch(generation: number, messages: ConsumerMessages): Promise<void> {
    try {
      for await (const status of messages.status()) {
        if (generation !== this.generation || this.closed) return;
        if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found') {
          this.consumerGone = true;
          await this.reconcile().catch((e: unknown) => this.error(e, 'consumer'));
          return;
        }
      }
    } catch {
      // closed
    }
  }

  private instanceConsumerConfig(partitions: number[]): Partial<ConsumerConfig> & { stream: string } {
    const { mail } = this.options;
    const ttl = this.options.leases?.ttlMs ?? 10_000;
    return {
      stream: mail.stream,
      durable_name: this.consumerName,
      filter_subjects: partitions.map((p) => mail.filterSubject(p)),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: mail.maxAckPending ?? DEFAULT_MAX_ACK_PENDING,
      ack_wait: nanos(mail.ackWaitMs ?? 30_000),
      inactive_threshold: nanos(mail.inactiveThresholdMs ?? Math.max(30_000, 3 * ttl)),
    };
  }

  private drop(a: Activation<S>): void {
    if (this.activations.get(a.id) !== a) return;
    this.activations.delete(a.id);
    if (a.loaded) this.stats.passivations++;
    this.unload(a);
    if (a.queued > 0) {
      const tail = a.tail;
      this.leaving.set(a.id, tail);
      void tail.finally(() => {
        if (this.leaving.get(a.id) === tail) this.leaving.delete(a.id);
      });
    }
  }

  private onMail(generation: number, m: JsMsg): void {
    if (generation !== this.generation) return; // an old consumer's: the current one delivers it again
    const actorId = this.actorIdOf(m.subject);
    const s = this.served.get(partitionOfActor(actorId, this.partitions));
    if (!s || !this.serving(s)) return; // not acked: the next consumer (ours or the next owner's) gets it
    const work = this.deliver(s, actorId, {
      kind: 'mail',
      actorId,
      partition: s.partition,
      data: m.data,
      subject: m.subject,
      headers: m.headers,
      seq: m.seq,
      redelivered: m.redelivered,
    }).then(
      () => settle(() => m.ack()),
      (error: unknown) => {
        if (error instanceof PartitionRevokedError) settle(() => m.nak());
        else {
          if (!(error instanceof MailboxFull)) this.error(error, `actor ${actorId}`);
          settle(() => m.nak(this.retryDelayMs));
        }
      },
    );
    s.inFlight.add(work);
    void work.finally(() => s.inFlight.delete(work));
  }

  /** Queues one message on an actor's turn chain; resolves once handled and its state change is stored. */
  private deliver(s: Serving, actorId: string, message: ActorMessage): Promise<void> {
    if (!this.serving(s)) return Promise.reject(new PartitionRevokedError(s.partition));
    let a = this.activations.get(actorId);
    if (a) {
      if (a.queued >= this.mailboxCapacity) return Promise.reject(new MailboxFull(actorId));
      // Most recently used goes last: the map's order is the LRU order.
      this.activations.delete(actorId);
      this.activations.set(actorId, a);
    } else {
      a = {
        id: actorId,
        partition: s.partition,
        state: undefined,
        loaded: false,
        tail: this.leaving.get(actorId) ?? Promise.resolve(),
        queued: 0,
        lastUsed: Date.now(),
      };
      this.activations.set(actorId, a);
    }
    const act = a;
    act.queued++;
    const turn = act.tail.then(() => this.turn(s, act, message));
    act.tail = turn.then(
      () => this.settled(act),
      () => this.settled(act),
    );
    return turn;
  }

  private async turn(s: Serving, a: Activation<S>, message: ActorMessage): Promise<void> {
    if (!this.serving(s)) throw new PartitionRevokedError(s.partition);
    const { actor, store } = this.options;
    try {
      if (!a.loaded) {
        await this.slot();
        try {
          a.state = await actor.load(a.id, await store.get(a.partition, a.id));
        } catch (error) {
          a.loaded = true;
          this.unload(a);
          throw error;
        }
        a.loaded = true;
        this.stats.activations++;
      }
      const next = await actor.receive(a.state as S, message, this.context(s, a));
      if (next !== undefined) {
        // A turn that outlived the partition's lease must not write: the next owner may be running.
        if (!this.serving(s)) throw new PartitionRevokedError(s.partition);
        await store.put(a.partition, a.id, actor.save(next, a.id));
        a.state = next;
      }
      this.stats.handled++;
    } catch (error) {
      // The in-memory state may be ahead of the stored one: reload it on the next message.
      this.unload(a);
      this.stats.failed++;
      throw error;
    }
  }

  private settled(a: Activation<S>): void {
    a.queued--;
    a.lastUsed = Date.now();
    // Turns are waiting for room in the active set: an actor with nothing queued makes room.
    if (a.queued === 0 && this.waiters.length) this.drop(a);
  }

  private context(s: Serving, a: Activation<S>): ActorContext {
    const reminders = this.reminderStore;
    return {
      actorId: a.id,
      partition: a.partition,
      instanceId: this.options.instanceId,
      remind: async (name, dueAt, data) => {
        if (!reminders) throw new Error('reminders are turned off');
        if (!this.serving(s)) throw new PartitionRevokedError(s.partition);
        await reminders.set(a.partition, a.id, name, dueAt, data);
      },
      cancelReminder: async (name) => {
        if (!reminders) throw new Error('reminders are turned off');
        await reminders.cancel(a.partition, a.id, name);
      },
    };
  }

  private async scan(): Promise<void> {
    const reminders = this.reminderStore;
    if (!reminders || this.closed) return;
    const now = Date.now();
    const minute = ReminderStore.minuteOf(now);
    const ranges = new Map<number, [number, number]>();
    for (const [p, from] of this.cursors) ranges.set(p, [from, minute]);
    const due = await reminders.due(ranges, now);
    const stuck = new Map<number, number>();
    await Promise.all(
      due.map(async (r: DueReminder) => {
        const s = this.served.get(r.partition);
        if (!s || this.firing.has(r.key)) return;
        this.firing.add(r.key);
        try {
          const turn = this.deliver(s, r.actorId, {
            kind: 'reminder',
            actorId: r.actorId,
            partition: r.partition,
            data: r.data,
            reminder: r.name,
            dueAt: r.dueAt,
          });
          const tracked = turn.catch(() => undefined);
          s.inFlight.add(tracked);
          void tracked.finally(() => s.inFlight.delete(tracked));
          await turn;
          await reminders.fired(r);
          this.stats.remindersFired++;
        } catch (error) {
          if (!(error instanceof PartitionRevokedError) && !(error instanceof MailboxFull))
            this.error(error, `reminder ${r.key}`);
          const m = Number(r.key.split('.')[2]);
          stuck.set(r.partition, Math.min(stuck.get(r.partition) ?? m, m));
        } finally {
          this.firing.delete(r.key);
        }
      }),
    );
    // Minutes before this one are complete unless one of their reminders failed: move the cursor on.
    for (const [p, [from]] of ranges) {
      const next = Math.min(stuck.get(p) ?? minute, minute);
      if (next !== from && this.cursors.get(p) === from) {
        this.cursors.set(p, next);
        await reminders.setCursor(p, next).catch((e) => this.error(e, 'reminder cursor'));
      }
    }
  }
}

function settle(ack: () => void): void {
  try {
    ack();
  } catch {
    // connection gone: the server redelivers after ack wait
  }
}

const DEFAULT_MAX_ACK_PENDING = 1_024;

function sameList(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isApiError(error: unknown, code: number): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === code ||
      error.apiError().err_code === code ||
      (code === CONSUMER_NOT_FOUND && error.status === 404))
  );
}

async function deleteConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<boolean> {
  try {
    return await jsm.consumers.delete(stream, name);
  } catch (error) {
    if (!isApiError(error, CONSUMER_NOT_FOUND)) throw error;
    return false;
  }
}

/**
 * Deletes a consumer if it exists (e.g. a durable from before the runtime whose filter would overlap the
 * instances' consumers on a work-queue stream). Resolves true when one was deleted.
 */
export async function removeConsumer(nc: NatsConnection, stream: string, name: string): Promise<boolean> {
  return deleteConsumer(await jetstreamManager(nc), stream, name);
}

/** Waits (briefly) until the acks sent before the pause were processed, so the consumer's delete loses none. */
async function settleAcks(jsm: JetStreamManager, stream: string, name: string): Promise<void> {
  let last = Infinity;
  for (let i = 0; i < 20; i++) {
    const info = await jsm.consumers.info(stream, name).catch(() => undefined);
    if (!info || info.num_ack_pending === 0 || info.num_ack_pending === last) return;
    last = info.num_ack_pending;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Creates the instance's consumer. "Filtered consumer not unique" (a work-queue stream refuses overlapping
 * filters) means another consumer still filters a partition this instance now owns: the lease says its owner
 * stopped serving it, so a runtime consumer (`prefix-…`) is a dead or late owner's and is deleted (its
 * unacknowledged mail goes to the consumers filtering it now); any other overlapping consumer is a
 * configuration error and reported as such.
 */
async function createConsumer(
  jsm: JetStreamManager,
  config: Partial<ConsumerConfig> & { stream: string },
  prefix: string,
  onTakeover: (name: string) => void,
): Promise<void> {
  const { stream, ...consumer } = config;
  const ours = consumer.filter_subjects ?? [];
  for (let attempt = 0; ; attempt++) {
    try {
      await jsm.consumers.add(stream, consumer);
      return;
    } catch (error) {
      if (!isApiError(error, WQ_CONSUMER_NOT_UNIQUE) || attempt >= 5) throw error;
    }
    for await (const info of await jsm.consumers.list(stream)) {
      if (info.name === consumer.durable_name) continue;
      const theirs =
        info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []);
      if (theirs.length && !theirs.some((t) => ours.some((o) => subjectsCollide(o, t)))) continue;
      if (!info.name.startsWith(`${prefix}-`))
        throw new Error(
          `consumer ${info.name} of work-queue stream ${stream} filters [${theirs.join(', ')}], overlapping ` +
            `the partitions of ${consumer.durable_name}: delete it`,
        );
      await deleteConsumer(jsm, stream, info.name);
      onTakeover(info.name);
    }
  }
}

/** Whether two subject filters can match a common subject (`*` one token, `>` the rest). */
export function subjectsCollide(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const s = x[i];
    const t = y[i];
    if (s === '>' || t === '>') return s !== undefined && t !== undefined;
    if (s === undefined || t === undefined) return false;
    if (s !== '*' && t !== '*' && s !== t) return false;
  }
  return true;
}
