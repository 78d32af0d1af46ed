import { DccError, GrpcStatus } from '@dcc/domain';
import { StoredSchedule } from '@dcc/proto';
import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The KV bucket holding every schedule, one small protobuf record each. */
export const SCHEDULES_BUCKET = 'schedules';

/** A stored schedule and the KV revision it was read at (for compare-and-set). */
export interface ScheduleAt {
  schedule: StoredSchedule;
  revision: number;
}

/**
 * The schedules, durably in a JetStream KV bucket (file storage, no history): key `<userId>.<scheduleId>`, so a
 * User reaches only its own (5.2 and 5.3 look up under the requester's id) and lists them by key prefix. A record
 * is the CreateSchedule body with the owner, role and the next period to run (~100 bytes); nothing is held in
 * memory per schedule.
 */
export class ScheduleStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection): Promise<ScheduleStore> {
    return new ScheduleStore(
      await new Kvm(nc).create(SCHEDULES_BUCKET, { history: 1, storage: StorageType.File }),
    );
  }

  static key(userId: string, scheduleId: string): string {
    return `${userId}.${scheduleId}`;
  }

  /** Stores a new schedule; its id is fresh, so an existing key is a collision, refused. */
  async create(schedule: StoredSchedule): Promise<void> {
    await this.kv.create(
      ScheduleStore.key(schedule.userId, schedule.dspScheduleId),
      StoredSchedule.encode(schedule).finish(),
    );
  }

  async get(key: string): Promise<ScheduleAt | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return undefined;
    return { schedule: StoredSchedule.decode(entry.value), revision: entry.revision };
  }

  /** Records that runs below `nextPeriod` were submitted; refused (ABORTED) if it changed since it was read. */
  async advance(at: ScheduleAt, nextPeriod: number): Promise<void> {
    const { schedule } = at;
    const updated = StoredSchedule.encode({ ...schedule, nextPeriod }).finish();
    try {
      await this.kv.update(ScheduleStore.key(schedule.userId, schedule.dspScheduleId), updated, at.revision);
    } catch (error) {
      throw new DccError(
        GrpcStatus.ABORTED,
        `schedule ${schedule.dspScheduleId} changed: ${(error as Error).message}`,
      );
    }
  }

  /** Deletes a schedule; false when the User has none with that id. */
  async delete(userId: string, scheduleId: string): Promise<boolean> {
    const key = ScheduleStore.key(userId, scheduleId);
    if (!(await this.get(key))) return false;
    await this.kv.purge(key);
    return true;
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
      const found = await this.get(key);
      if (!found || (deviceId && found.schedule.schedule?.deviceId !== deviceId)) continue;
      if (schedules.length === limit) {
        keys.stop();
        return { schedules, truncated: true };
      }
      schedules.push(found.schedule);
    }
    return { schedules, truncated: false };
  }
}
