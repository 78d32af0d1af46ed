// Routing from the Smart Metering Inventory: a hub whose registration holds the mixed demonstration estate
// (both fuels, SMETS1 and SMETS2, every device type with its links), loaded through LoadFeed.
import './telemetry-setup.js';
import { requestTyped, Requester, streams, subjects } from '@dcc/bus';
import { DccError, parseEui64, partitionOf } from '@dcc/domain';
import {
  AuthoriseRegistrationBatchRequest,
  AuthoriseRegistrationBatchResponse,
  AuthoriseRegistrationRequest,
  AuthoriseRegistrationResponse,
  MeterCommand,
  RegistrationMeterKind,
  UserRole,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { estatePremises } from '@dcc/registry';
import { waitFor } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthoriseBatcher } from '@dcc/access-control';
import {
  ESTATE_PARTIES,
  estateLines,
  HubClient,
  readImportRegisters,
  startLocalHub,
  type LocalHub,
} from '../src/index.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
const POINTS = 600;
// The mixed estate's premises count for 600 points (two points at two premises in three).
const PREMISES = 360;

let hub: LocalHub;
let client: HubClient;
let nc: NatsConnection;
let requester: Requester;
let counter = 1;
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  expect(estateLines(POINTS, 'mixed')).toHaveLength(POINTS);
  hub = await startLocalHub({ meters: POINTS, mix: 'mixed' });
  nc = await connect({ servers: hub.nats.url });
  requester = new Requester(nc);
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.set(r.requestId, r));
});

afterAll(async () => {
  client?.close();
  requester?.close();
  await nc?.close();
  await hub?.stop();
});

/** The first premises of the estate that satisfies `test` (supplier shares: premises n % 5 in 0, 2, 4). */
function premises(test: (n: number, p: ReturnType<typeof estatePremises>) => boolean) {
  for (let n = 0; n < PREMISES; n++) {
    const p = estatePremises(n, PREMISES);
    if (test(n, p)) return p;
  }
  throw new Error('no such premises in the estate');
}
const suppliedByUs = (n: number) => n % 5 === 0 || n % 5 === 2 || n % 5 === 4;

const read = (device: string, role = UserRole.USER_ROLE_IMPORT_SUPPLIER): ServiceRequest => ({
  ...readImportRegisters(SUPPLIER, device, counter++),
  userRole: role,
});

async function outcome(request: ServiceRequest): Promise<string> {
  try {
    return (await client.submit(request)).responseCode;
  } catch (error) {
    const failure = error as DccError;
    return failure.responseCode ?? `grpc-${failure.status}`;
  }
}

const answered = (request: ServiceRequest) =>
  waitFor(`the response to ${request.requestId}`, () => received.get(request.requestId), 20_000);

function authorise(deviceId: string, role: UserRole) {
  return askAlone({ userId: SUPPLIER, userRole: role, deviceId, instantMs: Date.now() });
}

/** One check on its own subject (dcc.registration.authorise), as registration answers it alone. */
function askAlone(message: AuthoriseRegistrationRequest) {
  return requestTyped(
    requester,
    subjects.registrationAuthorise,
    { codec: AuthoriseRegistrationRequest, message },
    AuthoriseRegistrationResponse,
    2_000,
  );
}

