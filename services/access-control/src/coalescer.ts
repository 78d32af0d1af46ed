interface Waiting<Q, A> {
  item: Q;
  resolve(answer: A): void;
  reject(error: unknown): void;
}

/**
 * Calls that can share one NATS message, coalesced under load. While fewer than `maxInFlight` messages are on
 * the way a call is sent at once, on its own (`send` with one item), so an idle hub adds no wait; beyond that
 * the calls arriving meanwhile queue and leave together (at most `maxBatch` in one `send`) as soon as a reply
 * frees a slot. Coalescing changes how many messages carry the calls, not what each asks: `send` answers every
 * item, in order, or fails them all.
 */
export class Coalescer<Q, A> {
  private readonly queue: Waiting<Q, A>[] = [];
  private inFlight = 0;

  constructor(
    private readonly send: (items: Q[]) => Promise<A[]>,
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
  ) {}

  ask(item: Q): Promise<A> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.dispatch(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async dispatch(batch: Waiting<Q, A>[]): Promise<void> {
    try {
      const answers = await this.send(batch.map((w) => w.item));
      if (answers.length !== batch.length) {
        throw new Error(`${answers.length} answers to a batch of ${batch.length}`);
      }
      batch.forEach((w, i) => w.resolve(answers[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
