/** Thrown to a sender when an actor's mailbox is full: the caller must slow down or retry later. */
export class MailboxFullError extends Error {
  constructor(
    readonly actorId: string,
    capacity: number,
  ) {
    super(`mailbox of ${actorId} is full (${capacity} messages waiting)`);
    this.name = 'MailboxFullError';
  }
}

export interface ActorBehaviour<State, Message, Reply> {
  /** Builds (or loads) an actor's state on its first message after being passive. */
  activate(id: string): Promise<State> | State;
  /** Handles one message; never runs concurrently with another message to the same actor. */
  receive(state: State, message: Message, id: string): Promise<Reply> | Reply;
  /** Called when an idle actor leaves memory, to persist what must survive. */
  passivate?(id: string, state: State): Promise<void> | void;
}

export interface ActorHostOptions {
  /** Messages waiting per actor before senders are refused. */
  mailboxCapacity?: number;
  /** An actor with no message for this long is passivated. */
  idleMs?: number;
}

interface Activation<State> {
  state: Promise<State>;
  /** Resolves when the last queued message has been handled. */
  tail: Promise<unknown>;
  queued: number;
  lastUsed: number;
}

/**
 * Turn-based virtual actors: each id has at most one activation, messages to one id run one at a time in
 * arrival order, different ids run concurrently, and idle actors are passivated to bound memory.
 */
export class ActorHost<State, Message, Reply> {
  private readonly activations = new Map<string, Activation<State>>();
  /** Passivations still saving; a re-activation waits for its own id's save so it never reads stale state. */
  private readonly leaving = new Map<string, Promise<void>>();
  private readonly mailboxCapacity: number;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly behaviour: ActorBehaviour<State, Message, Reply>,
    options: ActorHostOptions = {},
  ) {
    this.mailboxCapacity = options.mailboxCapacity ?? 64;
    this.idleMs = options.idleMs ?? 120_000;
    this.sweeper = setInterval(() => void this.passivateIdle(), Math.max(10, Math.min(this.idleMs, 5_000)));
    this.sweeper.unref();
  }

  /** Delivers a message to actor `id` and resolves with its reply. */
  send(id: string, message: Message): Promise<Reply> {
    let activation = this.activations.get(id);
    if (!activation) {
      const saved = this.leaving.get(id) ?? Promise.resolve();
      activation = {
        state: saved.then(() => this.behaviour.activate(id)),
        tail: Promise.resolve(),
        queued: 0,
        lastUsed: Date.now(),
      };
      this.activations.set(id, activation);
      // A failed activation is forgotten, so the next message tries again; its queued messages get the error.
      const failed = activation;
      failed.state.catch(() => {
        if (this.activations.get(id) === failed) this.activations.delete(id);
      });
    }
    if (activation.queued >= this.mailboxCapacity)
      return Promise.reject(new MailboxFullError(id, this.mailboxCapacity));
    const a = activation;
    a.queued++;
    const reply = a.tail.then(async () => this.behaviour.receive(await a.state, message, id));
    a.tail = reply.then(
      () => this.settle(a),
      () => this.settle(a),
    );
    return reply;
  }

  get activeCount(): number {
    return this.activations.size;
  }

  /** Passivates every actor that is idle now (all of them, when `everyone`), e.g. on shutdown. */
  async passivateIdle(everyone = false): Promise<void> {
    const cutoff = Date.now() - this.idleMs;
    const leaving: Promise<void>[] = [];
    for (const [id, a] of this.activations) {
      if (a.queued > 0 || (!everyone && a.lastUsed > cutoff)) continue;
      this.activations.delete(id);
      const save = a.state
        .then(
          (state) => this.behaviour.passivate?.(id, state),
          () => undefined, // never activated: nothing to save
        )
        .finally(() => {
          if (this.leaving.get(id) === save) this.leaving.delete(id);
        });
      this.leaving.set(id, save);
      leaving.push(save);
    }
    await Promise.all(leaving);
  }

  /** Stops the idle sweep and passivates everyone once their queued messages are handled. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.activations.values()].map((a) => a.tail));
    await this.passivateIdle(true);
  }

  private settle(a: Activation<State>): void {
    a.queued--;
    a.lastUsed = Date.now();
  }
}
