import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
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
  /** Delay before a failed turn runs again (in place), and redelivery delay of mail refused for a full mailbox. Default 1 s. */
  retryDelayMs?: number;
  /**
   * Mail that needs no order with the actor's other mail: it may run while an earlier turn of the actor is being
   * retried in place, instead of waiting behind it. Default: none (all mail in stream order).
   */
  overtakes?(message: ActorMessage): boolean;
  onError?(error: unknown, where: string): void;
}

export class PartitionRevokedError extends Error {
  constructor(readonly partition: number) {
    super(`partition ${partition} is not served by this instance`);
    this.name = 'PartitionRevokedError';
  }
}

export interface RuntimeStats {
  handled: number;
  failed: number;
  activations: number;
  passivations: number;
  remindersFired: number;
}

/** Default `max_ack_pending` of an instance's consumer, and default mailbox capacity. */
export const DEFAULT_MAX_ACK_PENDING = 1_024;

/** A message refused because its actor's mailbox is full: nak'ed with a delay, not an error to report. */
export class MailboxFull extends Error {}

/**
 * The consumer that delivered a message was replaced (an ownership change) before its turn ran or while it was
 * being retried: the message is left to the new consumer, which delivers it again in stream order, before the
 * actor's later mail (skipped the same way).
 */
export class MailSuperseded extends Error {}
