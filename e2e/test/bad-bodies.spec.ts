// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { streams } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import { ConfigureAlertBehaviour, UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';
import { rawStreamSubmit } from './raw-grpc.js';

/*
 * Validate before acknowledging, over real gRPC and NATS: a body value the hub can check without the device is
 * refused synchronously, with INVALID_ARGUMENT naming the field (DCC-REFERENCE §1.5 has no DUIS code for it),
 * before I99: nothing reaches METER_MAIL and no response follows on the User's Responses stream.
 */

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const METER = '00-DB-12-00-00-00-00-07';
const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

let hub: LocalHub;
let client: HubClient;
let nc: NatsConnection;
let counter = 50_000;
const received: ServiceResponse[] = [];

beforeAll(async () => {
  hub = await startLocalHub({ meters: 100 });
  client = new HubClient(hub.address);
  nc = await connect({ servers: hub.nats.url });
}, 60_000);

afterAll(async () => {
  await nc?.close();
  client?.close();
  await hub?.stop();
});

function request(srv: string, body: ServiceRequest['body']): ServiceRequest {
  return {
    requestId: `${SUPPLIER}:${METER}:${counter++}`,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body,
  };
}

/** Last sequence of METER_MAIL: moves with every stored request, even once the adapter has consumed it. */
async function meterMailLastSeq(): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(streams.meterMail.name)).state.last_seq;
}

const BAD_BODIES: [string, () => ServiceRequest, RegExp][] = [
  [
    '3.1 with a 161-character message',
    () => request('3.1', { $case: 'displayMessage', value: { message: 'x'.repeat(161) } }),
    /SRV 3\.1: message is longer than 160 characters/,
  ],
  [
    '2.2 with a 4-digit UTRN',
    () => request('2.2', { $case: 'topUpDevice', value: { utrn: '1234' } }),
    /SRV 2\.2: utrn must be 20 digits/,
  ],
  [
    '4.8.1 over a 40-day period',
    () =>
      request('4.8.1', {
        $case: 'readActiveImportProfileData',
        value: { period: { startMs: START, endMs: START + 40 * DAY_MS } },
      }),
    /SRV 4\.8\.1: period is longer than 31 days/,
  ],
  [
    '6.22 with an invalid alert code',
    () =>
      request('6.22', {
        $case: 'configureAlertBehaviour',
        value: ConfigureAlertBehaviour.fromPartial({ enableAlertCodes: ['XYZ1'], disableAlertCodes: [] }),
      }),
    /SRV 6\.22: enableAlertCodes holds "XYZ1", not an alert code/,
  ],
  [
    '6.22 disabling a critical alert',
    () =>
      request('6.22', {
        $case: 'configureAlertBehaviour',
        value: ConfigureAlertBehaviour.fromPartial({ enableAlertCodes: [], disableAlertCodes: ['8F66'] }),
      }),
    /critical alerts cannot be disabled: 8F66/,
  ],
];

describe('bad body values are refused before I99, and nothing is stored', () => {
  it('refuses each with INVALID_ARGUMENT naming the field; METER_MAIL and Responses stay untouched', async () => {
    const subscription = client.responses(SUPPLIER, (r) => received.push(r));
    const before = await meterMailLastSeq();
    const refused: string[] = [];
    for (const [name, build, message] of BAD_BODIES) {
      const bad = build();
      const error = await client.submit(bad).then(
        () => {
          throw new Error(`${name} was acknowledged`);
        },
        (e: unknown) => e as DccError,
      );
      expect(error, name).toBeInstanceOf(DccError);
      expect(error.status, name).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(error.responseCode, name).toBeUndefined();
      expect(error.message, name).toMatch(message);
      refused.push(bad.requestId);
    }
    expect(await meterMailLastSeq()).toBe(before);

    // A good request to the same meter afterwards: stored and answered, and it is the only response.
    const good = readImportRegisters(SUPPLIER, METER, counter++);
    await expect(client.submit(good)).resolves.toMatchObject({ responseCode: 'I99' });
    await waitFor('the I0', () => received.find((r) => r.requestId === good.requestId));
    expect(await meterMailLastSeq()).toBe(before + 1);
    expect(received.filter((r) => refused.includes(r.requestId))).toEqual([]);
    subscription.cancel();
  });

  it('on SubmitStream each bad body gets its refusal in place and a good one still I99', async () => {
    const good = readImportRegisters(SUPPLIER, METER, counter + 10);
    const bad = BAD_BODIES.map(([, build]) => build());
    counter += 20;
    const replies = await rawStreamSubmit(hub.address, [
      ...bad.map((r) => ({ request: r })),
      { request: good },
    ]);
    expect(replies.map((r) => r.acknowledgement!.statusCode)).toEqual([
      ...bad.map(() => GrpcStatus.INVALID_ARGUMENT),
      GrpcStatus.OK,
    ]);
    expect(replies.at(-1)!.acknowledgement!.responseCode).toBe('I99');
  });
});
