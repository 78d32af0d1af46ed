// SMETS1 delivery faults over real NATS and gRPC, two smets1-adapter instances sharing the s1 partitions:
// - the S1 service providers' injected faults (IOC's responses always late, MOC's lossy and slow): E21 on the
//   User's Responses within the TRT, the command run once; retries answered once, each command run once;
// - a cohort taken out of service and back through the operations API: switched off through one instance it
//   holds for both (the operators' switches are in JetStream KV); its commands wait in METER_MAIL, pass no DCO
//   and reach no meter; back in service (through the other instance) each is answered once and ran once.
import './telemetry-setup.js';
import {
  Smets1OperationsServiceClient,
  type GetSmets1StatusResponse,
  type ServiceRequest,
  type ServiceResponse,
  type Smets1CohortStatus,
} from '@dcc/proto';
import { startService, type RunningService } from '@dcc/service-kit';
import { smets1Adapter } from '@dcc/smets1-adapter';
import { waitFor } from '@dcc/testkit';
import { credentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESTATE_PARTIES,
  HubClient,
  mixedSmets1Esmes,
  readImportRegisters,
  startLocalHub,
  type LocalHub,
} from '../src/index.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
const POINTS = 600;
const PREMISES = 360;
const TRT_MS = 1_000;

let hub: LocalHub;
let second: RunningService;
let client: HubClient;
const operations: Smets1OperationsServiceClient[] = [];
let counter = BigInt(Date.now());
const answers = new Map<string, ServiceResponse[]>();

beforeAll(async () => {
  hub = await startLocalHub({
    meters: POINTS,
    mix: 'mixed',
    smets1: true,
    env: {
      SMETS1_TRT_MS: String(TRT_MS),
      S1SP_ATTEMPT_TIMEOUT_MS: '40',
      S1SP_LATENCY_MS_IOC: '100',
      S1SP_LOSS_MOC: '0.4',
      S1SP_LATENCY_MS_MOC: '5',
      S1SP_JITTER_MS_MOC: '10',
      S1SP_SEED: '5',
    },
  });
  second = await startService(smets1Adapter, { ...hub.env, INSTANCE_ID: 'smets1-second' });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => answers.set(r.requestId, [...(answers.get(r.requestId) ?? []), r]));
  for (const port of [hub.smets1Adapter!.grpcPort, second.grpcPort])
    operations.push(new Smets1OperationsServiceClient(`127.0.0.1:${port}`, credentials.createInsecure()));
}, 60_000);

afterAll(async () => {
  for (const o of operations) o.close();
  client?.close();
  await second?.stop();
  await hub?.stop();
});

const call = <T>(fn: (cb: (error: Error | null, reply?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((error, reply) => (error ? reject(error) : resolve(reply!))));
const statusOf = (o: Smets1OperationsServiceClient) =>
  call<GetSmets1StatusResponse>((cb) => o.getSmets1Status({}, cb));

/** A cohort's figures summed over both instances (a command is taken by whichever owns its partition). */
async function cohort(name: string): Promise<{
  each: Smets1CohortStatus[];
  sum: (field: keyof Smets1CohortStatus) => number;
}> {
  const each = (await Promise.all(operations.map(statusOf))).map((s) =>
    s.cohorts.find((c) => c.cohort === name)!,
  );
  return { each, sum: (field) => each.reduce((total, c) => total + Number(c[field]), 0) };
}
const foc = () => cohort('FOC');

const setFoc = (o: Smets1OperationsServiceClient, inService: boolean) =>
  call((cb) => o.setCohortInService({ cohort: 'FOC', inService }, cb));

async function submit(device: string): Promise<ServiceRequest> {
  const request = readImportRegisters(SUPPLIER, device, counter++);
  expect((await client.submit(request)).responseCode).toBe('I99');
  return request;
}

const answered = (r: ServiceRequest) =>
  waitFor(`the answer to ${r.requestId}`, () => answers.get(r.requestId)?.[0], 20_000);

describe('the S1 service providers with injected faults', () => {
  it('responses always late: E21 on the User’s Responses within the TRT, the command run once', async () => {
    const before = await cohort('IOC');
    const started = Date.now();
    const request = await submit(mixedSmets1Esmes(PREMISES, 'IOC')[0]!);
    expect(await answered(request)).toMatchObject({ responseCode: 'E21' });
    expect(Date.now() - started).toBeLessThan(TRT_MS + 2_000);
    const after = await cohort('IOC');
    expect(after.sum('e21') - before.sum('e21')).toBe(1);
    expect(after.sum('deviceExecutions') - before.sum('deviceExecutions')).toBe(1);
    expect(after.sum('duplicatesSuppressed')).toBeGreaterThan(before.sum('duplicatesSuppressed'));
  });

  it('a lossy provider retries within the TRT: every read answered once, each run once on its meter', async () => {
    const before = await cohort('MOC');
    const requests = await Promise.all(mixedSmets1Esmes(PREMISES, 'MOC').slice(0, 10).map(submit));
    for (const r of requests) expect(await answered(r)).toMatchObject({ responseCode: 'I0' });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second answer would have arrived by now
    for (const r of requests) expect(answers.get(r.requestId)).toHaveLength(1);
    const after = await cohort('MOC');
    expect(after.sum('deviceExecutions') - before.sum('deviceExecutions')).toBe(requests.length);
    expect(after.sum('delivered') - before.sum('delivered')).toBe(requests.length);
    expect(after.sum('retries')).toBeGreaterThan(before.sum('retries'));
  });
});

describe('a SMETS1 cohort out of service and back, across adapter instances', () => {
  it('holds its commands durably (no DCO, no meter); back in service, each answered once and run once', async () => {
    const [first, other] = operations as [Smets1OperationsServiceClient, Smets1OperationsServiceClient];
    const before = await foc();
    await setFoc(other, false);
    // Switched off through the second instance: the first sees it too.
    await waitFor('both instances see FOC out of service', async () => {
      const now = await foc();
      return now.each.every((c) => !c.inService) || undefined;
    });
    const devices = mixedSmets1Esmes(PREMISES, 'FOC').slice(0, 8);
    const requests = await Promise.all(devices.map(submit));
    await waitFor(
      'every command held at least once',
      async () => (await foc()).sum('heldOutOfService') - before.sum('heldOutOfService') >= devices.length,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // redelivered meanwhile, held again
    for (const r of requests) expect(answers.get(r.requestId)).toBeUndefined();
    const held = await foc();
    expect(held.sum('dcoCountersigned')).toBe(before.sum('dcoCountersigned'));
    expect(held.sum('deviceExecutions')).toBe(before.sum('deviceExecutions'));

    await setFoc(first, true);
    for (const r of requests) {
      const answer = await waitFor(
        `the answer to ${r.requestId}`,
        () => answers.get(r.requestId)?.[0],
        20_000,
      );
      expect(answer.responseCode).toBe('I0');
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second answer would have arrived by now
    for (const r of requests) expect(answers.get(r.requestId)).toHaveLength(1);
    const after = await foc();
    expect(after.each.every((c) => c.inService)).toBe(true);
    expect(after.sum('dcoCountersigned') - before.sum('dcoCountersigned')).toBe(devices.length);
    expect(after.sum('deviceExecutions') - before.sum('deviceExecutions')).toBe(devices.length);
  }, 60_000);

  it('taking a cohort out of service needs a known cohort', async () => {
    await expect(
      call((cb) => operations[0]!.setCohortInService({ cohort: 'XOC', inService: false }, cb)),
    ).rejects.toMatchObject({ code: 3 }); // INVALID_ARGUMENT
  });
});