describe('routing from the Smart Metering Inventory', () => {
  it('a device the inventory does not hold: E19, from the inventory', async () => {
    expect(await outcome(read('00-DB-12-00-00-00-FF-FF'))).toBe('E19');
    expect(await authorise('00-DB-12-00-00-00-FF-FF', UserRole.USER_ROLE_IMPORT_SUPPLIER)).toMatchObject({
      responseCode: 'E19',
      deviceType: '',
    });
  });

  it('a SMETS2 ESME far outside the old simulated range (00-DB-12-FF-…) is routed and answered I0', async () => {
    const p = premises(
      (n, q) => n >= PREMISES / 2 && !q.smets1 && q.status === 'Commissioned' && suppliedByUs(n),
    );
    expect(p.esme).toMatch(/^00-DB-12-FF-/);
    const request = read(p.esme);
    expect(await outcome(request)).toBe('I99');
    expect(await answered(request)).toMatchObject({ responseCode: 'I0' });
  });

  it('a GSME read goes via its GPF record: the inventory names GPF and comms hub, and the read is answered', async () => {
    const p = premises(
      (n, q) => q.dualFuel && !q.smets1 && q.status === 'Commissioned' && suppliedByUs(n) && n % 4 !== 1,
    );
    const facts = await authorise(p.gsme, UserRole.USER_ROLE_GAS_SUPPLIER);
    expect(facts).toMatchObject({
      responseCode: '',
      deviceType: 'GSME',
      generation: RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS2,
      gpfId: p.gpf,
      commsHubId: p.chf,
    });
    const request = read(p.gsme, UserRole.USER_ROLE_GAS_SUPPLIER);
    expect(await outcome(request)).toBe('I99');
    expect(await answered(request)).toMatchObject({ responseCode: 'I0' });
  });

  it('a SMETS1 device request is stored on the s1 path (METER_MAIL dcc.meter.s1.*) for the SMETS1 adapter', async () => {
    const p = premises((n, q) => q.smets1 && q.status === 'Commissioned' && suppliedByUs(n));
    expect(await authorise(p.esme, UserRole.USER_ROLE_IMPORT_SUPPLIER)).toMatchObject({
      generation: RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS1,
      smets1Cohort: expect.any(Number) as number,
    });
    const request = read(p.esme);
    expect(await outcome(request)).toBe('I99');
    const subject = subjects.meterMail('s1', partitionOf(parseEui64(p.esme), 256), parseEui64(p.esme));
    const jsm = await jetstreamManager(nc);
    const stored = await jsm.streams.getMessage(streams.meterMail.name, { last_by_subj: subject });
    expect(MeterCommand.decode(stored!.data).request?.requestId).toBe(request.requestId);
  });

  it('an SRV for a device type the inventory says it is not: E11 (4.1.1 to a CHF, an IHD)', async () => {
    const p = premises((n, q) => !q.smets1 && suppliedByUs(n));
    expect(await authorise(p.chf, UserRole.USER_ROLE_IMPORT_SUPPLIER)).toMatchObject({ deviceType: 'CHF' });
    expect(await outcome(read(p.chf))).toBe('E11');
    expect(await outcome(read(p.ihd))).toBe('E11');
  });

  it('a meter the User does not supply: E4; a Decommissioned one: E5', async () => {
    const other = premises((n, q) => !q.smets1 && !suppliedByUs(n));
    expect(await outcome(read(other.esme))).toBe('E4');
    const decommissioned = premises((n, q) => q.status === 'Decommissioned' && suppliedByUs(n));
    expect(await outcome(read(decommissioned.esme))).toBe('E5');
  });

  it('checks sent together in one batch message are each answered as they are alone', async () => {
    const asked = [
      premises((n, q) => !q.smets1 && suppliedByUs(n)).esme,
      premises((n, q) => !q.smets1 && !suppliedByUs(n)).esme,
      premises((n, q) => q.smets1 && suppliedByUs(n)).esme,
      '00-DB-12-00-00-00-FF-FF',
    ].map((deviceId) => ({
      userId: SUPPLIER,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      deviceId,
      instantMs: Date.now(),
    }));
    const { answers } = await requestTyped(
      requester,
      subjects.registrationAuthoriseBatch,
      { codec: AuthoriseRegistrationBatchRequest, message: { requests: asked } },
      AuthoriseRegistrationBatchResponse,
      2_000,
    );
    const alone = await Promise.all(asked.map(askAlone));
    expect(answers).toEqual(alone);
    expect(answers.map((a) => a.responseCode)).toEqual(['', 'E4', '', 'E19']);
  });

  it('checks asked at once leave in batch messages, each answered as alone', async () => {
    const batches = nc.subscribe(subjects.registrationAuthoriseBatch); // a listener beside registration's queue
    await nc.flush();
    const batcher = new AuthoriseBatcher(requester, 2_000);
    const asked = [...esmesOfTheEstate(90).keys(), ...unknownDevices(10)].map((deviceId) => ({
      userId: SUPPLIER,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      deviceId,
      instantMs: Date.now(),
    }));
    const answers = await Promise.all(asked.map((message) => batcher.ask(message)));
    const alone = await Promise.all(asked.map(askAlone));
    expect(answers).toEqual(alone);
    await nc.flush();
    expect(batches.getReceived()).toBeGreaterThan(0);
    batches.unsubscribe();
  });

  it('concurrent requests are each refused or admitted as on their own', async () => {
    const expected = new Map([
      ...esmesOfTheEstate(90),
      ...unknownDevices(10).map((device) => [device, 'E19'] as const),
    ]);
    const outcomes = await Promise.all([...expected.keys()].map((device) => outcome(read(device))));
    expect(outcomes).toEqual([...expected.values()]);
  });
});

/** Commissioned SMETS2 ESMEs of the estate, with the outcome of the supplier's read: I99 or E4. */
function esmesOfTheEstate(count: number): Map<string, string> {
  const esmes = new Map<string, string>();
  for (let n = 0; n < PREMISES && esmes.size < count; n++) {
    const p = estatePremises(n, PREMISES);
    if (!p.smets1 && p.status === 'Commissioned') esmes.set(p.esme, suppliedByUs(n) ? 'I99' : 'E4');
  }
  return esmes;
}

/** Devices the inventory does not hold. */
const unknownDevices = (count: number) =>
  Array.from({ length: count }, (_, i) => `00-DB-12-00-00-01-FF-${(0x10 + i).toString(16).toUpperCase()}`);
