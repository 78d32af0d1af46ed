// The SMETS1 path end to end: a hub whose registration holds the mixed demonstration estate (every point's
// distributor the development network operator), access control routing SMETS1 devices to dcc.meter.s1.*, and
// the SMETS1 adapter (DCO per cohort, S1 service providers, half-hourly cache) answering them.
import './telemetry-setup.js';
import { DccError } from '@dcc/domain';
import {
  Smets1OperationsServiceClient,
  UserRole,
  type GetSmets1StatusResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { startService } from '@dcc/service-kit';
import { smets1Adapter } from '@dcc/smets1-adapter';
import { waitFor } from '@dcc/testkit';
import { credentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESTATE_PARTIES,
  HubClient,
  mixedSmets1Esmes,
  readImportRegisters,
  SMETS1_COHORTS,
  startLocalHub,
  type LocalHub,
} from '../src/index.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
const NETWORK = ESTATE_PARTIES.networkOperator;
const POINTS = 600;
const PREMISES = 360;
const DAY_MS = 86_400_000;
/** The IOC DCO is made slow: 250 ms a command. */
const SLOW_IOC_MS = 250;

let hub: LocalHub;
let client: HubClient;
let operations: Smets1OperationsServiceClient;
let counter = 1;
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  hub = await startLocalHub({
    meters: POINTS,
    mix: 'mixed',
    parties: { distributors: [NETWORK] },
    smets1: true,
    env: { DCO_PROCESSING_MS_IOC: String(SLOW_IOC_MS), S1SP_LATENCY_MS_MOC: '20' },
  });
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, NETWORK]) client.responses(user, (r) => received.set(r.requestId, r));
  operations = new Smets1OperationsServiceClient(
    `127.0.0.1:${hub.smets1Adapter!.grpcPort}`,
    credentials.createInsecure(),
  );
}, 60_000);

afterAll(async () => {
  operations?.close();
  client?.close();
  await hub?.stop();
});

const smets1Meters = (cohort: (typeof SMETS1_COHORTS)[number], suppliedByUs = true) =>
  mixedSmets1Esmes(PREMISES, cohort, suppliedByUs);

function request(
  srv: string,
  device: string,
  body: ServiceRequest['body'],
  user: string = SUPPLIER,
  role = UserRole.USER_ROLE_IMPORT_SUPPLIER,
): ServiceRequest {
  return {
    requestId: `${user}:${device}:${counter++}`,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: role,
    body,
  };
}

async function acknowledged(r: ServiceRequest): Promise<string> {
  try {
    return (await client.submit(r)).responseCode;
  } catch (error) {
    return (error as DccError).responseCode ?? `grpc-${(error as DccError).status}`;
  }
}

const answer = (r: ServiceRequest) =>
  waitFor(`the response to ${r.requestId}`, () => received.get(r.requestId), 20_000);

async function submitted(r: ServiceRequest): Promise<ServiceResponse> {
  expect(await acknowledged(r)).toBe('I99');
  return answer(r);
}

const status = () =>
  new Promise<GetSmets1StatusResponse>((resolve, reject) =>
    operations.getSmets1Status({}, (error, reply) => (error ? reject(error) : resolve(reply))),
  );
const cohort = (s: GetSmets1StatusResponse, name: string) => s.cohorts.find((c) => c.cohort === name)!;

const midnight = (t: number) => t - (t % DAY_MS);
const profile = (period: { startMs: number; endMs: number }): ServiceRequest['body'] => ({
  $case: 'readActiveImportProfileData',
  value: { period },
});

