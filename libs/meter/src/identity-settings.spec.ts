import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);

describe('MPxNs (6.20.1, 6.20.2, read by 6.2.7) the supplier name (3.4) and the privacy PIN (3.5) the device keeps', () => {
  it('an ESME keeps its import MPANs and its export MPAN, across a reload', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('6.2.7').body).toMatchObject({ importMpan: '', exportMpan: '' });
    h.send('6.20.1', { importMpan: '1312345678111', secondaryImportMpan: '1312345678222' });
    h.send('6.20.2', { exportMpan: '1312345678333' });
    h.reload();
    expect(h.send('6.2.7').body).toEqual({
      importMpan: '1312345678111',
      secondaryImportMpan: '1312345678222',
      importMprn: '',
      exportMpan: '1312345678333',
      meterTimeMs: start,
    });
  });

  it('a GSME takes an MPRN and refuses an MPAN; an ESME refuses an MPRN', () => {
    const gas = new MeterHarness(id, 0, start, { deviceType: 'GSME' });
    expect(gas.send('6.20.1', { importMprn: '1234567890' }).body?.importMprn).toBe('1234567890');
    expect(() => gas.send('6.20.1', { importMpan: '1312345678111' })).toThrow(/a GSME takes an MPRN/);
    const electricity = new MeterHarness(id, 0, start);
    expect(() => electricity.send('6.20.1', { importMprn: '1234567890' })).toThrow(/takes MPANs/);
  });

  it('refuses malformed MPxNs and both kinds at once', () => {
    const h = new MeterHarness(id, 0, start);
    expect(() => h.send('6.20.1', { importMpan: '12' })).toThrow(/importMpan/);
    expect(() => h.send('6.20.1', { importMpan: '1312345678111', importMprn: '123456' } as never)).toThrow(
      /either importMpan or importMprn/,
    );
    expect(() => h.send('6.20.2', { exportMpan: 'x312345678333' })).toThrow(/exportMpan/);
  });

  it('3.4: keeps the name and telephone number, printable ASCII of at most 20 characters', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('3.4', { name: 'E-ON', telephone: '0333 202 4650' }).outcome).toBe('executed');
    h.reload();
    expect(h.meter.inspect().supplierContact).toEqual({ name: 'E-ON', telephone: '0333 202 4650' });
    expect(() => h.send('3.4', { name: 'x'.repeat(21), telephone: '1' })).toThrow(/name/);
  });

  it('3.5: privacy PIN protection off, kept across a reload', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.meter.inspect().privacyPinDisabled).toBe(false);
    expect(h.send('3.5').outcome).toBe('executed');
    h.reload();
    expect(h.meter.inspect().privacyPinDisabled).toBe(true);
  });
});
