import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';
import { decodeState, encodeState } from './state-codec.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2);

describe('6.25 Set Electricity Supply Tamper State', () => {
  it.each(['SMETS2', 'SMETS1'] as const)('a %s ESME keeps the setting and answers it', (generation) => {
    const h = new MeterHarness(id, 0, start, { generation });
    expect(h.send('6.25', { supplyTamperState: 'locked' }).body).toEqual({
      supplyTamperState: 'locked',
      meterTimeMs: start,
    });
    expect(h.meter.inspect().supplyTamperState).toBe('locked');
    expect(decodeState(encodeState(h.meter.inspect(), true), true).supplyTamperState).toBe('locked');
    expect(h.send('6.25', { supplyTamperState: 'unchanged' }).body!.supplyTamperState).toBe('unchanged');
  });

  it.each(['GSME', 'GPF'] as const)('a %s does not take it', (deviceType) => {
    const h = new MeterHarness(id, 0, start, { deviceType });
    expect(() => h.send('6.25', { supplyTamperState: 'locked' })).toThrow(/not supported by this device/);
  });

  it('refuses a state DUIS does not define, keeping its setting', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.25', { supplyTamperState: 'locked' });
    expect(() => h.send('6.25', { supplyTamperState: 'unlocked' as never })).toThrow(/unchanged or locked/);
    expect(h.meter.inspect().supplyTamperState).toBe('locked');
  });
});
