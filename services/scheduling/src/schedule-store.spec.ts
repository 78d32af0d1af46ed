import { StoredSchedule, UserRole } from '@dcc/proto';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carryOverSchedules, UNPACKED_SCHEDULES_BUCKET } from './schedule-carry-over.js';
import { SCHEDULES_BUCKET, ScheduleStore } from './schedule-store.js';
import { dailyProfileRead } from './test-schedules.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OTHER = '90-B3-D5-1F-30-03-00-00';
const THIRD = '90-B3-D5-1F-30-04-00-00';

const schedule = (userId: string, id: number, deviceId = '00-DB-12-00-00-00-00-01'): StoredSchedule => ({
  dspScheduleId: String(id),
  userId,
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  createdMs: 1_700_000_000_000,
  nextPeriod: 0,
  schedule: dailyProfileRead(deviceId, 1_700_006_400_000, 1_800),
});

let nats: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
});

const subjectsIn = async (bucket: string) =>
  (await (await jetstreamManager(nc)).streams.info(`KV_${bucket}`)).state.num_subjects ?? 0;

describe('the schedule store, packed into shards', () => {
  it('keeps many schedules under few keys, each found, listed and deleted on its own', async () => {
    const store = await ScheduleStore.open(nc, 8); // 8 shards a User: 200 schedules share them
    await Promise.all(Array.from({ length: 200 }, (_, n) => store.create(schedule(SUPPLIER, 1_000 + n))));
    await store.create(schedule(OTHER, 1_000)); // the same id for another User is another schedule
    expect(await subjectsIn(SCHEDULES_BUCKET)).toBe(8 + 1 + 1); // the supplier's shards, the other's, the count
    expect((await store.get(ScheduleStore.key(SUPPLIER, '1007')))?.schedule.dspScheduleId).toBe('1007');
    expect(await store.get(ScheduleStore.key(SUPPLIER, '999'))).toBeUndefined();
    await expect(store.create(schedule(SUPPLIER, 1_007))).rejects.toThrow(/exists/);

    expect(await store.delete(SUPPLIER, '1007')).toBe(true);
    expect(await store.delete(SUPPLIER, '1007')).toBe(false);
    expect(await store.get(ScheduleStore.key(SUPPLIER, '1007'))).toBeUndefined();
    expect(await store.get(ScheduleStore.key(OTHER, '1000'))).toBeDefined();
    const listed = await store.list(SUPPLIER, 1_000);
    expect(listed.schedules).toHaveLength(199);
    expect(new Set(listed.schedules.map((s) => s.dspScheduleId)).size).toBe(199);
    expect(await store.list(SUPPLIER, 10)).toMatchObject({ truncated: true });
  });

  it('keeps the shard count the bucket was created with', async () => {
    expect((await ScheduleStore.open(nc, 64)).shardCount).toBe(8);
  });

  it('empties a shard and fills it again', async () => {
    const store = await ScheduleStore.open(nc);
    await store.create(schedule(THIRD, 5));
    expect(await store.delete(THIRD, '5')).toBe(true);
    await store.create(schedule(THIRD, 6));
    expect((await store.list(THIRD, 10)).schedules.map((s) => s.dspScheduleId)).toEqual(['6']);
  });

  it('carries the schedules of the one-key-per-schedule bucket over, and removes that bucket', async () => {
    const old = await new Kvm(nc).create(UNPACKED_SCHEDULES_BUCKET, { history: 1 });
    for (const id of [70, 71, 72]) {
      await old.put(
        `${OTHER}.${id}`,
        StoredSchedule.encode(schedule(OTHER, id, '00-DB-12-00-00-00-00-07')).finish(),
      );
    }
    const store = await ScheduleStore.open(nc);
    await store.create(schedule(OTHER, 71, '00-DB-12-00-00-00-00-07')); // moved before a crash: kept once
    expect(await carryOverSchedules(nc, store, { info: () => undefined })).toBe(3);
    const listed = await store.list(OTHER, 100, '00-DB-12-00-00-00-00-07');
    expect(listed.schedules.map((s) => s.dspScheduleId).sort()).toEqual(['70', '71', '72']);
    expect(await carryOverSchedules(nc, store, { info: () => undefined })).toBe(0); // gone: nothing to do
  });
});