describe('the SMETS1 adapter over real NATS and gRPC', () => {
  it('answers a SMETS1 4.1.1 read I0, through the DCO of the device’s cohort', async () => {
    const device = smets1Meters('MOC')[0]!;
    const before = cohort(await status(), 'MOC');
    const response = await submitted(readImportRegisters(SUPPLIER, device, counter++));
    expect(response).toMatchObject({ responseCode: 'I0', body: { $case: 'importRegisters' } });
    const after = cohort(await status(), 'MOC');
    expect(after.dcoCountersigned).toBe(before.dcoCountersigned + 1);
    expect(after.delivered).toBe(before.delivered + 1);
  });

  it('a command the DCO refuses never reaches the meter; the User gets the refusal with its code', async () => {
    const device = smets1Meters('FOC')[0]!;
    const before = cohort(await status(), 'FOC');
    const response = await submitted(request('11.2', device, { $case: 'readFirmwareVersion', value: {} }));
    expect(response.responseCode).toBe('E11');
    expect(response.detail).toMatch(/DCO refused/);
    const after = cohort(await status(), 'FOC');
    expect(after.dcoRefused).toBe(before.dcoRefused + 1);
    expect(after.delivered).toBe(before.delivered); // the S1 service provider carried nothing
  });

  it('one command at a time per cohort, cohorts in parallel: a slow IOC DCO holds up neither MOC nor FOC', async () => {
    const ioc = smets1Meters('IOC').slice(0, 4);
    const others = [...smets1Meters('MOC').slice(1, 5), ...smets1Meters('FOC').slice(1, 5)];
    const started = Date.now();
    const iocReads = ioc.map((d) => readImportRegisters(SUPPLIER, d, counter++));
    const otherReads = others.map((d) => readImportRegisters(SUPPLIER, d, counter++));
    const acks = await Promise.all([...iocReads, ...otherReads].map(acknowledged));
    expect(acks.every((a) => a === 'I99')).toBe(true);
    const iocAnswers = await Promise.all(iocReads.map(answer));
    const otherAnswers = await Promise.all(otherReads.map(answer));
    for (const r of [...iocAnswers, ...otherAnswers]) expect(r.responseCode).toBe('I0');
    const iocTimes = iocAnswers.map((r) => r.responseDateTimeMs).sort((a, b) => a - b);
    // Sequential: the IOC DCO took its 250 ms per command one after another.
    for (let i = 1; i < iocTimes.length; i++) {
      expect(iocTimes[i]! - iocTimes[i - 1]!).toBeGreaterThanOrEqual(SLOW_IOC_MS - 20);
    }
    expect(iocTimes.at(-1)! - started).toBeGreaterThanOrEqual(4 * SLOW_IOC_MS - 20);
    // Parallel: every MOC and FOC read was answered before the IOC lane was half way.
    const lastOther = Math.max(...otherAnswers.map((r) => r.responseDateTimeMs));
    expect(lastOther).toBeLessThan(iocTimes[1]!);
  });

  it('half-hourly cache: a second User’s same period is served without waking the meter; another period is not', async () => {
    const device = smets1Meters('MOC')[5]!;
    const today = midnight(Date.now());
    const yesterday = { startMs: today - DAY_MS, endMs: today };
    const s0 = await status();
    const bySupplier = await submitted(request('4.8.1', device, profile(yesterday)));
    expect(bySupplier.responseCode).toBe('I0');
    const s1 = await status();
    expect(cohort(s1, 'MOC').delivered).toBe(cohort(s0, 'MOC').delivered + 1);
    expect(s1.halfHourlyCache!.misses).toBe(s0.halfHourlyCache!.misses + 1);

    const distributor = UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR;
    const byNetwork = await submitted(request('4.8.1', device, profile(yesterday), NETWORK, distributor));
    expect(byNetwork).toMatchObject({ responseCode: 'I0', body: bySupplier.body });
    const s2 = await status();
    expect(cohort(s2, 'MOC').delivered).toBe(cohort(s1, 'MOC').delivered); // the meter was not woken
    expect(s2.halfHourlyCache!.hits).toBe(s1.halfHourlyCache!.hits + 1);
    expect(s2.halfHourlyCache!.hitRate).toBeGreaterThan(0);

    const dayBefore = { startMs: today - 2 * DAY_MS, endMs: today - DAY_MS };
    expect(
      (await submitted(request('4.8.1', device, profile(dayBefore), NETWORK, distributor))).responseCode,
    ).toBe('I0');
    const s3 = await status();
    expect(cohort(s3, 'MOC').delivered).toBe(cohort(s2, 'MOC').delivered + 1);
    expect(s3.halfHourlyCache!.misses).toBe(s2.halfHourlyCache!.misses + 1);
  });

  it('a User not entitled to the meter is refused by access control (E4) before anything reaches the cache', async () => {
    const notOurs = smets1Meters('MOC', false)[0]!;
    const today = midnight(Date.now());
    const before = await status();
    expect(
      await acknowledged(request('4.8.1', notOurs, profile({ startMs: today - DAY_MS, endMs: today }))),
    ).toBe('E4');
    const after = await status();
    expect(after.halfHourlyCache).toEqual(before.halfHourlyCache);
  });

  it('its operations API refuses a caller that is not an operator outside plaintext development mode', async () => {
    const strict = await startService(smets1Adapter, {
      ...hub.env,
      INSTANCE_ID: 'strict-operations',
      OPERATIONS_API_PLAINTEXT: 'false',
    });
    const other = new Smets1OperationsServiceClient(
      `127.0.0.1:${strict.grpcPort}`,
      credentials.createInsecure(),
    );
    try {
      const refusal = await new Promise<unknown>((resolve) =>
        other.getSmets1Status({}, (error) => resolve(error)),
      );
      expect(refusal).toMatchObject({ code: 16 }); // UNAUTHENTICATED: no operator certificate
      const switching = await new Promise<unknown>((resolve) =>
        other.setCohortInService({ cohort: 'IOC', inService: false }, (error) => resolve(error)),
      );
      expect(switching).toMatchObject({ code: 16 });
    } finally {
      other.close();
      await strict.stop();
    }
  });
});
