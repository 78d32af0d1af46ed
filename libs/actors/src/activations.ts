import {
  MailboxFull,
  MailSuperseded,
  PartitionRevokedError,
  type ActorContext,
  type ActorMessage,
  type RuntimeStats,
  type VirtualActor,
} from './actor-types.js';
import type { StateStore } from './state-store.js';

/** A partition this instance serves: turns check `active` before running and before writing state. */
export interface Serving {
  partition: number;
  /** Whether new turns may start (cleared as soon as the partition starts to be handed over). */
  active: boolean;
  /**
   * Whether the state store and the reminders have taken the partition up, so its turns may read state: until
   * then (a store may be rebuilding the partition's states) no consumer filters it and no turn starts on it.
   */
  ready: boolean;
  /**
   * Whether turns already running may still store their outcome: set when the partition is handed over, once
   * they have finished (a graceful release waits for them), or at once when the lease is lost.
   */
  revoked: boolean;
  inFlight: Set<Promise<void>>;
}

export interface Activation<S> {
  id: string;
  partition: number;
  state: S | undefined;
  loaded: boolean;
  tail: Promise<void>;
  queued: number;
  lastUsed: number;
  /**
   * Turns of messages that need no order with the actor's others (`overtake`), waiting for the turn being retried
   * to pause; absent unless a turn is being retried (most actors never need the array).
   */
  overtakers?: (() => Promise<void>)[];
  /** Whether a failed turn is being retried in place (its later ordered messages wait behind it). */
  retrying: boolean;
}

/**
 * The tail of an actor with nothing queued: one shared settled promise, so that an idle active actor does not keep
 * its last turn's promise (about 50 B each).
 */
const NOTHING_QUEUED: Promise<void> = Promise.resolve();

export interface ActivationsOptions<S> {
  actor: VirtualActor<S>;
  store: StateStore;
  stats: RuntimeStats;
  idleMs: number;
  maxActive: number;
  mailboxCapacity: number;
  /** Whether the partition is still served by this instance (its lease held, the runtime running). */
  serving(s: Serving): boolean;
  /**
   * Whether a turn that already ran may store its outcome: the lease still held, even while a graceful
   * hand-over waits for the turn (its device may have acted: the next owner must find that stored).
   */
  mayFinish(s: Serving): boolean;
  context(s: Serving, a: Activation<S>): ActorContext;
}

/**
 * How a failed turn is tried again in place, holding the actor's later messages behind it: redelivering it
 * instead would let them overtake it (mail an actor must see in order, such as a meter's RequestID counters).
 */
export interface Retry {
  delayMs: number;
  /** Whether the message may still run here: false once its consumer was replaced (it comes again from the next). */
  current(): boolean;
  /** Called with each failure before the wait for the next attempt (to report it, push the ack deadline back). */
  onFailure(error: unknown): void;
}

/**
 * Activation and passivation: one activation per actor id, its messages chained one after another (turns), its
 * state loaded from the store on the first turn and stored (write-through) after a turn that changed it, before
 * the turn resolves (the caller acks only then). The active set is bounded: beyond `maxActive` the least recently
 * used idle actor is passivated, or the turn waits for one; idle actors are passivated after `idleMs`.
 */
