import { findStream } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import { StoredSchedule } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ScheduleStore } from './schedule-store.js';

/** The bucket of the layout before 2026-12-03: one key per schedule, `<userId>.<scheduleId>`. */
export const UNPACKED_SCHEDULES_BUCKET = 'schedules';

/**
 * Moves the schedules of the earlier layout into the packed store, then removes the old bucket. Run at start,
 * before anything is served; a crash midway is finished by the next start (a schedule already moved is kept). A
 * record's next period becomes its first, harmless: the due index, unchanged, says which period runs next.
 */
export async function carryOverSchedules(
  nc: NatsConnection,
  store: ScheduleStore,
  log: Pick<Logger, 'info'>,
): Promise<number> {
  if (!(await findStream(await jetstreamManager(nc), `KV_${UNPACKED_SCHEDULES_BUCKET}`))) return 0;
  const old = await new Kvm(nc).open(UNPACKED_SCHEDULES_BUCKET);
  let moved = 0;
  for await (const key of await old.keys()) {
    const entry = await old.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) continue;
    await store.create(StoredSchedule.decode(entry.value)).catch((error: unknown) => {
      if (!(error instanceof DccError && error.status === GrpcStatus.ALREADY_EXISTS)) throw error;
    });
    moved += 1;
  }
  await old.destroy();
  log.info({ moved }, `schedules carried over from the ${UNPACKED_SCHEDULES_BUCKET} bucket into shards`);
  return moved;
}
