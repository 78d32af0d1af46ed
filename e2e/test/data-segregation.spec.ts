// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { DccError } from '@dcc/domain';
import {
  UserRole,
  type Acknowledgement,
  type ListConsentsResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createRegistrationService, ManualClock } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import { call, loadFeed, mpan, registrationClient, registrationTls } from './registration-helpers.js';
import type { RegistrationServiceClient } from '@dcc/proto';

// Data segregation and Other User consents, decided from registration: a
// supplier's log reads reach back no further than its appointment and the tenancy; an OU may read while it
// holds a consent, which a change of tenancy revokes.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // the development supplier
const OTHER_USER = '90-B3-D5-1F-30-0C-00-00';
const M1 = '00-DB-12-00-00-00-00-01'; // supplier appointed recently
const M2 = '00-DB-12-00-00-00-00-02'; // for the OU
const P1 = mpan('100000000101');
const P2 = mpan('100000000102');

const HOUR = 3_600_000;
const HALF_HOUR = HOUR / 2;
const NOW = Date.now();
const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;
/** The supplier's appointment at P1: 20 hours ago, on the hour. */
const APPOINTED = floorTo(NOW - 20 * HOUR, HOUR);

const row = (mpxn: string, device: string, supplierFrom: string) =>
  JSON.stringify({
    mpxn,
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    device: { id: device, status: 'Commissioned' },
    supplier: { party: SUPPLIER, from: supplierFrom },
  });

const clock = new ManualClock(floorTo(NOW, 1000));
let hub: LocalHub;
let registration: RunningService | undefined;
let regClient: RegistrationServiceClient;
let client: HubClient;
let counter = 1_000;
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  hub = await startLocalHub({
    registration: false, // this test starts its own, on a test clock, with its own feed
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS', 'ES'] },
        { id: OTHER_USER, roles: ['OU'] },
      ]),
    },
  });
  registration = await startService(createRegistrationService({ clock }), {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  regClient = await registrationClient(registration.grpcPort);
  const outcome = await loadFeed(regClient, [
    row(P1, M1, new Date(APPOINTED).toISOString()),
    row(P2, M2, '2024-01-01'),
  ]);
  expect(outcome.report).toMatchObject({ applied: 2, rejected: 0 });
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, OTHER_USER]) client.responses(user, (r) => received.set(r.requestId, r));
});

afterAll(async () => {
  client?.close();
  regClient?.close();
  await registration?.stop();
  await hub?.stop();
});

const profileRead = (
  user: string,
  device: string,
  period: { startMs: number; endMs: number },
  role = UserRole.USER_ROLE_IMPORT_SUPPLIER,
): ServiceRequest => ({
  requestId: `${user}:${device}:${counter++}`,
  commandVariant: 1,
  serviceReferenceVariant: '4.8.1',
  userRole: role,
  body: { $case: 'readActiveImportProfileData', value: { period } },
});

/** Submits, expects I99, and waits for the response: the acknowledgement and the profile it carried. */
async function read(
  request: ServiceRequest,
): Promise<{ ack: Acknowledgement; first: number; values: number[] }> {
  const ack = await client.submit(request);
  expect(ack.responseCode).toBe('I99');
  const response = await waitFor('the response', () => received.get(request.requestId));
  expect(response.responseCode).toBe('I0');
  const body = response.body?.$case === 'importProfile' ? response.body.value : undefined;
  expect(body).toBeDefined();
  return { ack, first: body!.firstSlotStartMs, values: body!.valuesWh };
}

async function refusalCode(request: ServiceRequest): Promise<string> {
  return client.submit(request).then(
    (ack) => ack.responseCode,
    (error: DccError) => error.responseCode ?? `grpc-${error.status}`,
  );
}

describe('data segregation of log reads (registration checks)', () => {
  const end = floorTo(NOW, HALF_HOUR);
  const longPast = { startMs: end - 2 * 24 * HOUR, endMs: end };

  it('a supplier appointed recently reads only the half hours from its appointment on', async () => {
    const { ack, first, values } = await read(profileRead(SUPPLIER, M1, longPast));
    expect(ack.detail).toBe(`log period from ${new Date(APPOINTED).toISOString()} (data segregation)`);
    expect(first).toBe(APPOINTED);
    expect(values).toHaveLength((end - APPOINTED) / HALF_HOUR);
  });

  it('a period wholly before the appointment answers an empty log', async () => {
    const { first, values } = await read(
      profileRead(SUPPLIER, M1, { startMs: APPOINTED - 10 * HOUR, endMs: APPOINTED - 2 * HOUR }),
    );
    expect(values).toEqual([]);
    expect(first).toBeLessThan(APPOINTED);
  });

  it('a period inside the appointment is untouched', async () => {
    const inside = { startMs: APPOINTED + HOUR, endMs: APPOINTED + 3 * HOUR };
    const { ack, first, values } = await read(profileRead(SUPPLIER, M1, inside));
    expect(ack.detail).toBe('');
    expect(first).toBe(inside.startMs);
    expect(values).toHaveLength(4);
  });

  it('a tenancy recorded later limits the read further', async () => {
    const tenancy = APPOINTED + 5 * HOUR;
    await call(regClient, 'recordTenancy', { mpxn: P1, startedAtMs: tenancy });
    const { ack, first, values } = await read(profileRead(SUPPLIER, M1, longPast));
    expect(ack.detail).toBe(`log period from ${new Date(tenancy).toISOString()} (data segregation)`);
    expect(first).toBe(tenancy);
    expect(values).toHaveLength((end - tenancy) / HALF_HOUR);
  });
});

describe('Other User consents (registration checks)', () => {
  const ou = (period: { startMs: number; endMs: number }) =>
    profileRead(OTHER_USER, M2, period, UserRole.USER_ROLE_OTHER_USER);
  const end = floorTo(NOW, HALF_HOUR);
  const consentFrom = floorTo(NOW - 6 * HOUR, HOUR);

  it('without a consent: E4', async () => {
    expect(await refusalCode(ou({ startMs: end - 2 * HOUR, endMs: end }))).toBe('E4');
  });

  it('with a consent: 4.8.1 allowed, from the consent on', async () => {
    await call(regClient, 'grantConsent', { mpxn: P2, partyId: OTHER_USER, fromMs: consentFrom, untilMs: 0 });
    const { first, values } = await read(ou({ startMs: end - 24 * HOUR, endMs: end }));
    expect(first).toBe(consentFrom);
    expect(values).toHaveLength((end - consentFrom) / HALF_HOUR);
  });

  it('after a change of tenancy the consent is revoked: E4', async () => {
    const cot = floorTo(Date.now() - 1000, 1000);
    await call(regClient, 'recordTenancy', { mpxn: P2, startedAtMs: cot });
    const listed = await call<unknown, ListConsentsResponse>(regClient, 'listConsents', { mpxn: P2 });
    expect(listed.consents).toEqual([
      expect.objectContaining({ partyId: OTHER_USER, revokedAtMs: cot, revokedReason: 'change of tenancy' }),
    ]);
    expect(await refusalCode(ou({ startMs: end - 2 * HOUR, endMs: end }))).toBe('E4');
  });
});
