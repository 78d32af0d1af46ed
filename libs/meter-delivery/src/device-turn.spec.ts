import { GrpcStatus, kaPublicKeyText, parseEui64, type Eui64 } from '@dcc/domain';
import { createUtrn, DEFAULT_SIGNING_KEY_ID, DeviceKaKeys, MeterDevice, type MeterOptions } from '@dcc/meter';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DeviceOutcomeKind, UserRole, type MeterCommand, type ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { SupplierKeys } from './critical-verification.js';
import type { DeviceTransport } from './device-transport.js';
import { openSession, runOnDevice, type DeviceSession } from './device-turn.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = parseEui64('00-DB-12-00-00-00-00-03');
const OTHER = parseEui64('00-DB-12-00-00-00-00-07');
const UNREACHABLE = parseEui64('00-DB-12-00-00-00-00-99');
let counter = 1;

/** The meters' KA provisioning and the supplier's top-up key pair they trust. */
const deviceKeys = new DeviceKaKeys(randomBytes(32));
const topUpKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const options: MeterOptions = {
  kaKeys: deviceKeys,
  trustedSupplier: {
    supplierId: SUPPLIER,
    keyId: DEFAULT_SIGNING_KEY_ID,
    topUpKey: kaPublicKeyText(topUpKeys.publicKey),
  },
};

/** A transport to simulated meters (as an adapter's would be): reaches DEVICE and OTHER only. */
const meters: DeviceTransport<MeterDevice> = {
  open: (id: Eui64, stored) =>
    id === UNREACHABLE
      ? undefined
      : stored
        ? MeterDevice.fromState(id, 0, stored, Date.now, options)
        : new MeterDevice(id, 0, Date.now, options),
  save: (meter) => meter.toBytes(),
  trustedSupplier: (meter) => meter.inspect().trust ?? meter.profile.trustedSupplier,
  send: (meter, command) => meter.run(command),
  nextWakeMs: (meter) => meter.nextWakeMs(),
  wake: (meter) => meter.advance().alerts,
};

/** What the actor runtime keeps of a passive device: the bytes its last changing turn saved. */
const stored = new Map<string, Uint8Array>();
const sessions = new Map<string, DeviceSession<MeterDevice>>();

async function send(deviceId: Eui64, command: MeterCommand) {
  let session = sessions.get(deviceId);
  if (!session) {
    session = openSession(meters, deviceId, stored.get(deviceId))!;
    sessions.set(deviceId, session);
  }
  const response = await runOnDevice(session, command, meters, new SupplierKeys(), Date.now);
  if (session.dirty) stored.set(deviceId, meters.save(session.link));
  session.dirty = false;
  return response;
}

/** Passivation: the sessions leave memory; the stored bytes stay. */
const passivate = () => sessions.clear();

function command(srv: string, body: ServiceRequest['body'], deviceId = DEVICE): MeterCommand {
  return {
    request: {
      requestId: `${SUPPLIER}:${deviceId}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: srv,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body,
    },
    userId: SUPPLIER,
    deviceId,
    acceptedAtMs: Date.now(),
  };
}

const utrn = (n: bigint, pence: number) =>
  createUtrn({
    supplierId: SUPPLIER,
    deviceId: DEVICE,
    supplierTopUpKey: topUpKeys.privateKey,
    devicePublicKey: deviceKeys.keyPair(DEVICE).publicKey,
    counter: n << 32n,
    pence,
  });

describe('one command on its device', () => {
  it('keeps a device’s state across passivation and re-activation', async () => {
    const topUp = await send(
      DEVICE,
      command('2.2', { $case: 'topUpDevice', value: { utrn: utrn(1n, 300) } }),
    );
    expect(topUp.responseCode).toBe('I0');
    passivate();
    expect(stored.get(DEVICE)).toBeDefined();

    const balance = await send(DEVICE, command('4.18', undefined));
    expect(balance.body).toMatchObject({ $case: 'meterBalance', value: { meterBalancePence: '300' } });
    passivate();

    // The UTRN high-water mark and the RequestID counters survived too.
    const again = await send(
      DEVICE,
      command('2.2', { $case: 'topUpDevice', value: { utrn: utrn(1n, 300) } }),
    );
    expect(again.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(again.deviceOutcome?.kind).toBe(DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED);
    expect(again.alerts.map((a) => a.code)).toEqual(['8F51']);
  });

  it('answers a redelivered command with the same response, not a replay refusal', async () => {
    const first = command('4.1.1', undefined);
    const a = await send(DEVICE, first);
    const b = await send(DEVICE, first);
    expect(b).toEqual(a);
    expect(a.responseCode).toBe('I0');
  });

  it('refuses a replayed RequestID counter once the session forgot the response (device rule)', async () => {
    const replay = command('4.1.1', undefined);
    await send(DEVICE, replay);
    passivate();
    await expect(send(DEVICE, replay)).rejects.toMatchObject({ status: GrpcStatus.ALREADY_EXISTS });
  });

  it('stores nothing for a device whose command never reached it', async () => {
    const wrongBody = command('2.2', { $case: 'readMeterBalance', value: {} }, OTHER);
    await expect(send(OTHER, wrongBody)).rejects.toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
    passivate();
    expect(stored.get(OTHER)).toBeUndefined();
  });

  it('has no session for a device the transport cannot reach', () => {
    expect(openSession(meters, UNREACHABLE, undefined)).toBeUndefined();
  });
});
