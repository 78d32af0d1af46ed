import { ensureSchedulingStreams, streams, subjects } from '@dcc/bus';
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Which stream an index lives in: schedule runs (SCHEDULE_DUE) by default, or held future-dated requests. */
export interface DueStream {
  name: string;
  /** The subject of one bucket. */
  subjectOf: (bucket: number) => string;
  /** Creates the stream if missing. */
  ensure: (nc: NatsConnection) => Promise<void>;
}

const SCHEDULE_DUE: DueStream = {
  name: streams.scheduleDue.name,
  subjectOf: subjects.scheduleDue,
  ensure: ensureSchedulingStreams,
};

/** One run falling due: the schedule's key and the period. */
export interface DueEntry {
  key: string;
  period: number;
}

/** An entry as read from its bucket, with its stream sequence (to purge up to). */
export interface ReadEntry extends DueEntry {
  seq: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FETCH_BATCH = 1_000;

/**
 * The time-bucketed due index (stream SCHEDULE_DUE): each pending run is one small message
 * (`<key> <period>`) on the subject of its due time's bucket, `dcc.sched.due.<bucket>`. Which buckets hold
 * entries comes from the stream's per-subject counts, so an idle hub costs one stream-info call per tick, there is
 * no timer per schedule, and a night's buckets are read in time order. A bucket is purged once it has run; a
 * restart reads it again and the schedules' next-period records make that harmless.
 */
export class DueIndex {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly bucketMs: number,
    private readonly stream: DueStream,
  ) {}

  static async open(nc: NatsConnection, bucketMs: number, stream = SCHEDULE_DUE): Promise<DueIndex> {
    await stream.ensure(nc);
    return new DueIndex(jetstream(nc), await jetstreamManager(nc), bucketMs, stream);
  }

  bucketOf(dueMs: number): number {
    return Math.floor(dueMs / this.bucketMs);
  }

  /** Adds a run; the message id makes adding the same run twice (a retried step) one entry. */
  async add(dueMs: number, entry: DueEntry): Promise<void> {
    await this.js.publish(
      this.stream.subjectOf(this.bucketOf(dueMs)),
      encoder.encode(`${entry.key} ${entry.period}`),
      {
        msgID: `due:${entry.key}:${entry.period}`,
      },
    );
  }

  /**
   * The buckets holding entries whose time has come, oldest first: a bucket is due once it has ended, so every
   * entry in it is due (a run starts at most one bucket width after its time).
   */
  async dueBuckets(nowMs: number): Promise<{ bucket: number; count: number }[]> {
    const info = await this.jsm.streams.info(this.stream.name, {
      subjects_filter: this.stream.subjectOf(0).replace(/0$/, '>'),
    });
    const prefix = this.stream.subjectOf(0).slice(0, -1);
    return Object.entries(info.state.subjects ?? {})
      .map(([subject, count]) => ({ bucket: Number(subject.slice(prefix.length)), count }))
      .filter(({ bucket }) => (bucket + 1) * this.bucketMs <= nowMs)
      .sort((a, b) => a.bucket - b.bucket);
  }

  /**
   * The first `count` entries of one bucket (what its subject held when counted), in the order added, and the
   * last stream sequence read; each fetch asks for exactly what is left, so none waits for its expiry.
   */
  async read(bucket: number, count: number): Promise<{ entries: ReadEntry[]; lastSeq: number }> {
    const consumer = await this.js.consumers.get(this.stream.name, {
      filter_subjects: [this.stream.subjectOf(bucket)],
      deliver_policy: DeliverPolicy.All,
    });
    const entries: ReadEntry[] = [];
    let lastSeq = 0;
    while (entries.length < count) {
      const batch = await consumer.fetch({
        max_messages: Math.min(FETCH_BATCH, count - entries.length),
        expires: 5_000,
      });
      let got = 0;
      for await (const msg of batch) {
        const [key, period] = decoder.decode(msg.data).split(' ');
        entries.push({ key: key!, period: Number(period), seq: msg.seq });
        lastSeq = msg.seq;
        got += 1;
      }
      if (got === 0) break;
    }
    await consumer.delete().catch(() => undefined);
    return { entries, lastSeq };
  }

  /** Removes a bucket's entries up to the last one read (entries added meanwhile stay). */
  async purge(bucket: number, lastSeq: number): Promise<void> {
    await this.jsm.streams.purge(this.stream.name, {
      filter: this.stream.subjectOf(bucket),
      seq: lastSeq + 1,
    });
  }
}
