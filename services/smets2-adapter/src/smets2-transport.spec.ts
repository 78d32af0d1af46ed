import { DccError, GrpcStatus, kaPublicKeyText, parseEui64, type Eui64 } from '@dcc/domain';
import {
  createUtrn,
  DEFAULT_SIGNING_KEY_ID,
  DEFAULT_SUPPLIER_ID,
  DeviceKaKeys,
  SimulatedFleet,
} from '@dcc/meter';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { packBytes, SharedSwitches, type LinkDeliveryModel } from '@dcc/meter-delivery';
import { RegistrationCspRegion, type MeterCommand } from '@dcc/proto';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perRegion } from './csp-region.js';
import { CspWan } from './csp-wan.js';
import { Smets2Transport } from './smets2-transport.js';

// The fleet's KA provisioning and the top-up key pair of the supplier its meters were installed for.
const deviceKeys = new DeviceKaKeys(randomBytes(32));
const topUpKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const fleet = new SimulatedFleet(10, 0, {
  kaKeys: deviceKeys,
  trustedSupplier: {
    supplierId: DEFAULT_SUPPLIER_ID,
    keyId: DEFAULT_SIGNING_KEY_ID,
    topUpKey: kaPublicKeyText(topUpKeys.publicKey),
  },
});
const at = Date.UTC(2026, 2, 2);
const CHF = parseEui64('00-DB-12-01-00-00-00-03');
const GPF = parseEui64('00-DB-12-03-00-00-00-03');
const perfect: LinkDeliveryModel = {
  baseLatencyMs: 1,
  jitterMs: 0,
  lossRate: 0,
  attemptTimeoutMs: 20,
  concurrency: 8,
};

// Regions out of service and unavailable comms hubs are the operators' switches, in JetStream KV.
let nats: NatsServer;
let nc: NatsConnection;
let switches: SharedSwitches;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  switches = await SharedSwitches.open(nc, 's2');
});

afterAll(async () => {
  switches?.stop();
  await nc?.close();
  await nats?.stop();
});

function transportWith(model: Partial<LinkDeliveryModel> = {}, targetResponseMs = 2_000) {
  const wan = new CspWan({
    models: perRegion(() => ({ ...perfect, ...model })),
    targetResponseMs,
    seed: 7,
    switches,
  });
  return { wan, transport: new Smets2Transport(fleet, wan, () => at) };
}

let accepted = at;
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
let counter = 1000;
/** A RequestID the meter accepts (its counter above any before). */
const requestId = (deviceId: Eui64) => `${SUPPLIER}:${deviceId}:${++counter}`;

function stored(deviceId: Eui64, facts: Partial<MeterCommand> = {}): MeterCommand {
  return {
    userId: SUPPLIER,
    deviceId,
    acceptedAtMs: ++accepted,
    request: undefined,
    deviceType: 'ESME',
    cspRegion: RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH,
    commsHubId: CHF,
    ...facts,
  };
}

/** A 2.2 top-up of 2.50 on a meter of the fleet; the meter's balance tells how often it was credited. */
function topUp(transport: Smets2Transport, n: number, counter = 1n << 32n) {
  const link = transport.open(fleet.deviceId(n), undefined);
  const supplierId = link.meter!.profile.trustedSupplier.supplierId;
  const deviceId = link.meter!.deviceId;
  const utrn = createUtrn({
    supplierId,
    deviceId,
    supplierTopUpKey: topUpKeys.privateKey,
    devicePublicKey: deviceKeys.keyPair(deviceId).publicKey,
    counter,
    pence: 250,
  });
  return { link, command: { srv: '2.2', params: { utrn }, requestId: requestId(deviceId) } };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as DccError,
  );

