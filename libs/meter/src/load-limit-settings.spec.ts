import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';
import { decodeState, encodeState, stateFromBytes, stateToBytes } from './state-codec.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);
const sample = { thresholdW: 6_900, periodS: 300, restorationPeriodS: 30, supplyAction: 'disable' } as const;

describe('6.4.1 load limit settings: the device keeps what DUIS sets and answers it in 4.15', () => {
  it.each(['SMETS2', 'SMETS1'] as const)('a %s ESME', (generation) => {
    const h = new MeterHarness(id, 0, start, { generation });
    expect(h.send('4.15').body).toMatchObject({
      periodS: null,
      restorationPeriodS: null,
      supplyAction: null,
    });
    expect(h.send('6.4.1', sample).body).toMatchObject(sample);
    expect(h.send('4.15').body).toMatchObject(sample);
    // Absent settings are kept; a new one replaces only itself.
    expect(h.send('6.4.1', { thresholdW: 5_000, supplyAction: 'unchanged' }).body).toMatchObject({
      thresholdW: 5_000,
      periodS: 300,
      restorationPeriodS: 30,
      supplyAction: 'unchanged',
    });
    // Switching load limiting off keeps the periods for when it is switched on again.
    expect(h.send('6.4.1', { thresholdW: null }).body).toMatchObject({ thresholdW: null, periodS: 300 });
    expect(h.send('6.4.2').body).toMatchObject({ counter: 0, restorationPeriodS: 30 });
  });

  it('the settings survive the device state being stored and loaded', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.4.1', sample);
    const again = decodeState(stateFromBytes(stateToBytes(encodeState(h.meter.inspect(), true))), true);
    expect(again.loadLimitSettings).toEqual({
      periodS: 300,
      restorationPeriodS: 30,
      supplyAction: 'disable',
    });
  });

  it.each([
    [{ ...sample, periodS: 0 }, /periodS must be/],
    [{ ...sample, restorationPeriodS: 86_401 }, /restorationPeriodS must be/],
    [{ ...sample, periodS: 1.5 }, /periodS must be/],
    [{ ...sample, supplyAction: 'arm' }, /supplyAction must be unchanged or disable/],
  ])('refuses %j, keeping its settings', (params, why) => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.4.1', sample);
    expect(() => h.send('6.4.1', params as never)).toThrow(why);
    expect(h.send('4.15').body).toMatchObject(sample);
  });
});
