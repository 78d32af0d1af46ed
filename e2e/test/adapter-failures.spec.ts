// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { DurablePublisher, Requester, streams, subjects } from '@dcc/bus';
import { GrpcStatus, parseEui64, partitionOf } from '@dcc/domain';
import { MeterCommand, type ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HubClient,
  readImportRegisters,
  startLocalHub,
  uniformMeterRoute,
  type LocalHub,
} from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';

let hub: LocalHub;
let nc: NatsConnection;
let requester: Requester;
let client: HubClient;
const received: ServiceResponse[] = [];

beforeAll(async () => {
  hub = await startLocalHub({ meters: 100 });
  nc = await connect({ servers: hub.nats.url });
  requester = new Requester(nc);
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.push(r));
});

afterAll(async () => {
  client.close();
  requester.close();
  await nc.close();
  await hub.stop();
});

/** Puts a command straight on a meter's mail subject, as access control would after admitting it. */
async function mail(deviceId: string, srv: string, counter: number, subject?: string): Promise<string> {
  const request = { ...readImportRegisters(SUPPLIER, deviceId, counter), serviceReferenceVariant: srv };
  const command: MeterCommand = {
    request,
    userId: SUPPLIER,
    deviceId,
    acceptedAtMs: Date.now(),
    ...uniformMeterRoute(deviceId),
  };
  const device = parseEui64(deviceId);
  await new DurablePublisher(requester).publish(
    subject ?? subjects.meterMail('s2', partitionOf(device, 256), device),
    MeterCommand,
    command,
  );
  return request.requestId;
}

describe('commands the meter cannot carry out', () => {
  it('answer once with a final outcome, instead of being redelivered for ever', async () => {
    const unsupported = await mail('00-DB-12-00-00-00-00-01', '9.9', 1);
    // A mail subject whose device part is not an EUI-64: no device can be behind it.
    const unreachable = await mail(
      '00-DB-12-00-00-00-FF-00',
      '4.1.1',
      2,
      'dcc.meter.s2.0.00-DB-12-00-00-00-FF',
    );
    const first = await waitFor('both outcomes', () => {
      const a = received.find((r) => r.requestId === unsupported);
      const b = received.find((r) => r.requestId === unreachable);
      return a && b ? { a, b } : undefined;
    });
    expect(first.a).toMatchObject({ responseCode: '', statusCode: GrpcStatus.UNIMPLEMENTED });
    expect(first.a.detail).toMatch(/not supported by this device model/);
    expect(first.b).toMatchObject({ responseCode: 'E20', statusCode: GrpcStatus.UNAVAILABLE });

    // Nothing left behind to redeliver: the work queue is empty and no second answer arrives.
    const jsm = await jetstreamManager(nc);
    await waitFor(
      'METER_MAIL drained',
      async () => (await jsm.streams.info(streams.meterMail.name)).state.messages === 0,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(received.filter((r) => r.requestId === unsupported)).toHaveLength(1);
  });
});
