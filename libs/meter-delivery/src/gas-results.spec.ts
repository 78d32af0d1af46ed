import type { DeviceType } from '@dcc/domain';
import { MeterHarness, type SupportedSrv } from '@dcc/meter';
import { GasSupplyLatch, ServiceResponse, UserRole, type ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { responseOf } from './srv-results.js';

const DEVICE = '00-DB-12-34-56-78-90-A1';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const START = Date.UTC(2026, 2, 5, 13, 17);
const DAY_MS = 86_400_000;
let counter = 1;

function answer(deviceType: DeviceType, srv: string, params?: unknown, meter?: MeterHarness) {
  const h = meter ?? new MeterHarness(DEVICE as never, 0, START, { deviceType });
  const request: ServiceRequest = {
    requestId: `${SUPPLIER}:${DEVICE}:${counter++}`,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: UserRole.USER_ROLE_GAS_SUPPLIER,
    body: undefined,
  };
  const response = responseOf(request, h.send(srv as SupportedSrv, params as never), START);
  return ServiceResponse.decode(ServiceResponse.encode(response).finish()).body;
}

describe('gas-shaped answers on the wire', () => {
  it.each([
    ['GSME', true],
    ['GPF', true],
    ['ESME', false],
  ] as const)('4.1.1 on a %s carries the gas registers: %s', (deviceType, gas) => {
    const body = answer(deviceType, '4.1.1');
    if (body?.$case !== 'importRegisters') throw new Error(`not importRegisters: ${body?.$case}`);
    if (!gas) return expect(body.value.gas).toBeUndefined();
    expect(body.value.gas).toMatchObject({ calorificValue: '39.5', conversionFactor: '1.02264' });
    expect(body.value.totalActiveImportWh).toBe(body.value.gas?.consumptionEnergyWh);
  });

  it.each([
    ['GSME', 48],
    ['ESME', 0],
  ] as const)('4.8.1 on a %s: %d volumes per day', (deviceType, volumes) => {
    const body = answer(deviceType, '4.8.1', { startMs: START - 2 * DAY_MS, endMs: START - DAY_MS });
    if (body?.$case !== 'importProfile') throw new Error(`not importProfile: ${body?.$case}`);
    expect(body.value.valuesDm3).toHaveLength(volumes);
  });

  it('6.6, 6.7 and 6.2.8: the configuration as DUIS decimals and latches', () => {
    const gsme = new MeterHarness(DEVICE as never, 0, START, { deviceType: 'GSME' });
    expect(answer('GSME', '6.6', { calorificValue: 40, conversionFactor: 1.02264 }, gsme)).toMatchObject({
      $case: 'gasConversionUpdated',
      value: { calorificValue: '40', conversionFactor: '1.02264' },
    });
    const flow = { rateTenThousandths: 61_680, stabilisationS: 60, measurementS: 300 };
    answer('GSME', '6.7', { ...flow, depletion: 'unchanged', tamper: 'locked' }, gsme);
    expect(answer('GSME', '6.2.8', undefined, gsme)).toMatchObject({
      $case: 'gasConfiguration',
      value: {
        calorificValue: '40',
        flow: {
          uncontrolledGasFlowRateTenThousandthsM3PerH: 61_680,
          supplyDepletionState: GasSupplyLatch.GAS_SUPPLY_LATCH_UNLOCKED,
          supplyTamperState: GasSupplyLatch.GAS_SUPPLY_LATCH_LOCKED,
        },
      },
    });
    // GCS21m: the GSME's identity read carries the two states; an ESME's leaves them unspecified.
    expect(answer('GSME', '6.2.4', undefined, gsme)).toMatchObject({
      $case: 'deviceIdentity',
      value: {
        deviceType: 'GSME',
        supplyDepletionState: GasSupplyLatch.GAS_SUPPLY_LATCH_UNLOCKED,
        supplyTamperState: GasSupplyLatch.GAS_SUPPLY_LATCH_LOCKED,
      },
    });
    expect(answer('ESME', '6.2.4')).toMatchObject({
      value: { deviceType: 'ESME', supplyTamperState: GasSupplyLatch.GAS_SUPPLY_LATCH_UNSPECIFIED },
    });
    expect(answer('GSME', '14.1', undefined, gsme)).toMatchObject({
      $case: 'gasNetworkData',
      value: { registers: { calorificValue: '40' }, lastDayStartMs: Date.UTC(2026, 2, 4) },
    });
  });

  it("4.17 from a GPF: daily volumes, and the request's KA credentials reported back (the answer is not encrypted)", () => {
    const gpf = new MeterHarness(DEVICE as never, 0, START, { deviceType: 'GPF' });
    const period = { startMs: START - 3 * DAY_MS, endMs: START - DAY_MS };
    const request: ServiceRequest = {
      requestId: `${SUPPLIER}:${DEVICE}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: '4.17',
      userRole: UserRole.USER_ROLE_GAS_SUPPLIER,
      body: {
        $case: 'retrieveDailyConsumptionLog',
        value: { period, kaPublicSecurityCredentials: 'MIIBkz' },
      },
    };
    const body = responseOf(request, gpf.send('4.17', period), START).body;
    if (body?.$case !== 'dailyConsumptionLog') throw new Error(`not dailyConsumptionLog: ${body?.$case}`);
    expect(body.value.kaPublicSecurityCredentials).toBe('MIIBkz');
    expect(body.value.entries).toHaveLength(2);
    expect(body.value.entries.every((e) => (e.volumeDm3 ?? 0) > 0)).toBe(true);
  });
});
