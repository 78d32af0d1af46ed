// Who may call dcc.v1.RegistrationService, over real mutual TLS: operators everything, registration data
// providers the registration data they provide, Users nothing. A refused call changes nothing.
import { GrpcStatus } from '@dcc/domain';
import type { GetHistoryResponse, RegistrationServiceClient } from '@dcc/proto';
import { registration } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  DATA_PROVIDER,
  loadFeed,
  mpan,
  OPERATOR,
  registrationClient,
  registrationTls,
  SUPPLIER_A,
} from './registration-helpers.js';

const OTHER_USER = '90-B3-D5-1F-30-03-00-00';
const DEVICE = '00-DB-12-00-00-00-0A-01';
const P1 = mpan('100000000901');
const P2 = mpan('100000000902');
const row = (mpxn: string, device: string) =>
  JSON.stringify({
    mpxn,
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'North',
    device: { id: device, status: 'Commissioned' },
    supplier: { party: SUPPLIER_A, from: '2024-01-01' },
  });

let nats: NatsServer;
let service: RunningService;
const clients: Record<string, RegistrationServiceClient> = {};

beforeAll(async () => {
  nats = await startNatsServer();
  // The same PKI also certifies two Users, whose certificates the API must refuse.
  const tls = await registrationTls([SUPPLIER_A, OTHER_USER]);
  service = await startService(registration, {
    NATS_URL: nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '1000',
    ...tls.env,
  });
  for (const id of [OPERATOR, DATA_PROVIDER, SUPPLIER_A, OTHER_USER]) {
    clients[id] = await registrationClient(service.grpcPort, id);
  }
  const loaded = await loadFeed(clients[OPERATOR]!, ['# access test', row(P1, DEVICE)]);
  expect(loaded.report).toMatchObject({ applied: 1, rejected: 0 });
});

afterAll(async () => {
  for (const client of Object.values(clients)) client.close();
  await service?.stop();
  await nats?.stop();
});

/** Every event the registration record holds. */
async function recordedEvents(): Promise<number> {
  const nc = await connect({ servers: nats.url });
  const info = await (await jetstreamManager(nc)).streams.info('REGISTRATION');
  await nc.close();
  return info.state.messages;
}

const history = (mpxn: string) =>
  call<unknown, GetHistoryResponse>(clients[OPERATOR]!, 'getHistory', { mpxn });

describe('the registration API refuses Users', () => {
  it.each([OTHER_USER, SUPPLIER_A])(
    '%s: PERMISSION_DENIED for a switch, a decommission, a feed and a read; nothing changes',
    async (user) => {
      const before = await history(P1);
      const events = await recordedEvents();
      const client = clients[user]!;
      // The attack: make itself the registered supplier and decommission the device.
      await expect(
        call(client, 'requestSwitch', { mpxn: P1, gainingSupplierId: user, effectiveMs: 0 }),
      ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
      await expect(
        call(client, 'decommissionDevice', { deviceId: DEVICE, reason: 'mine now' }),
      ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
      await expect(call(client, 'getHistory', { mpxn: P1 })).rejects.toMatchObject({
        code: GrpcStatus.PERMISSION_DENIED,
      });
      const feed = await loadFeed(client, [row(P2, '00-DB-12-00-00-00-0A-02')]);
      expect(feed.error?.code).toBe(GrpcStatus.PERMISSION_DENIED);
      expect(feed.lines).toEqual([]);

      expect(await recordedEvents()).toBe(events);
      expect(await history(P1)).toEqual(before);
      await expect(history(P2)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    },
  );
});

describe('a registration data provider', () => {
  it('loads feeds and requests switches; the inventory and consents stay the operator’s', async () => {
    const provider = clients[DATA_PROVIDER]!;
    const feed = await loadFeed(provider, [row(P2, '00-DB-12-00-00-00-0A-02')]);
    expect(feed.report).toMatchObject({ applied: 1, rejected: 0 });
    const events = await recordedEvents();
    await expect(
      call(provider, 'decommissionDevice', { deviceId: DEVICE, reason: 'not mine to do' }),
    ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    await expect(
      call(provider, 'grantConsent', { mpxn: P1, partyId: OTHER_USER, fromMs: 0, untilMs: 0 }),
    ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect(await recordedEvents()).toBe(events);
    const switched = await call<unknown, { switch: { gainingSupplierId: string } }>(
      provider,
      'requestSwitch',
      { mpxn: P2, gainingSupplierId: OTHER_USER, effectiveMs: 0 },
    );
    expect(switched.switch.gainingSupplierId).toBe(OTHER_USER);
  });
});
