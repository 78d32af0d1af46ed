// The SMETS2 path over its three CSP regions, end to end over real NATS and gRPC: a uniform estate (meter n in
// region North, Central, South by n % 3, each behind its own comms hub), lossy WANs, an unavailable comms hub
// and a region taken out of service and back, observed through the Users' Responses streams and the adapter's
// operations API.
import './telemetry-setup.js';
import { eui64FromBigInt, eui64ToBigInt, parseEui64 } from '@dcc/domain';
import {
  Smets2OperationsServiceClient,
  type GetRegionStatusResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { ESTATE_ID_BASES } from '@dcc/registry';
import { startService } from '@dcc/service-kit';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { waitFor } from '@dcc/testkit';
import { credentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESTATE_PARTIES,
  HubClient,
  readImportRegisters,
  startLocalHub,
  type LocalHub,
} from '../src/index.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
const TRT_MS = 1_500;
const meter = (n: number) => eui64FromBigInt(ESTATE_ID_BASES.esme + BigInt(n));
const hubOf = (device: string) =>
  eui64FromBigInt(ESTATE_ID_BASES.chf + eui64ToBigInt(parseEui64(device)) - ESTATE_ID_BASES.esme);
/** Meters of the uniform estate in a region (North 0, Central 1, South 2). */
const inRegion = (r: number, count: number, from = 0) =>
  Array.from({ length: count }, (_, k) => meter(3 * (from + k) + r));

let hub: LocalHub;
let client: HubClient;
let operations: Smets2OperationsServiceClient;
let counter = BigInt(Date.now());
const answers = new Map<string, ServiceResponse[]>();

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 90,
    env: {
      SMETS2_TRT_MS: String(TRT_MS),
      CSP_ATTEMPT_TIMEOUT_MS: '40',
      CSP_NORTH_LOSS: '0.4',
      CSP_NORTH_LATENCY_MS: '5',
      CSP_NORTH_JITTER_MS: '10',
      CSP_WAN_SEED: '3',
    },
  });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => answers.set(r.requestId, [...(answers.get(r.requestId) ?? []), r]));
  operations = new Smets2OperationsServiceClient(
    `127.0.0.1:${hub.adapter.grpcPort}`,
    credentials.createInsecure(),
  );
}, 60_000);

afterAll(async () => {
  operations?.close();
  client?.close();
  await hub?.stop();
});

