import { DeviceStatus, Fuel, MeterKind, CspRegion, AppointmentRole } from '@dcc/registry';
import { describe, expect, it } from 'vitest';
import { isSkippedLine, parseFeedLine } from './feed.js';
import { mpan, mprn } from './test-helpers.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const good = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    mpxn: mpan('101234567890'),
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'North',
    uprn: '100023336956',
    device: { id: '00-DB-12-00-00-00-00-01', status: 'Commissioned' },
    supplier: { party: SUPPLIER, from: '2024-04-01' },
    ...overrides,
  });

describe('feed lines', () => {
  it('parses a valid electricity row', () => {
    const row = parseFeedLine(good());
    expect(row).toMatchObject({
      fuel: Fuel.ELECTRICITY,
      kind: MeterKind.SMETS2,
      cspRegion: CspRegion.NORTH,
      enrolled: true,
      device: { id: '00-DB-12-00-00-00-00-01', type: 'ESME', status: DeviceStatus.COMMISSIONED },
      appointments: [{ role: AppointmentRole.SUPPLIER, partyId: SUPPLIER, fromMs: Date.UTC(2024, 3, 1) }],
    });
  });

  it('parses a gas row with a valid MPRN and a withdrawn status', () => {
    const row = parseFeedLine(
      JSON.stringify({
        mpxn: mprn('39384244'),
        fuel: 'gas',
        meterKind: 'SMETS1',
        smets1Cohort: 'MOC',
        status: 'withdrawn',
      }),
    );
    expect(row.mpxn).toBe('3938424403');
    expect(row.enrolled).toBe(false);
  });

  it('rejects a bad MPAN check digit unless the feed relaxes it', () => {
    const bad = '1312345678111'; // DCC Boxed numbering: fails the MPAN check
    expect(() => parseFeedLine(good({ mpxn: bad }))).toThrow(/check digit/);
    expect(parseFeedLine(good({ mpxn: bad }), { checkDigits: false }).mpxn).toBe(bad);
    // relaxed still checks the format
    expect(() => parseFeedLine(good({ mpxn: '13123' }), { checkDigits: false })).toThrow(/13 digits/);
  });

  it('rejects a bad MPRN check digit unless relaxed', () => {
    const line = JSON.stringify({ mpxn: '3938424499', fuel: 'gas', meterKind: 'dumb' });
    expect(() => parseFeedLine(line)).toThrow(/check digits/);
    expect(parseFeedLine(line, { checkDigits: false }).mpxn).toBe('3938424499');
  });

  it('names what is wrong with malformed rows', () => {
    expect(() => parseFeedLine('{not json')).toThrow(/not JSON/);
    expect(() => parseFeedLine(good({ fuel: 'steam' }))).toThrow(/fuel/);
    expect(() => parseFeedLine(good({ colour: 'red' }))).toThrow(/colour/);
    expect(() => parseFeedLine(good({ cspRegion: undefined }))).toThrow(/cspRegion is required/);
    expect(() => parseFeedLine(good({ supplier: { party: 'nobody', from: '2024-01-01' } }))).toThrow(
      /EUI-64/,
    );
    expect(() => parseFeedLine(good({ supplier: { party: SUPPLIER, from: '1 April' } }))).toThrow(
      /supplier.from/,
    );
    expect(() =>
      parseFeedLine(good({ device: { id: '00-DB-12-00-00-00-00-01', status: 'Broken' } })),
    ).toThrow(/device.status/);
  });

  it('skips blank and comment lines', () => {
    expect(isSkippedLine('')).toBe(true);
    expect(isSkippedLine('  # full refresh 2025-01-01')).toBe(true);
    expect(isSkippedLine(good())).toBe(false);
  });
});
