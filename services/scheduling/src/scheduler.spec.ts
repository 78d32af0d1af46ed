import { DurablePublisher, Requester, subjects } from '@dcc/bus';
import { DAY_MS } from '@dcc/domain';
import { UserRole, type ScheduledRun } from '@dcc/proto';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DueIndex } from './due-index.js';
import { answerScheduleRequest } from './schedule-requests.js';
import { ScheduleStore } from './schedule-store.js';
import { Scheduler } from './scheduler.js';
import { dailyProfileRead } from './test-schedules.js';

// The scheduler over a real nats-server, on a clock the test moves: the due index says which period runs next,
// the records never change.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DAY = Math.floor(Date.UTC(2031, 0, 1) / DAY_MS) * DAY_MS;
const BUCKET_MS = 60_000;

let nats: NatsServer;
let nc: NatsConnection;
let requester: Requester;
let store: ScheduleStore;
let index: DueIndex;
let now = DAY - DAY_MS;
const runs: ScheduledRun[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  requester = new Requester(nc);
  store = await ScheduleStore.open(nc, 4);
  index = await DueIndex.open(nc, BUCKET_MS);
});
afterAll(async () => {
  requester.close();
  await nc.close();
  await nats.stop();
});

const scheduler = () =>
  new Scheduler(
    store,
    index,
    new DurablePublisher(requester),
    () => now,
    { info: () => undefined, warn: () => undefined },
    (run) => Promise.resolve(void runs.push(run)),
  );

/** A daily 4.8.1 schedule of one meter at 01:00, from DAY; its id. */
async function create(meter: number): Promise<string> {
  const answer = await answerScheduleRequest(store, index, {
    userId: SUPPLIER,
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    instantMs: now,
    operation: {
      $case: 'create',
      value: dailyProfileRead(`00-DB-12-00-00-00-00-${String(meter).padStart(2, '0')}`, DAY),
    },
  });
  if (answer.result?.$case !== 'created') throw new Error('not created');
  return answer.result.value.dspScheduleId;
}

describe('the scheduler', () => {
  it('runs each schedule once a period, an entry added twice once, a deleted one never', async () => {
    const kept = await create(1);
    const deleted = await create(2);
    await store.delete(SUPPLIER, deleted);
    // The first period's entry again, past the stream's duplicate window (published without a message id).
    const bucket = index.bucketOf(DAY + 3_600_000);
    await jetstream(nc).publish(subjects.scheduleDue(bucket), `${ScheduleStore.key(SUPPLIER, kept)} 0`);

    now = DAY + 3_600_000 + BUCKET_MS; // the first night's bucket has ended
    const night1 = scheduler();
    expect(await night1.tick()).toBe(1);
    expect(night1.stats).toMatchObject({ submitted: 1, skipped: 2 }); // the duplicate and the deleted one
    expect(runs.map((r) => [r.dspScheduleId, r.period])).toEqual([[kept, 0]]);
    // What ran is gone from the index: the same night again submits nothing; the next night, period 1.
    expect(await scheduler().tick()).toBe(0);
    expect((await index.dueBuckets(now + DAY_MS)).map((b) => b.bucket)).toEqual([
      index.bucketOf(DAY + DAY_MS + 3_600_000),
    ]);
    now += DAY_MS;
    expect(await scheduler().tick()).toBe(1);
    expect(runs.map((r) => r.period)).toEqual([0, 1]);
  });
});
