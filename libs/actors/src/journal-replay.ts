import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { JournalFold } from './state-journal.js';

/** A partition to rebuild: its journal subject and the sequence its journal ended at when it was acquired. */
export interface ReplayRequest {
  subject: string;
  last: number;
}

/** Partitions replayed in one pass at most. */
const MAX_PER_PASS = 1_024;
/** Up to this many partitions waiting together are read one by one rather than in one read of the stream. */
const READ_ALONE = 8;

/**
 * Rebuilds partitions from a journal stream whose partitions are interleaved: the requests that wait together
 * are read in one pass of the stream, so a round that takes up many partitions (a crash, a restart) reads it
 * once rather than once per partition. Passes run one at a time, so memory holds at most one pass's folds.
 */
export class JournalReplay {
  private readonly waiting: {
    request: ReplayRequest;
    resolve: (fold: JournalFold) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private running = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    /** The journal's subjects are `<subjectPrefix>.<partition>`. */
    private readonly subjectPrefix: string,
  ) {}

  /** The partition's states as its journal holds them up to `request.last`. */
  replay(request: ReplayRequest): Promise<JournalFold> {
    if (request.last === 0) return Promise.resolve(new JournalFold());
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      // Started on the next turn, so the partitions of one round, acquired together, share the pass.
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const pass = this.waiting.splice(0, MAX_PER_PASS);
      try {
        const requests = pass.map((w) => w.request);
        // A few partitions are read one by one, each filtered by the server; many in one read of the whole
        // stream, picked here (a consumer filtering many subjects is slower than reading everything, and the
        // server scans the whole stream for each partition read alone).
        const folds = new Map<string, JournalFold>();
        if (requests.length <= READ_ALONE)
          for (const r of requests) for (const [s, f] of await this.read([r], r.subject)) folds.set(s, f);
        else for (const [s, f] of await this.read(requests, `${this.subjectPrefix}.*`)) folds.set(s, f);
        for (const w of pass) w.resolve(folds.get(w.request.subject)!);
      } catch (error) {
        for (const w of pass) w.reject(error);
      }
    }
    this.running = false;
  }

  private async read(requests: ReplayRequest[], filter: string): Promise<Map<string, JournalFold>> {
    const folds = new Map(requests.map((r) => [r.subject, new JournalFold()]));
    const lastOf = new Map(requests.map((r) => [r.subject, r.last]));
    const end = Math.max(...requests.map((r) => r.last));
    const consumer = await jetstream(this.nc).consumers.get(this.stream, { filter_subjects: filter });
    const messages = await consumer.consume();
    try {
      for await (const m of messages) {
        // Beyond a partition's `last` are only writes of its new owner, which its working set has already.
        const last = lastOf.get(m.subject);
        if (last !== undefined && m.seq <= last)
          folds.get(m.subject)!.apply({ seq: m.seq, headers: m.headers, data: m.data });
        if (m.seq >= end) break;
      }
    } finally {
      await messages.close();
    }
    return folds;
  }
}
