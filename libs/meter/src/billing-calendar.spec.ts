import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { BILLING_CALENDAR_LOG_ENTRIES } from './commands/billing-calendar-commands.js';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 0, 15, 9);
const DAY = 86_400_000;
const ever = { startMs: 0, endMs: Date.UTC(2100, 0, 1) };

/** ECS30: monthly on the 1st at 12:00. */
const monthly = {
  billingTimeS: 12 * 3600,
  periodicity: 3,
  dayOfWeek: 0,
  dayOfMonth: 1,
  billingPeriodStartMonth: 0,
};
/** ECS30a: quarterly on the 1st at midnight, the cycle counted from January. */
const quarterly = {
  billingTimeS: 0,
  periodicity: 4,
  dayOfWeek: 0,
  dayOfMonth: 1,
  billingPeriodStartMonth: 1,
};

describe('billing calendar (6.8 sets, 6.2.3 reads, 4.4.3 logs its billing dates)', () => {
  it('6.2.3: none until 6.8 sets one, then the calendar as sent, across a reload', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('6.2.3').body).toEqual({ meterTimeMs: start });
    expect(h.send('6.8', { electricity: monthly }).body).toMatchObject({ electricity: monthly });
    h.reload();
    expect(h.send('6.2.3').body).toEqual({ electricity: monthly, meterTimeMs: start });
  });

  it('4.4.3: the import register at each billing date since the calendar was set', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.8', { electricity: monthly });
    h.clock.advance(80 * DAY);
    const entries = h.send('4.4.3', ever).body!.entries;
    expect(entries.map((e) => e.atMs)).toEqual([
      Date.UTC(2026, 1, 1, 12),
      Date.UTC(2026, 2, 1, 12),
      Date.UTC(2026, 3, 1, 12),
    ]);
    const reading = (t: number) => h.meter.model.metering.importTotalWh(h.meter.inspect(), t);
    for (const e of entries) expect(e.totalImportWh).toBe(reading(e.atMs));
    expect(entries[1]!.totalImportWh).toBeGreaterThan(entries[0]!.totalImportWh);
  });

  it('4.4.3: quarterly from January; only dates in the period; the latest entries only', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.8', { electricity: quarterly });
    h.clock.advance(400 * DAY);
    const all = h.send('4.4.3', ever).body!.entries.map((e) => e.atMs);
    expect(all).toEqual([
      Date.UTC(2026, 3, 1),
      Date.UTC(2026, 6, 1),
      Date.UTC(2026, 9, 1),
      Date.UTC(2027, 0, 1),
    ]);
    const some = h.send('4.4.3', { startMs: Date.UTC(2026, 5, 1), endMs: Date.UTC(2026, 9, 1) }).body!;
    expect(some.entries.map((e) => e.atMs)).toEqual([Date.UTC(2026, 6, 1)]);
    const daily = new MeterHarness(id, 0, start);
    daily.send('6.8', { electricity: { ...monthly, periodicity: 1, dayOfMonth: 0 } });
    daily.clock.advance(30 * DAY);
    const log = daily.send('4.4.3', ever).body!.entries;
    expect(log).toHaveLength(BILLING_CALENDAR_LOG_ENTRIES);
    // 30 days after 9:00 on 15 January: the last noon is 13 February's.
    expect(log.at(-1)!.atMs).toBe(Date.UTC(2026, 1, 13, 12));
  });

  it('a GSME takes a gas calendar, repeated from its first billing date', () => {
    const h = new MeterHarness(id, 0, start, { deviceType: 'GSME' });
    const gas = { billingPeriodStartMs: Date.UTC(2015, 0, 1), periodicity: 5 };
    h.send('6.8', { gas });
    h.clock.advance(200 * DAY);
    expect(h.send('4.4.3', ever).body!.entries.map((e) => e.atMs)).toEqual([Date.UTC(2026, 6, 1)]);
    expect(h.send('6.2.3').body).toMatchObject({ gas });
  });

  it("refuses the other fuel's calendar and malformed ones", () => {
    const esme = new MeterHarness(id, 0, start);
    expect(() => esme.send('6.8', { gas: { billingPeriodStartMs: start, periodicity: 3 } })).toThrow(
      /an electricity billing calendar/,
    );
    expect(() => esme.send('6.8', { electricity: { ...monthly, dayOfMonth: 31 } })).toThrow(/dayOfMonth/);
    expect(() => esme.send('6.8', {})).toThrow(/exactly one/);
  });
});

describe('4.6.2 export daily read log', () => {
  it('the export register at each passed midnight in the period; zeros without export', () => {
    const h = new MeterHarness(id, 0, start, { hasExport: true });
    h.clock.advance(3 * DAY);
    const entries = h.send('4.6.2', { startMs: start - DAY, endMs: start + 5 * DAY }).body!.entries;
    expect(entries.map((e) => e.atMs)).toEqual([0, 1, 2, 3].map((d) => Date.UTC(2026, 0, 15 + d)));
    const state = h.meter.inspect();
    for (const e of entries)
      expect(e.totalActiveExportWh).toBe(h.meter.model.metering.exportTotalWh(state, e.atMs));
    const plain = new MeterHarness(id, 0, start);
    plain.clock.advance(2 * DAY);
    expect(
      plain.send('4.6.2', { startMs: start, endMs: start + 2 * DAY }).body!.entries[0]!.totalActiveExportWh,
    ).toBe(0);
  });
});

describe('4.4.2 change of mode / tariff triggered billing data log', () => {
  it('captures the import register at each executed 1.6 and 1.1.1, future-dated ones when they fall due', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('4.4.2', ever).body!.entries).toEqual([]);
    h.clock.advance(DAY);
    h.send('1.6', { mode: 'prepayment' });
    const atMode = h.clock.ms;
    h.send('1.6', { mode: 'credit' }, { executionTimeMs: atMode + DAY });
    h.clock.advance(2 * DAY);
    const table = Array.from({ length: 48 }, () => 1);
    h.send('1.1.1', { switchingTable: table, pricesPencePerKWh: [25], standingChargePencePerDay: 50 });
    h.reload();
    const entries = h.send('4.4.2', ever).body!.entries;
    expect(entries.map((e) => e.atMs)).toEqual([atMode, atMode + DAY, h.clock.ms]);
    const state = h.meter.inspect();
    for (const e of entries)
      expect(e.totalImportWh).toBe(h.meter.model.metering.importTotalWh(state, e.atMs));
    expect(h.send('4.4.2', { startMs: atMode + 1, endMs: h.clock.ms }).body!.entries).toHaveLength(1);
  });
});
