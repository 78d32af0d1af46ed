import type { DeviceType, Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HALF_HOUR_MS } from './time.js';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-34-56-78-90-A1' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);
const gasMeter = (deviceType: DeviceType = 'GSME') => new MeterHarness(id, 0, start, { deviceType });

describe('the gas meter: volume measured, energy derived by calorific value and conversion factor', () => {
  it.each([
    // [srv, params, ESME, GSME, GPF]: which device types take each gas SRV and the reads' shape
    ['6.2.8', undefined, 'refused', 'executed', 'executed'],
    ['6.6', { calorificValue: 40 }, 'refused', 'executed', 'executed'],
    [
      '6.7',
      {
        rateTenThousandths: 61_680,
        stabilisationS: 60,
        measurementS: 300,
        depletion: 'unchanged',
        tamper: 'locked',
      },
      'refused',
      'executed',
      'refused',
    ],
    ['14.1', undefined, 'refused', 'executed', 'executed'],
    ['4.2', undefined, 'executed', 'refused', 'refused'],
    ['6.5', { sagV: 210 }, 'executed', 'refused', 'refused'],
  ] as const)('%s: ESME %s, GSME %s, GPF %s', (srv, params, ...expected) => {
    (['ESME', 'GSME', 'GPF'] as const).forEach((deviceType, i) => {
      const h = new MeterHarness(id, 0, start, { deviceType });
      const run = () => h.send(srv as never, params as never);
      if (expected[i] === 'refused')
        expect(run, `${srv} on ${deviceType}`).toThrow(/does not take it|only the GSME/);
      else expect(run().outcome, `${srv} on ${deviceType}`).toBe('executed');
    });
  });

  it('4.1.1 on a GSME or GPF carries the register in volume and energy; an ESME has no gas shape', () => {
    for (const deviceType of ['GSME', 'GPF'] as const) {
      const body = gasMeter(deviceType).send('4.1.1').body!;
      expect(body.gas?.consumptionVolumeDm3).toBeGreaterThan(0);
      expect(body.gas).toMatchObject({ calorificValue: 39.5, conversionFactor: 1.02264 });
      expect(body.totalActiveImportWh).toBe(body.gas?.consumptionEnergyWh);
      // Wh = dm3 × CV × CF / 3.6 from zero at the standard values
      expect(body.gas!.consumptionEnergyWh).toBe(
        Math.round((body.gas!.consumptionVolumeDm3 * 39.5 * 1.02264) / 3.6),
      );
    }
    expect(new MeterHarness(id, 0, start).send('4.1.1').body?.gas).toBeUndefined();
  });

  it('6.6 converts volume measured from then on; energy already derived stays; 6.2.8 reads the values back', () => {
    const h = gasMeter();
    const before = h.send('4.1.1').body!.gas!;
    expect(h.send('6.6', { calorificValue: 40, conversionFactor: 1.1 }).body).toMatchObject({
      calorificValue: 40,
      conversionFactor: 1.1,
    });
    h.clock.advance(DAY_MS);
    const after = h.send('4.1.1').body!.gas!;
    const volume = after.consumptionVolumeDm3 - before.consumptionVolumeDm3;
    expect(volume).toBeGreaterThan(0);
    expect(after.consumptionEnergyWh - before.consumptionEnergyWh).toBe(
      Math.round((volume * 40 * 1.1) / 3.6),
    );
    // one value left out keeps the one in force
    h.send('6.6', { conversionFactor: 1.02 });
    expect(h.send('6.2.8').body).toMatchObject({ calorificValue: 40, conversionFactor: 1.02 });
    // the state survives the store
    h.reload();
    expect(h.send('6.2.8').body).toMatchObject({ calorificValue: 40, conversionFactor: 1.02 });
  });

  it('6.6 refuses a value of 0 or a body without either value', () => {
    const h = gasMeter();
    expect(() => h.send('6.6', { calorificValue: 0 })).toThrow(/above 0/);
    expect(() => h.send('6.6', {})).toThrow(/at least one/);
  });

  it('6.7 sets the flow check; Unchanged keeps a latch, Locked and Unlocked set it', () => {
    const h = gasMeter();
    expect(h.send('6.2.8').body?.flow).toMatchObject({ depletionLocked: false, tamperLocked: false });
    const flow = { rateTenThousandths: 61_680, stabilisationS: 60, measurementS: 300 };
    h.send('6.7', { ...flow, depletion: 'locked', tamper: 'unchanged' });
    expect(h.send('6.2.8').body?.flow).toEqual({ ...flow, depletionLocked: true, tamperLocked: false });
    h.send('6.7', { ...flow, depletion: 'unchanged', tamper: 'locked' });
    h.reload();
    expect(h.send('6.2.8').body?.flow).toMatchObject({ depletionLocked: true, tamperLocked: true });
    expect(() => h.send('6.7', { ...flow, depletion: 'open', tamper: 'locked' } as never)).toThrow(
      /depletion/,
    );
    // GCS21m: the GSME's identity read reports the two states.
    expect(h.send('6.2.4').body?.gasSupplyStates).toEqual({ depletionLocked: true, tamperLocked: true });
    expect(new MeterHarness(id, 0, start).send('6.2.4').body?.gasSupplyStates).toBeUndefined();
  });

  it('4.8.1, 4.6.1 and 4.17 on a GSME hold volume, whose steps sum to the register; energy follows it', () => {
    const h = gasMeter();
    h.clock.advance(3 * DAY_MS);
    const from = Date.UTC(2026, 2, 3);
    const to = from + DAY_MS;
    const profile = h.send('4.8.1', { startMs: from, endMs: to }).body!;
    expect(profile.valuesDm3).toHaveLength(DAY_MS / HALF_HOUR_MS);
    const daily = h.send('4.6.1', { startMs: from, endMs: to + 1 }).body!.entries;
    const [midnight, next] = daily;
    const dayVolume = next!.volumeDm3! - midnight!.volumeDm3!;
    expect(profile.valuesDm3!.reduce((a, b) => a + b, 0)).toBe(dayVolume);
    expect(profile.valuesWh.reduce((a, b) => a + b, 0)).toBe(
      next!.totalActiveImportWh - midnight!.totalActiveImportWh,
    );
    const consumption = h.send('4.17', { startMs: from, endMs: to }).body!.entries;
    expect(consumption[0]).toMatchObject({ dayStartMs: from, volumeDm3: dayVolume });
    // An ESME's logs carry no volume.
    const esme = new MeterHarness(id, 0, start);
    esme.clock.advance(3 * DAY_MS);
    expect(esme.send('4.8.1', { startMs: from, endMs: to }).body?.valuesDm3).toBeUndefined();
  });

  it('the valve closed (7.2) stops the volume: no gas flows while the supply is off', () => {
    const h = gasMeter();
    h.send('7.2');
    const closed = h.send('4.1.1').body!.gas!.consumptionVolumeDm3;
    h.clock.advance(DAY_MS);
    expect(h.send('4.1.1').body!.gas!.consumptionVolumeDm3).toBe(closed);
  });

  it('14.1 records the register and the last complete day for the gas transporter', () => {
    const h = gasMeter();
    h.clock.advance(2 * DAY_MS);
    const body = h.send('14.1').body!;
    expect(body.lastDayStartMs).toBe(Date.UTC(2026, 2, 3));
    expect(body.lastDayVolumeDm3).toBeGreaterThan(0);
    expect(body.registers).toEqual(h.send('4.1.1').body!.gas);
  });
});
