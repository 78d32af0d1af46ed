import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);

describe('device configuration reads (6.2.1, 6.2.4, 6.2.9, 6.2.10) answer what the device holds', () => {
  it('6.2.1: the defaults, then what 6.5 set', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('6.2.1').body).toMatchObject({ sagV: 216, swellV: 253, meterTimeMs: start });
    h.send('6.5', { sagV: 210, averagePeriodS: 10 });
    expect(h.send('6.2.1').body).toMatchObject({ sagV: 210, swellV: 253, averagePeriodS: 10 });
  });

  it('6.2.4: its id, its type from its profile, its firmware and its switch', () => {
    const gas = new MeterHarness(id, 0, start, { deviceType: 'GSME' });
    expect(gas.send('6.2.4').body).toEqual({
      deviceId: id,
      deviceType: 'GSME',
      firmwareVersion: '02010000',
      supply: 'enabled',
      meterTimeMs: start,
      // GCS21m: a GSME's supply depletion and tamper states (6.7 sets them)
      gasSupplyStates: { depletionLocked: false, tamperLocked: false },
    });
    gas.send('7.2');
    expect(gas.send('6.2.4').body?.supply).toBe('disabled');
    // A comms hub has no supply to switch.
    const chf = new MeterHarness(id, 0, start, { deviceType: 'CHF' });
    expect(chf.send('6.2.4').body).toMatchObject({ deviceType: 'CHF', supply: null });
    expect(() => chf.send('4.1.1')).toThrow(/a CHF does not take it/);
  });

  it('6.2.9: the payment mode 1.6 set', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('6.2.9').body).toMatchObject({ paymentMode: 'credit', supply: 'enabled' });
    h.send('1.6', { mode: 'prepayment' });
    expect(h.send('6.2.9').body?.paymentMode).toBe('prepayment');
  });

  it('6.2.10: the alert codes 6.22 turned off', () => {
    const h = new MeterHarness(id, 0, start);
    const none = { disabledAlerts: [], disabledHanAlerts: [], disabledAlarms: [], disabledEventLogs: [] };
    expect(h.send('6.2.10').body).toEqual(none);
    h.send('6.22', { disable: [0x810d], eventLogDisable: [0x8145] });
    expect(h.send('6.2.10').body).toEqual({ ...none, disabledAlerts: [0x810d], disabledEventLogs: [0x8145] });
  });

  it('takes no parameters', () => {
    const h = new MeterHarness(id, 0, start);
    expect(() => h.send('6.2.9', { mode: 'credit' } as never)).toThrow(/takes no parameters/);
  });
});
