import { DurablePublisher, Requester, subjects } from '@dcc/bus';
import { GrpcStatus, parseEui64, partitionOf } from '@dcc/domain';
import { MeterCommand } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, readImportRegisters, uniformMeterRoute } from '../src/index.js';
import { startProcessHub, type ProcessHub } from '../faults/process-hub.js';
import { readResponses, type Received } from '../faults/response-reader.js';
import { registerFleet } from '../faults/suite.js';

// The hub's replay protection across restarts, with every service a real process: a RequestID accepted before a
// restart of the services and of nats-server (same store) is refused after it, and a replay that reaches the
// meter anyway (the hub's records lost) is answered with the meter's refusal instead of vanishing.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
let hub: ProcessHub;
let devices: string[];
const received: Received[] = [];
let reader: { stop(): void };

beforeAll(async () => {
  hub = await startProcessHub({ fleetSize: 10 });
  devices = await registerFleet(hub, 10);
  reader = readResponses(hub.address, SUPPLIER, (r) => received.push(r));
}, 120_000);

afterAll(async () => {
  reader.stop();
  await hub.stop();
}, 60_000);

const answersTo = (requestId: string) => received.filter((r) => r.requestId === requestId);

describe('a replayed RequestID', () => {
  it('is refused after the services and nats-server restarted on the same store', async () => {
    const request = readImportRegisters(SUPPLIER, devices[3]!, BigInt(Date.now()));
    const client = new HubClient(hub.address);
    expect((await client.submit(request)).responseCode).toBe('I99');
    await waitFor('the answer', () => answersTo(request.requestId).length === 1, 30_000);
    await expect(client.submit(request)).rejects.toMatchObject({ status: GrpcStatus.ALREADY_EXISTS });
    client.close();

    // Restart everything as `npm start` would: services drain, nats-server goes, all start again.
    for (const name of ['access-control', 'smets2-adapter', 'registration'] as const) {
      await hub.services[name].stop();
    }
    await hub.nats.restart();
    for (const name of ['registration', 'smets2-adapter', 'access-control'] as const) {
      await hub.services[name].start();
    }

    const again = new HubClient(hub.address);
    await expect(again.submit(request)).rejects.toMatchObject({ status: GrpcStatus.ALREADY_EXISTS });
    const older = readImportRegisters(SUPPLIER, devices[3]!, BigInt(request.requestId.split(':')[2]!) - 1n);
    await expect(again.submit(older)).rejects.toMatchObject({ status: GrpcStatus.ALREADY_EXISTS });
    again.close();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(answersTo(request.requestId)).toHaveLength(1); // nothing more reached the meter
  }, 180_000);

  it('that reaches the meter anyway is answered with the meter refusal', async () => {
    const request = readImportRegisters(SUPPLIER, devices[4]!, BigInt(Date.now()));
    const client = new HubClient(hub.address);
    expect((await client.submit(request)).responseCode).toBe('I99');
    client.close();
    await waitFor('the answer', () => answersTo(request.requestId).length === 1, 30_000);
    expect(answersTo(request.requestId)[0]!.responseCode).toBe('I0');

    // As if the hub had forgotten the RequestID: the same request stored again on its meter's mail.
    const nc = await connect({ servers: hub.nats.url });
    const requester = new Requester(nc);
    const device = parseEui64(devices[4]!);
    const command: MeterCommand = {
      request,
      userId: SUPPLIER,
      deviceId: device,
      acceptedAtMs: Date.now(),
      ...uniformMeterRoute(device),
    };
    await new DurablePublisher(requester).publish(
      subjects.meterMail('s2', partitionOf(device, 256), device),
      MeterCommand,
      command,
      `${request.requestId}/again`,
    );
    requester.close();
    await nc.close();

    await waitFor('the replay answered', () => answersTo(request.requestId).length === 2, 30_000);
    expect(answersTo(request.requestId)[1]).toMatchObject({
      statusCode: GrpcStatus.ALREADY_EXISTS,
      responseId: answersTo(request.requestId)[0]!.responseId,
    });
  }, 60_000);
});
