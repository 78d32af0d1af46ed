// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';
import { DccError, GrpcStatus } from '@dcc/domain';
import { UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { healthCheck, waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawStreamSubmit, rawUnarySubmit } from './raw-grpc.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OTHER_USER = '90-B3-D5-1F-30-03-00-00';
const METER = '00-DB-12-00-00-00-00-05';
const GARBAGE = new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);

let hub: LocalHub;
let client: HubClient;
let counter = 10_000;
const next = () => counter++;

beforeAll(async () => {
  hub = await startLocalHub({ meters: 100 });
  client = new HubClient(hub.address);
});

afterAll(async () => {
  client.close();
  await hub.stop();
});

async function rejection(request: ServiceRequest): Promise<DccError> {
  const error = await client.submit(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the hub accepted a request it should refuse').toBeInstanceOf(DccError);
  return error as DccError;
}

const read = (overrides: Partial<ServiceRequest> = {}) => ({
  ...readImportRegisters(SUPPLIER, METER, next()),
  ...overrides,
});

describe('malformed and unauthorised requests get clear errors', () => {
  it.each<[string, () => ServiceRequest, number, string | undefined, RegExp]>([
    [
      'missing RequestID',
      () => read({ requestId: '' }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /RequestID is missing/,
    ],
    [
      'bad EUI-64 target',
      () => read({ requestId: `${SUPPLIER}:00-DB-12-XX:1` }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /target .* not an EUI-64/,
    ],
    [
      'non-numeric counter',
      () => read({ requestId: `${SUPPLIER}:${METER}:12a` }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /counter/,
    ],
    [
      'unknown SRV',
      () => read({ serviceReferenceVariant: '9.9.9' }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /unknown Service Reference Variant "9.9.9"/,
    ],
    [
      'oversized field',
      () => read({ serviceReferenceVariant: '4'.repeat(10_000) }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /longer than/,
    ],
    [
      'missing role',
      () => read({ userRole: UserRole.USER_ROLE_UNSPECIFIED }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /user_role is required/,
    ],
    [
      'unknown role enum value',
      () => read({ userRole: 99 as UserRole }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /not a known User Role/,
    ],
    [
      'unknown User (E1)',
      () => read({ requestId: `90-B3-D5-1F-30-09-00-00:${METER}:${next()}` }),
      GrpcStatus.PERMISSION_DENIED,
      'E1',
      /not admitted/,
    ],
    [
      'role the User does not hold (E1)',
      () => read({ userRole: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR }),
      GrpcStatus.PERMISSION_DENIED,
      'E1',
      /role ED/,
    ],
    [
      'role not eligible for the SRV (E2)',
      () => ({ ...readImportRegisters(OTHER_USER, METER, next()), userRole: UserRole.USER_ROLE_OTHER_USER }),
      GrpcStatus.PERMISSION_DENIED,
      'E2',
      /role OU may not send SRV 4.1.1/,
    ],
    [
      'command variant not allowed (E12)',
      () => read({ commandVariant: 4 }),
      GrpcStatus.INVALID_ARGUMENT,
      'E12',
      /command variant 4/,
    ],
    [
      "another SRV's body",
      () => read({ serviceReferenceVariant: '4.1.2' }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /SRV 4.1.2 takes body readInstantaneousImportTouMatrices, not readInstantaneousImportRegisters/,
    ],
    [
      'SRV with parameters sent without them',
      () => read({ serviceReferenceVariant: '2.2', body: undefined }),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
      /SRV 2.2 needs its parameters: body topUpDevice is missing/,
    ],
    [
      'unknown device (E19)',
      () => read({ requestId: `${SUPPLIER}:00-DB-12-00-00-00-FF-FF:${next()}` }),
      GrpcStatus.NOT_FOUND,
      'E19',
      /is not in the Smart Metering Inventory/,
    ],
  ])('%s', async (_name, build, status, responseCode, message) => {
    const error = await rejection(build());
    expect(error.status).toBe(status);
    expect(error.responseCode).toBe(responseCode);
    expect(error.message).toMatch(message);
  });

  it('refuses a replayed RequestID', async () => {
    const request = read();
    await expect(client.submit(request)).resolves.toMatchObject({ responseCode: 'I99' });
    const error = await rejection(request);
    expect(error.status).toBe(GrpcStatus.ALREADY_EXISTS);
    expect(error.message).toMatch(/already accepted/);
  });

  it('answers undecodable bytes with INVALID_ARGUMENT', async () => {
    const error = await rawUnarySubmit(hub.address, GARBAGE);
    expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/undecodable .*Submit request/);
  });

  it('on a stream, rejects each bad item in place and keeps the stream and the good items going', async () => {
    const good = read();
    const replies = await rawStreamSubmit(hub.address, [
      { request: read({ serviceReferenceVariant: '' }) },
      GARBAGE,
      { request: good },
      { request: read({ requestId: `${SUPPLIER}:00-DB-12-00-00-00-FF-FF:${next()}` }) },
    ]);
    expect(replies.map((r) => [r.acknowledgement!.responseCode, r.acknowledgement!.statusCode])).toEqual([
      ['', GrpcStatus.INVALID_ARGUMENT],
      ['', GrpcStatus.INVALID_ARGUMENT],
      ['I99', GrpcStatus.OK],
      ['E19', GrpcStatus.NOT_FOUND],
    ]);
    expect(replies[1]!.acknowledgement!.detail).toMatch(/undecodable/);
    expect(replies[2]!.acknowledgement!.requestId).toBe(good.requestId);
  });

  it('refuses a Responses stream for a malformed or unknown User', async () => {
    const bad = await client.responses('not-an-eui', () => undefined).ended;
    expect(bad?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    const unknown = await client.responses('90-B3-D5-1F-30-09-00-00', () => undefined).ended;
    expect(unknown).toMatchObject({ status: GrpcStatus.PERMISSION_DENIED, responseCode: 'E1' });
  });

  it('stays healthy and serving after all of that', async () => {
    expect(await healthCheck(hub.address)).toBe('SERVING');
    expect(await healthCheck(hub.address, 'dcc.v1.ServiceRequestsService')).toBe('SERVING');
    const received: ServiceResponse[] = [];
    const subscription = client.responses(SUPPLIER, (r) => received.push(r));
    const request = read();
    await client.submit(request);
    await waitFor('the I0', () =>
      received.find((r) => r.requestId === request.requestId && r.responseCode === 'I0'),
    );
    subscription.cancel();
  });
});