const call = <T>(fn: (cb: (error: Error | null, reply?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((error, reply) => (error ? reject(error) : resolve(reply!))));
const regions = () => call<GetRegionStatusResponse>((cb) => operations.getRegionStatus({}, cb));
const region = (s: GetRegionStatusResponse, name: string) => s.regions.find((r) => r.region === name)!;

async function submit(device: string): Promise<ServiceRequest> {
  const request = readImportRegisters(SUPPLIER, device, counter++);
  expect((await client.submit(request)).responseCode).toBe('I99');
  return request;
}

const answered = (r: ServiceRequest) =>
  waitFor(`the response to ${r.requestId}`, () => answers.get(r.requestId)?.[0], 20_000);

describe('SMETS2 delivery over the CSP regions', () => {
  it('a lossy region retries within the TRT: every read answered once, each executed once on its meter', async () => {
    const before = region(await regions(), 'NORTH');
    const requests = await Promise.all(inRegion(0, 12).map(submit));
    for (const r of requests) expect(await answered(r)).toMatchObject({ responseCode: 'I0' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // a second answer would have arrived by now
    for (const r of requests) expect(answers.get(r.requestId)).toHaveLength(1);
    const after = region(await regions(), 'NORTH');
    expect(after.deviceExecutions - before.deviceExecutions).toBe(12);
    expect(after.delivered - before.delivered).toBe(12);
    expect(after.retries).toBeGreaterThan(before.retries);
  });

  it('an unavailable comms hub: E20 on the Responses stream within the TRT', async () => {
    const [device] = inRegion(1, 1);
    await call((cb) => operations.setCommsHubAvailable({ commsHubId: hubOf(device!), available: false }, cb));
    try {
      const started = Date.now();
      const request = await submit(device!);
      expect(await answered(request)).toMatchObject({ responseCode: 'E20' });
      expect(Date.now() - started).toBeLessThan(TRT_MS + 2_000);
      expect((await regions()).unavailableCommsHubs).toContain(hubOf(device!));
    } finally {
      await call((cb) =>
        operations.setCommsHubAvailable({ commsHubId: hubOf(device!), available: true }, cb),
      );
    }
    expect(await answered(await submit(device!))).toMatchObject({ responseCode: 'I0' });
  });

  it('a region out of service holds its commands durably; back in service, all answered exactly once', async () => {
    await call((cb) => operations.setRegionInService({ region: 'SOUTH', inService: false }, cb));
    const requests = await Promise.all(inRegion(2, 8, 5).map(submit));
    await waitFor(
      'commands held',
      async () => region(await regions(), 'SOUTH').heldOutOfService >= 8,
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, TRT_MS)); // longer than a TRT: no E20, no answer
    for (const r of requests) expect(answers.get(r.requestId)).toBeUndefined();
    expect(region(await regions(), 'SOUTH').inService).toBe(false);
    await call((cb) => operations.setRegionInService({ region: 'SOUTH', inService: true }, cb));
    for (const r of requests) expect(await answered(r)).toMatchObject({ responseCode: 'I0' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const r of requests) expect(answers.get(r.requestId)).toHaveLength(1);
  }, 30_000);

  it('a region switched off through one instance holds at every instance; back through another, each runs once', async () => {
    const second = await startService(smets2Adapter, { ...hub.env, INSTANCE_ID: 'smets2-second' });
    const other = new Smets2OperationsServiceClient(
      `127.0.0.1:${second.grpcPort}`,
      credentials.createInsecure(),
    );
    const otherRegions = () => call<GetRegionStatusResponse>((cb) => other.getRegionStatus({}, cb));
    const central = async (field: 'heldOutOfService' | 'deviceExecutions') =>
      Number(region(await regions(), 'CENTRAL')[field]) +
      Number(region(await otherRegions(), 'CENTRAL')[field]);
    try {
      const executed = await central('deviceExecutions');
      const heldBefore = await central('heldOutOfService');
      await call((cb) => other.setRegionInService({ region: 'CENTRAL', inService: false }, cb));
      await waitFor('the first instance sees CENTRAL out of service', async () =>
        region(await regions(), 'CENTRAL').inService ? undefined : true,
      );
      const requests = await Promise.all(inRegion(1, 6, 10).map(submit));
      await waitFor(
        'commands held',
        async () => (await central('heldOutOfService')) - heldBefore >= 6,
        15_000,
      );
      await new Promise((resolve) => setTimeout(resolve, TRT_MS)); // longer than a TRT: no E20, no answer
      for (const r of requests) expect(answers.get(r.requestId)).toBeUndefined();
      expect(await central('deviceExecutions')).toBe(executed);
      await call((cb) => operations.setRegionInService({ region: 'CENTRAL', inService: true }, cb));
      for (const r of requests) expect(await answered(r)).toMatchObject({ responseCode: 'I0' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const r of requests) expect(answers.get(r.requestId)).toHaveLength(1);
      expect((await central('deviceExecutions')) - executed).toBe(6);
      expect(region(await otherRegions(), 'CENTRAL').inService).toBe(true);
    } finally {
      other.close();
      await second.stop();
    }
  }, 60_000);

  it('refuses a caller that is not an operator when the API is not in plaintext development mode', async () => {
    const strict = await startService(smets2Adapter, { ...hub.env, OPERATIONS_API_PLAINTEXT: 'false' });
    const other = new Smets2OperationsServiceClient(
      `127.0.0.1:${strict.grpcPort}`,
      credentials.createInsecure(),
    );
    try {
      await expect(call((cb) => other.getRegionStatus({}, cb))).rejects.toMatchObject({ code: 16 });
      await expect(
        call((cb) => other.setRegionInService({ region: 'NORTH', inService: false }, cb)),
      ).rejects.toMatchObject({ code: 16 });
    } finally {
      other.close();
      await strict.stop();
    }
  });
});
