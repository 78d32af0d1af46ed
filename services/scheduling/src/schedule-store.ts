import { DccError, GrpcStatus } from '@dcc/domain';
import { ScheduleShard, StoredSchedule } from '@dcc/proto';
import { JetStreamApiCodes, JetStreamApiError, StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The KV bucket holding every schedule, packed into shards (ScheduleShard). */
export const SCHEDULES_BUCKET = 'schedule_shards';
/**
 * Shards per User, by default: the 30 million supplier schedules of a national estate make about 29 records of
 * ~100 bytes a shard, and 2^20 keys cost nats-server about 0.3 GB (a key per schedule would be about 9 GB).
 */
export const SHARDS_PER_USER = 1 << 20;
/** The bucket's own key recording its shard count (no User key lacks a dot). */
const SHARDS_KEY = 'shards';

/** A stored schedule. */
export interface ScheduleAt {
  schedule: StoredSchedule;
}

interface ShardAt {
  schedules: StoredSchedule[];
  /** The KV revision read (0: no such key), for compare-and-set. */
  revision: number;
}

/**
 * The schedules, durably in a JetStream KV bucket (file storage, no history), packed: key
 * `<userId>.<shard>` holds the User's schedules whose ids hash to the shard, so a User reaches only its own (5.2
 * and 5.3 look up under the requester's id) and nats-server keeps per-key state for shards, not for 30 million
 * schedules. A record never changes once created (the due index says which period runs next), so a shard is
 * written only by 5.1 and 5.3, with compare-and-set; a run reads its shard. Nothing is held in memory per
 * schedule. Schedules are named across the service by `<userId>.<scheduleId>` (the due index's key).
 */
export class ScheduleStore {
  private constructor(
    private readonly kv: KV,
    private readonly shards: number,
  ) {}

  /**
   * Opens the bucket; `shards` is recorded when it is created, and the recorded count is used ever after (a
   * schedule's shard follows from its id and the count).
   */
  static async open(nc: NatsConnection, shards = SHARDS_PER_USER): Promise<ScheduleStore> {
    const kv = await new Kvm(nc).create(SCHEDULES_BUCKET, { history: 1, storage: StorageType.File });
    await kv.create(SHARDS_KEY, new TextEncoder().encode(String(shards))).catch((error: unknown) => {
      if (!isConflict(error)) throw error; // recorded already
    });
    const recorded = await kv.get(SHARDS_KEY);
    return new ScheduleStore(kv, Number(recorded?.string() ?? shards));
  }

  /** The shard count in use (recorded in the bucket). */
  get shardCount(): number {
    return this.shards;
  }

  static key(userId: string, scheduleId: string): string {
    return `${userId}.${scheduleId}`;
  }

  /** Stores a new schedule; its id is fresh, so one already stored is a collision, refused (ALREADY_EXISTS). */
  async create(schedule: StoredSchedule): Promise<void> {
    await this.change(schedule.userId, schedule.dspScheduleId, (schedules) => {
      if (schedules.some((s) => s.dspScheduleId === schedule.dspScheduleId)) {
        throw new DccError(GrpcStatus.ALREADY_EXISTS, `schedule ${schedule.dspScheduleId} exists`);
      }
      return [...schedules, schedule];
    });
  }

  /** The schedule named `<userId>.<scheduleId>`, if stored. */
  async get(key: string): Promise<ScheduleAt | undefined> {
    const dot = key.indexOf('.');
    const [userId, scheduleId] = [key.slice(0, dot), key.slice(dot + 1)];
    const { schedules } = await this.readShard(this.shardKey(userId, scheduleId));
    const schedule = schedules.find((s) => s.dspScheduleId === scheduleId);
    return schedule ? { schedule } : undefined;
  }

  /** Deletes a schedule; false when the User has none with that id. */
  async delete(userId: string, scheduleId: string): Promise<boolean> {
    let found = false;
    await this.change(userId, scheduleId, (schedules) => {
      const kept = schedules.filter((s) => s.dspScheduleId !== scheduleId);
      found = kept.length < schedules.length;
      return found ? kept : undefined;
    });
    return found;
  }

  /** A User's schedules, at most `limit` (and whether more matched), optionally only those of one device. */
  async list(
    userId: string,
    limit: number,
    deviceId = '',
  ): Promise<{ schedules: StoredSchedule[]; truncated: boolean }> {
    const schedules: StoredSchedule[] = [];
    const keys = await this.kv.keys(`${userId}.*`);
    for await (const key of keys) {
      for (const schedule of (await this.readShard(key)).schedules) {
        if (deviceId && schedule.schedule?.deviceId !== deviceId) continue;
        if (schedules.length === limit) {
          keys.stop();
          return { schedules, truncated: true };
        }
        schedules.push(schedule);
      }
    }
    return { schedules, truncated: false };
  }

  /**
   * Rewrites the shard of `scheduleId` with `edit`'s answer (undefined: nothing to write), again against the
   * newer shard when another writer got in first.
   */
  private async change(
    userId: string,
    scheduleId: string,
    edit: (schedules: StoredSchedule[]) => StoredSchedule[] | undefined,
  ): Promise<void> {
    const key = this.shardKey(userId, scheduleId);
    for (;;) {
      const shard = await this.readShard(key);
      const edited = edit(shard.schedules);
      if (!edited) return;
      try {
        if (edited.length === 0) await this.kv.purge(key, { previousSeq: shard.revision });
        else {
          const value = ScheduleShard.encode({ schedules: edited }).finish();
          if (shard.revision === 0) await this.kv.create(key, value);
          else await this.kv.update(key, value, shard.revision);
        }
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  private async readShard(key: string): Promise<ShardAt> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) {
      return { schedules: [], revision: entry?.revision ?? 0 };
    }
    return { schedules: ScheduleShard.decode(entry.value).schedules, revision: entry.revision };
  }

  private shardKey(userId: string, scheduleId: string): string {
    return `${userId}.${(fnv1a(scheduleId) % this.shards).toString(16)}`;
  }
}

/** A compare-and-set write refused because the shard moved on since it was read. */
function isConflict(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** FNV-1a, 32 bits: spreads any id evenly over the shards. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