describe('the SMETS2 transport over the CSP regions', () => {
  it('reaches every device routed to it: the inventory decides, not the fleet size', () => {
    const { transport } = transportWith();
    const far = parseEui64('00-DB-13-00-00-00-00-00');
    expect(transport.open(far, undefined).meter!.deviceId).toBe(far);
    expect(transport.open(fleet.deviceId(10), undefined).meter!.deviceId).toBe(fleet.deviceId(10));
  });

  it('restores a meter from what it saved; it trusts its profile’s supplier key until a 6.23', async () => {
    const { transport } = transportWith();
    const { link, command } = topUp(transport, 3);
    expect(transport.trustedSupplier(link)).toEqual(link.meter!.profile.trustedSupplier);
    const result = await transport.send(link, command, stored(link.meter!.deviceId));
    expect(result).toMatchObject({ outcome: 'executed', stateChanged: true });
    const again = transport.open(fleet.deviceId(3), transport.save(link));
    expect(again.meter!.inspect()).toEqual(link.meter!.inspect());
  });

  it('simulates the ESME variant the inventory records: a poly-phase one takes per-phase settings', async () => {
    const { transport } = transportWith();
    const link = transport.open(fleet.deviceId(5), undefined);
    const deviceId = link.meter!.deviceId;
    const phases = [{ phase: 1, averageOverV: 264, averageUnderV: 200, averagePeriodS: 30 }];
    const command = () => ({ srv: '6.5', params: { phases }, requestId: requestId(deviceId) });
    // As the fleet builds it (single element), it refuses; recorded as variant C, the same meter takes them.
    expect(await transport.send(link, command(), stored(deviceId))).toMatchObject({
      outcome: 'rejected',
      rejection: { reason: 'WRONG_ESME_VARIANT' },
    });
    expect(await transport.send(link, command(), stored(deviceId, { esmeVariant: 'C' }))).toMatchObject({
      outcome: 'executed',
    });
    expect(link.meter!.profile.esmeVariant).toBe('C');
  });

  it('between turns the link keeps only what was stored; the next turn finds the meter as stored and typed', async () => {
    const { transport } = transportWith();
    const link = transport.open(fleet.deviceId(6), undefined);
    const deviceId = link.deviceId;
    const phases = [{ phase: 1, averageOverV: 260, averageUnderV: 205, averagePeriodS: 60 }];
    const command = { srv: '6.5', params: { phases }, requestId: requestId(deviceId) };
    await transport.send(link, command, stored(deviceId, { esmeVariant: 'C' }));
    const saved = transport.save(link);
    const expected = link.meter!.inspect();
    transport.rest(link);
    expect(link).toMatchObject({ meter: undefined, executed: undefined, stored: packBytes(saved) });
    // Rebuilt for the next turn from the stored bytes, with the variant the inventory recorded kept.
    expect(transport.nextWakeMs(link)).toBeUndefined();
    expect(link.meter!.inspect()).toEqual(expected);
    expect(link.meter!.profile.esmeVariant).toBe('C');
  });

  it('lost commands and responses are retried within the TRT; the meter is credited once per top-up', async () => {
    const reference = transportWith();
    const once = topUp(reference.transport, 4);
    const before = once.link.meter!.inspect().prepay.balanceMp;
    await reference.transport.send(once.link, once.command, stored(once.link.meter!.deviceId));
    const credit = once.link.meter!.inspect().prepay.balanceMp - before;
    expect(credit).toBeGreaterThan(0);

    const { wan, transport } = transportWith({ lossRate: 0.5, attemptTimeoutMs: 5 });
    const TOP_UPS = 8;
    const link = transport.open(fleet.deviceId(4), undefined);
    for (let k = 1; k <= TOP_UPS; k++) {
      const { command } = topUp(transport, 4, BigInt(k) << 32n);
      const result = await transport.send(link, command, stored(link.meter!.deviceId));
      expect(result.outcome).toBe('executed');
    }
    expect(link.meter!.inspect().prepay.balanceMp - before).toBe(TOP_UPS * credit);
    // The seeded WAN lost attempts both ways; repeats that reached the meter after it had executed the top-up
    // were answered from its memory, never credited again.
    expect(wan.stats.NORTH).toMatchObject({ delivered: TOP_UPS, deviceExecutions: TOP_UPS });
    expect(wan.stats.NORTH.retries).toBeGreaterThan(0);
    expect(wan.stats.NORTH.duplicatesSuppressed).toBeGreaterThan(0);
  });

  it('100 % loss: E20 within the TRT, the meter never reached', async () => {
    const { wan, transport } = transportWith({ lossRate: 1, attemptTimeoutMs: 10 }, 150);
    const { link, command } = topUp(transport, 5);
    const before = link.meter!.inspect();
    const started = Date.now();
    const error = await failure(transport.send(link, command, stored(link.meter!.deviceId)));
    expect(Date.now() - started).toBeLessThan(150 + 100);
    expect(error?.responseCode).toBe('E20');
    expect(link.meter!.inspect()).toEqual(before);
    expect(wan.stats.NORTH).toMatchObject({ e20: 1, deviceExecutions: 0 });
  });

  it('responses always late: E21 within the TRT, the command executed exactly once', async () => {
    const { wan, transport } = transportWith({ baseLatencyMs: 50, attemptTimeoutMs: 10 }, 120);
    const { link, command } = topUp(transport, 6);
    const error = await failure(transport.send(link, command, stored(link.meter!.deviceId)));
    expect(error?.responseCode).toBe('E21');
    expect(wan.stats.NORTH.deviceExecutions).toBe(1);
    expect(wan.stats.NORTH.duplicatesSuppressed).toBeGreaterThan(0);
  });

  it('an unavailable comms hub fails its devices (E20); a GSME is reached through its GPF', async () => {
    const { wan, transport } = transportWith({ attemptTimeoutMs: 10 }, 60);
    const esme = topUp(transport, 7);
    await wan.setHopAvailable(CHF, false);
    const down = await failure(transport.send(esme.link, esme.command, stored(esme.link.meter!.deviceId)));
    expect(down?.responseCode).toBe('E20');
    await wan.setHopAvailable(CHF, true);
    await wan.setHopAvailable(GPF, false);
    const gas = { deviceType: 'GSME', gpfId: GPF };
    const gsme = transport.open(fleet.deviceId(8), undefined);
    const read = { srv: '4.1.1', params: {}, requestId: requestId(gsme.meter!.deviceId) };
    const viaGpf = await failure(transport.send(gsme, read, stored(gsme.meter!.deviceId, gas)));
    expect(viaGpf?.responseCode).toBe('E20');
    // The ESME behind the same CHF does not need the GPF.
    await expect(
      transport.send(esme.link, esme.command, stored(esme.link.meter!.deviceId)),
    ).resolves.toMatchObject({ outcome: 'executed' });
    // No CSP region recorded: no communications path at all.
    const noRegion = await failure(
      transport.send(esme.link, read, stored(esme.link.meter!.deviceId, { cspRegion: undefined })),
    );
    expect(noRegion?.responseCode).toBe('E20');
    await wan.setHopAvailable(GPF, true);
  });

  it('a region out of service holds its commands (retryable, no code, nothing sent); others flow', async () => {
    const { wan, transport } = transportWith();
    await wan.setInService('NORTH', false);
    const { link, command } = topUp(transport, 9);
    const before = link.meter!.inspect();
    const held = await failure(transport.send(link, command, stored(link.meter!.deviceId)));
    expect(held?.status).toBe(GrpcStatus.UNAVAILABLE);
    expect(held?.responseCode).toBeUndefined();
    expect(link.meter!.inspect()).toEqual(before);
    const south = { cspRegion: RegistrationCspRegion.REGISTRATION_CSP_REGION_SOUTH };
    await expect(transport.send(link, command, stored(link.meter!.deviceId, south))).resolves.toMatchObject({
      outcome: 'executed',
    });
    await wan.setInService('NORTH', true);
    expect(wan.stats.NORTH.heldOutOfService).toBe(1);
  });

  it('the concurrency budget queues commands beyond it', async () => {
    const { wan, transport } = transportWith({ baseLatencyMs: 30, attemptTimeoutMs: 100, concurrency: 1 });
    const read = (deviceId: Eui64) => ({ srv: '4.1.1', params: {}, requestId: requestId(deviceId) });
    const a = transport.open(fleet.deviceId(1), undefined);
    const b = transport.open(fleet.deviceId(2), undefined);
    const both = Promise.all([
      transport.send(a, read(a.meter!.deviceId), stored(a.meter!.deviceId)),
      transport.send(b, read(b.meter!.deviceId), stored(b.meter!.deviceId)),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(wan.stats.NORTH).toMatchObject({ inFlight: 1, queued: 1 });
    await both;
    expect(wan.stats.NORTH).toMatchObject({ inFlight: 0, queued: 0, delivered: 2 });
  });
});
