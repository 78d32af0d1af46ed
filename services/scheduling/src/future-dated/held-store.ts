import { DccError, GrpcStatus, parseRequestId } from '@dcc/domain';
import { FutureDatedRecord, FutureDatedState, type HeldRequest } from '@dcc/proto';
import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The KV bucket holding every future-dated request the hub holds, cancelled or released. */
export const FUTURE_DATED_BUCKET = 'future_dated';

/** A stored record and the KV revision it was read at (for compare-and-set). */
export interface HeldAt {
  record: FutureDatedRecord;
  revision: number;
}

/**
 * Future-dated requests, durably in a JetStream KV bucket (file, no history): key `<originator>.<target>.<counter>`
 * (the RequestID's parts), value the request and its state. A record moves HELD → CANCELLED or HELD → RELEASED,
 * each by compare-and-set, so a cancellation and a release racing for one request cannot both win. Records stay
 * after release or cancellation (a repeated cancel answers the same; a release read twice is not sent twice);
 * the bucket's TTL removes them once no request can refer to them.
 */
export class HeldStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, ttlMs: number): Promise<HeldStore> {
    return new HeldStore(
      await new Kvm(nc).create(FUTURE_DATED_BUCKET, { history: 1, storage: StorageType.File, ttl: ttlMs }),
    );
  }

  /** The key of a RequestID (refused INVALID_ARGUMENT when it is not one). */
  static key(requestId: string): string {
    const { originator, target, counter } = parseRequestId(requestId);
    return `${originator}.${target}.${counter}`;
  }

  /** Stores a request as HELD; one already stored (a redelivered message) is left as it is. */
  async hold(held: HeldRequest): Promise<HeldAt> {
    const key = HeldStore.key(held.request!.requestId);
    const record: FutureDatedRecord = { held, state: FutureDatedState.FUTURE_DATED_STATE_HELD };
    try {
      const revision = await this.kv.create(key, FutureDatedRecord.encode(record).finish());
      return { record, revision };
    } catch (error) {
      const existing = await this.get(key);
      if (!existing) throw error;
      return existing;
    }
  }

  async get(key: string): Promise<HeldAt | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return undefined;
    return { record: FutureDatedRecord.decode(entry.value), revision: entry.revision };
  }

  /** Moves a HELD record to `state`; ABORTED when it changed since it was read (the caller reads it again). */
  async move(key: string, at: HeldAt, state: FutureDatedState): Promise<HeldAt> {
    const record = { ...at.record, state };
    try {
      const revision = await this.kv.update(key, FutureDatedRecord.encode(record).finish(), at.revision);
      return { record, revision };
    } catch (error) {
      throw new DccError(GrpcStatus.ABORTED, `future-dated ${key} changed: ${(error as Error).message}`);
    }
  }
}
