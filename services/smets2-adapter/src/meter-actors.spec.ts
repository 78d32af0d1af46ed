import { GrpcStatus } from '@dcc/domain';
import { createUtrn, SimulatedFleet } from '@dcc/meter';
import { DeviceOutcomeKind, UserRole, type MeterCommand, type ServiceRequest } from '@dcc/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMeterActors, InMemoryMeterStates } from './meter-actors.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const fleet = new SimulatedFleet(10);
const DEVICE = fleet.deviceId(3);
let counter = 1;

function command(srv: string, body: ServiceRequest['body']): MeterCommand {
  return {
    request: {
      requestId: `${SUPPLIER}:${DEVICE}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: srv,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body,
    },
    userId: SUPPLIER,
    deviceId: DEVICE,
    acceptedAtMs: Date.now(),
  };
}

const utrn = (n: bigint, pence: number) =>
  createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: n << 32n, pence });

describe('meter actors (in-process host, in-memory state store)', () => {
  const store = new InMemoryMeterStates();
  const actors = createMeterActors(fleet, 60_000, Date.now, store);
  afterEach(() => actors.passivateIdle(true));

  it('keep a meter’s state across passivation and re-activation', async () => {
    const topUp = await actors.send(
      DEVICE,
      command('2.2', { $case: 'topUpDevice', value: { utrn: utrn(1n, 300) } }),
    );
    expect(topUp.responseCode).toBe('I0');
    await actors.passivateIdle(true);
    expect(actors.activeCount).toBe(0);
    expect(store.get(DEVICE)).toBeDefined();

    const balance = await actors.send(DEVICE, command('4.18', undefined));
    expect(balance.body).toMatchObject({ $case: 'meterBalance', value: { meterBalancePence: '300' } });
    await actors.passivateIdle(true);

    // The UTRN high-water mark and the RequestID counters survived too.
    const again = await actors.send(
      DEVICE,
      command('2.2', { $case: 'topUpDevice', value: { utrn: utrn(1n, 300) } }),
    );
    expect(again.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(again.deviceOutcome?.kind).toBe(DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED);
    expect(again.alerts.map((a) => a.code)).toEqual(['8F51']);
  });

  it('answer a redelivered command with the same response, not a replay refusal', async () => {
    const first = command('4.1.1', undefined);
    const a = await actors.send(DEVICE, first);
    const b = await actors.send(DEVICE, first);
    expect(b).toBe(a);
    expect(a.responseCode).toBe('I0');
  });

  it('refuse a replayed RequestID counter once the actor forgot the response (device rule)', async () => {
    const replay = command('4.1.1', undefined);
    await actors.send(DEVICE, replay);
    await actors.passivateIdle(true);
    await expect(actors.send(DEVICE, replay)).rejects.toMatchObject({ status: GrpcStatus.ALREADY_EXISTS });
  });

  it('store nothing for a meter whose command never reached the device', async () => {
    const other = fleet.deviceId(7);
    const wrongBody = command('2.2', { $case: 'readMeterBalance', value: {} });
    await expect(actors.send(other, { ...wrongBody, deviceId: other })).rejects.toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
    });
    await actors.passivateIdle(true);
    expect(store.get(other)).toBeUndefined();
  });
});
