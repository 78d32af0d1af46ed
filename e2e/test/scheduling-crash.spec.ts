import { streams } from '@dcc/bus';
import { DAY_MS } from '@dcc/domain';
import { ScheduleFrequency, UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { createSchedulingService } from '@dcc/scheduling';
import { startService } from '@dcc/service-kit';
import { startServiceProcess, waitFor, type ServiceProcess } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';

// The scheduling service as its own OS process on a test clock (SCHEDULING_TEST_CLOCK_START_MS), killed with
// SIGKILL while it submits a backlog of runs, then started again: every run of every schedule is answered once.

const HUB = '90-B3-D5-1F-30-00-00-02';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
// One schedule per meter: several due on one meter at the same instant would race its anti-replay check.
const METERS = 300;
const SCHEDULES = 300;
const PERIODS = 4;
const D = Math.floor(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS;
const device = (n: number) =>
  `00-DB-12-00-00-00-${((n >> 8) & 0xff).toString(16).padStart(2, '0')}-${(n & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();

let hub: LocalHub;
let client: HubClient;
let nc: NatsConnection;
let child: ServiceProcess | undefined;
const responses: ServiceResponse[] = [];

beforeAll(async () => {
  hub = await startLocalHub({ meters: METERS });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => responses.push(r));
  nc = await connect({ servers: hub.nats.url });
});

afterAll(async () => {
  if (child && child.child.exitCode === null) {
    child.child.kill('SIGTERM');
    await child.exited;
  }
  client?.close();
  await nc?.close();
  await hub?.stop();
});

const create = (n: number): ServiceRequest => ({
  requestId: `${SUPPLIER}:${HUB}:${20_000 + n}`,
  commandVariant: 8,
  serviceReferenceVariant: '5.1',
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: {
    $case: 'createSchedule',
    value: {
      scheduledServiceReferenceVariant: '4.10',
      deviceId: device(n % METERS),
      frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
      startDateMs: D,
      endDateMs: 0,
      executionTimeS: 3_600,
      startDateOffset: 0,
      startTimeS: 0,
      endDateOffset: 0,
      endTimeS: 0,
      purpose: '',
    },
  },
});

async function runsSubmitted(): Promise<number> {
  const info = await (await jetstreamManager(nc)).streams.info(streams.scheduledRuns.name);
  return info.state.last_seq;
}

const schedulingProcess = () =>
  startServiceProcess('services/scheduling/src/main.ts', {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    SCHEDULER_TICK_MS: '50',
    // One instance id across the restart (as a StatefulSet pod's): it takes the leader lease back at once.
    INSTANCE_ID: 'scheduler',
    // Four days of runs are due at once when it starts.
    SCHEDULING_TEST_CLOCK_START_MS: String(D + (PERIODS - 1) * DAY_MS + 3_600_000 + 60_000),
  });

describe('scheduling killed with SIGKILL mid-backlog', () => {
  it('restarted, it submits every run once: no run lost, none twice', async () => {
    // The schedules are created through the DCC User Interface, answered by an in-process scheduling service.
    const creator = await startService(createSchedulingService(), {
      NATS_URL: hub.nats.url,
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      SCHEDULER_TICK_MS: '3600000',
    });
    const acks = await client.submitStream(Array.from({ length: SCHEDULES }, (_, n) => create(n)));
    expect(acks.filter((a) => a.responseCode === 'I99')).toHaveLength(SCHEDULES);
    const created = await waitFor('every schedule id', () => {
      const ids = responses.flatMap((r) =>
        r.body?.$case === 'scheduleCreated' ? [r.body.value.dspScheduleId] : [],
      );
      return ids.length === SCHEDULES ? ids : undefined;
    });
    await creator.stop();

    child = schedulingProcess();
    await waitFor('runs being submitted', async () => (await runsSubmitted()) >= SCHEDULES / 2, 60_000, 5);
    child.child.kill('SIGKILL');
    await child.exited;
    const atKill = await runsSubmitted();
    expect(atKill).toBeLessThan(SCHEDULES * PERIODS); // killed mid-backlog

    child = schedulingProcess();
    // Every schedule × period once: the schedule id and the due time its RequestID counter names (runCounter).
    const dueTimes = Array.from({ length: PERIODS }, (_, p) => D + p * DAY_MS + 3_600_000);
    const expected = new Set(created.flatMap((id) => dueTimes.map((due) => `${id}@${due}`)));
    const runs = () => responses.filter((r) => r.dspScheduleId);
    await waitFor('every run answered', () => runs().length >= expected.size, 120_000, 100);
    await new Promise((r) => setTimeout(r, 2_000)); // a duplicate would arrive meanwhile
    const answered = runs().map(
      (r) => `${r.dspScheduleId}@${BigInt(r.requestId.split(':')[2]!) / 1_000_000n}`,
    );
    expect(answered).toHaveLength(expected.size);
    expect(new Set(answered)).toEqual(expected);
    expect(
      runs()
        .filter((r) => r.responseCode !== 'I0')
        .map((r) => r.detail),
    ).toEqual([]);
  }, 240_000);
});
