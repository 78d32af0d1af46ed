import { Requester, Responder, subjects } from '@dcc/bus';
import { GrpcStatus, type DccError } from '@dcc/domain';
import {
  DeviceLogRestoredReply,
  DeviceLogRestoredReport,
  HanLinkReply,
  HanLinkReport,
  type MeterCommand,
  type ServiceResponse,
} from '@dcc/proto';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryEffects } from './inventory-effects.js';

// Real nats-server: registration's side is a Responder on the real subjects, stopped and started as registration
// would go away and come back while an adapter reports what a command changed.
const NEW_CHF = '00-DB-12-34-56-78-90-A2';
const OLD_CHF = '00-DB-12-34-56-78-90-95';
const PPMID = '00-DB-12-34-56-78-90-C1';
const GPF = '00-DB-12-34-56-78-90-A3';

const restore = {
  command: {
    deviceId: NEW_CHF,
    request: { requestId: `90-B3-D5-1F-30-01-00-00:${NEW_CHF}:7`, serviceReferenceVariant: '8.12.1' },
  } as MeterCommand,
  response: (responseCode: string) =>
    ({
      responseCode,
      body: { $case: 'hanDeviceLogRestored', value: { oldDeviceId: OLD_CHF } },
    }) as unknown as ServiceResponse,
};
const join = {
  command: {
    deviceId: PPMID,
    request: { requestId: `90-B3-D5-1F-30-01-00-00:${PPMID}:8`, serviceReferenceVariant: '8.7.1' },
  } as MeterCommand,
  response: {
    responseCode: 'I0',
    body: { $case: 'serviceJoined', value: { otherDeviceId: GPF } },
  } as unknown as ServiceResponse,
};

let nats: NatsServer;
let nc: NatsConnection;
let requester: Requester;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  requester = new Requester(nc);
});

afterAll(async () => {
  requester?.close();
  await nc?.close();
  await nats?.stop();
});

/** Registration's two report endpoints, recording what reaches them. */
function registration() {
  const restores: DeviceLogRestoredReport[] = [];
  const links: HanLinkReport[] = [];
  const endpoints = [
    new Responder(nc, {
      subject: subjects.registrationDeviceLogRestored,
      request: DeviceLogRestoredReport,
      response: DeviceLogRestoredReply,
      handle: (report) => (restores.push(report), DeviceLogRestoredReply.fromPartial({})),
    }),
    new Responder(nc, {
      subject: subjects.registrationHanLinks,
      request: HanLinkReport,
      response: HanLinkReply,
      handle: (report) => (links.push(report), HanLinkReply.fromPartial({})),
    }),
  ];
  return { restores, links, stop: () => Promise.all(endpoints.map((e) => e.drain())) };
}

describe('inventory effects: what a command changed reaches registration before its I0 is stored', () => {
  it('with registration gone the effect fails (the turn runs again), and once it is back each report arrives', async () => {
    const effects = inventoryEffects(requester, 500);
    const gone = await effects(restore.command, restore.response('I0'), ROOT_CONTEXT).catch(
      (error: unknown) => error as DccError,
    );
    expect(gone?.status).toBe(GrpcStatus.UNAVAILABLE);

    const back = registration();
    await nc.flush();
    await effects(restore.command, restore.response('I0'), ROOT_CONTEXT);
    await effects(join.command, join.response, ROOT_CONTEXT);
    expect(back.restores).toEqual([
      {
        serviceReferenceVariant: '8.12.1',
        newDeviceId: NEW_CHF,
        oldDeviceId: OLD_CHF,
        requestId: restore.command.request!.requestId,
      },
    ]);
    expect(back.links).toEqual([
      { deviceId: PPMID, otherDeviceId: GPF, joined: true, requestId: join.command.request!.requestId },
    ]);
    await back.stop();
  });

  it('reports nothing for an answer that changed nothing, so it needs no registration', async () => {
    const effects = inventoryEffects(requester, 500);
    await expect(effects(restore.command, restore.response('E21'), ROOT_CONTEXT)).resolves.toBeUndefined();
  });
});