export class Activations<S> {
  private readonly activations = new Map<string, Activation<S>>();
  /** Tails of actors dropped while a turn of theirs still runs; a new activation waits for it. */
  private readonly leaving = new Map<string, Promise<void>>();
  /** Activations whose state is in memory, and turns waiting for such a slot (bounded by in-flight mail). */
  private loaded = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: ActivationsOptions<S>) {}

  /** Actors whose state is in memory now (never above `maxActive`). */
  get activeCount(): number {
    return this.loaded;
  }

  /**
   * Queues one message on an actor's turn chain; resolves once handled and its state change is stored. With
   * `retry`, a failed turn runs again (after `retry.delayMs`, from the stored state) until it succeeds or the
   * partition is no longer served, and the actor's later messages wait; without it, the failure is returned.
   */
  deliver(
    s: Serving,
    actorId: string,
    message: ActorMessage,
    retry?: Retry,
    overtake = false,
  ): Promise<void> {
    if (!this.options.serving(s)) return Promise.reject(new PartitionRevokedError(s.partition));
    let a = this.activations.get(actorId);
    if (a) {
      if (a.queued >= this.options.mailboxCapacity) return Promise.reject(new MailboxFull(actorId));
      // Most recently used goes last: the map's order is the LRU order.
      this.activations.delete(actorId);
      this.activations.set(a.id, a);
    } else {
      a = {
        id: ownCopy(actorId),
        partition: s.partition,
        state: undefined,
        loaded: false,
        tail: this.leaving.get(actorId) ?? NOTHING_QUEUED,
        queued: 0,
        lastUsed: Date.now(),
        retrying: false,
      };
      this.activations.set(a.id, a);
    }
    const act = a;
    act.queued++;
    if (overtake && act.retrying) {
      // Runs between the retried turn's attempts, ahead of the ordered messages waiting behind it.
      return new Promise<void>((resolve, reject) =>
        (act.overtakers ??= []).push(() =>
          this.turn(s, act, message)
            .then(resolve, reject)
            .finally(() => this.settled(act)),
        ),
      );
    }
    const turn = act.tail.then(() =>
      retry ? this.retried(s, act, message, retry) : this.turn(s, act, message),
    );
    act.tail = turn.then(
      () => this.settled(act),
      () => this.settled(act),
    );
    return turn;
  }

  /** Passivates idle actors (all idle ones when `everyone`). State is already stored: this only frees memory. */
  passivateIdle(everyone = false): void {
    const cutoff = Date.now() - this.options.idleMs;
    for (const a of this.activations.values()) {
      if (!everyone && a.lastUsed > cutoff) break; // map order is use order
      if (a.queued === 0) this.drop(a);
    }
  }

  /** Drops every activation of a partition no longer served (their queued turns see it revoked). */
  dropPartition(partition: number): void {
    for (const a of [...this.activations.values()]) if (a.partition === partition) this.drop(a);
  }

  /** Resolves once every queued turn has run. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.activations.values()].map((a) => a.tail));
  }

  private async retried(s: Serving, a: Activation<S>, message: ActorMessage, retry: Retry): Promise<void> {
    try {
      for (;;) {
        // Checked before every attempt, so that a turn failing for good does not hold up a consumer change
        // (which waits for running turns) and the actor's later mail is skipped after it, not run ahead of it.
        if (!retry.current()) throw new MailSuperseded(`mail of ${a.id} left to the next consumer`);
        try {
          return await this.turn(s, a, message);
        } catch (error) {
          if (error instanceof PartitionRevokedError) throw error;
          retry.onFailure(error);
        }
        a.retrying = true;
        await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
        await this.runOvertakers(a);
      }
    } finally {
      a.retrying = false;
      await this.runOvertakers(a);
    }
  }

  /** The overtaking turns queued while a turn was being retried, one after another (never beside another turn). */
  private async runOvertakers(a: Activation<S>): Promise<void> {
    for (let next = a.overtakers?.shift(); next; next = a.overtakers?.shift())
      await next().catch(() => undefined);
    a.overtakers = undefined;
  }

  private async turn(s: Serving, a: Activation<S>, message: ActorMessage): Promise<void> {
    if (!this.options.serving(s)) throw new PartitionRevokedError(s.partition);
    const { actor, store, stats } = this.options;
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
        stats.activations++;
      }
      const next = await actor.receive(a.state as S, message, this.options.context(s, a));
      if (next !== undefined) {
        // A turn that outlived the partition's lease must not write: the next owner may be running. One that a
        // graceful hand-over waits for must: what it did is done, and the next owner starts from what is stored.
        if (!this.options.mayFinish(s)) throw new PartitionRevokedError(s.partition);
        await store.put(a.partition, a.id, actor.save(next, a.id));
        a.state = next;
      }
      stats.handled++;
    } catch (error) {
      // The in-memory state may be ahead of the stored one: reload it on the next message.
      this.unload(a);
      stats.failed++;
      throw error;
    }
  }

  private settled(a: Activation<S>): void {
    a.queued--;
    a.lastUsed = Date.now();
    // Nothing is chained behind this turn: later ones may start from the shared settled tail.
    if (a.queued === 0) a.tail = NOTHING_QUEUED;
    // Turns are waiting for room in the active set: an actor with nothing queued makes room.
    if (a.queued === 0 && this.waiters.length) this.drop(a);
  }

  /** Waits for room in the active set: evicts the least recently used idle actor when it is full. */
  private slot(): Promise<void> | undefined {
    if (this.loaded < this.options.maxActive) {
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

  private drop(a: Activation<S>): void {
    if (this.activations.get(a.id) !== a) return;
    this.activations.delete(a.id);
    if (a.loaded) this.options.stats.passivations++;
    this.unload(a);
    if (a.queued > 0) {
      const tail = a.tail;
      this.leaving.set(a.id, tail);
      void tail.finally(() => {
        if (this.leaving.get(a.id) === tail) this.leaving.delete(a.id);
      });
    }
  }
}

/**
 * The id as a string of its own: an id cut from a mail subject is a slice that keeps the whole subject alive for as
 * long as the actor is active (about 50 B more per actor).
 */
function ownCopy(id: string): string {
  return Buffer.from(id, 'utf8').toString('utf8');
}
