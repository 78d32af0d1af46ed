import { DccError, GrpcStatus } from '@dcc/domain';
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decode, encode, type Codec } from './codec.js';

/** A record and the stream sequence that stored it (the revision a compare-and-set names). */
export interface StoredRecord<T> {
  subject: string;
  seq: number;
  value: T;
}

/** JetStream's "wrong last sequence" (the compare-and-set lost). */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * One current record per subject in a JetStream stream (`max_msgs_per_subject: 1`), with compare-and-set on the
 * subject's last sequence: a small, durable state table whose rows are subjects (e.g. QUARANTINE). `put` with
 * `expectedSeq` succeeds for exactly one of several concurrent writers, across processes.
 */
export class SubjectRecords<T> {
  private manager?: Promise<JetStreamManager>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    private readonly codec: Codec<T>,
    private readonly what: string,
  ) {}

  /**
   * Stores `value` as the subject's record. `messageId` makes a re-send inside the duplicate window a no-op
   * (`duplicate: true`); `expectedSeq` makes it a compare-and-set (0: the subject must hold nothing), and a
   * lost race throws FAILED_PRECONDITION.
   */
  async put(
    subject: string,
    value: T,
    options: { messageId?: string; expectedSeq?: number } = {},
  ): Promise<{ seq: number; duplicate: boolean }> {
    try {
      const ack = await jetstream(this.nc).publish(subject, encode(this.codec, value), {
        ...(options.messageId ? { msgID: options.messageId } : {}),
        ...(options.expectedSeq === undefined
          ? {}
          : { expect: { streamName: this.stream, lastSubjectSequence: options.expectedSeq } }),
      });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
        throw new DccError(
          GrpcStatus.FAILED_PRECONDITION,
          `${this.what} ${subject} was changed concurrently`,
        );
      }
      throw DccError.unavailable(`cannot store ${this.what} ${subject}: ${(error as Error).message}`);
    }
  }

  /** The subject's current record, or undefined. */
  async get(subject: string): Promise<StoredRecord<T> | undefined> {
    const jsm = await this.jsm();
    let stored;
    try {
      stored = await jsm.streams.getMessage(this.stream, { last_by_subj: subject });
    } catch (error) {
      if (error instanceof JetStreamApiError && error.status === 404) return undefined;
      throw DccError.unavailable(`cannot read ${this.what} ${subject}: ${(error as Error).message}`);
    }
    if (!stored) return undefined;
    return { subject, seq: stored.seq, value: decode(this.codec, stored.data, this.what) };
  }

  /**
   * The current records of the subjects matching `filter` (wildcards allowed), at most `limit` of them in
   * subject order, and whether there were more. One stream-info call plus one read per record: meant for small
   * tables such as a User's quarantine.
   */
  async list(filter: string, limit: number): Promise<{ records: StoredRecord<T>[]; truncated: boolean }> {
    const jsm = await this.jsm();
    const info = await jsm.streams.info(this.stream, { subjects_filter: filter });
    const subjects = Object.keys(info.state.subjects ?? {}).sort();
    const records: StoredRecord<T>[] = [];
    for (const subject of subjects.slice(0, limit)) {
      const record = await this.get(subject);
      if (record) records.push(record);
    }
    return { records, truncated: subjects.length > limit };
  }

  /** Removes the subject's record (and any history). */
  async remove(subject: string): Promise<void> {
    const jsm = await this.jsm();
    await jsm.streams.purge(this.stream, { filter: subject });
  }

  private jsm(): Promise<JetStreamManager> {
    return (this.manager ??= jetstreamManager(this.nc));
  }
}
