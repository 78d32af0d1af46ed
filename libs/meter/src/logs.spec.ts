import { GrpcStatus, type Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { ConsumptionModel } from './consumption-model.js';
import { MeterHarness } from './meter-harness.js';
import { DAY_MS, HALF_HOUR_MS } from './time.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const midnight = Date.UTC(2026, 2, 2);
const now = midnight + 40 * DAY_MS + 13 * HALF_HOUR_MS + 600_000;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function harness(options = {}): MeterHarness {
  return new MeterHarness(id, 5, now, options);
}

describe('4.8.1 / 4.8.3 profile data', () => {
  it('returns 48 completed half hours a day from the consumption model', () => {
    const h = harness();
    const model = new ConsumptionModel(id, 5);
    const day = midnight + 10 * DAY_MS;
    const body = h.send('4.8.1', { startMs: day, endMs: day + DAY_MS }).body!;
    expect(body).toEqual({ firstSlotStartMs: day, slotMs: HALF_HOUR_MS, valuesWh: model.dayProfile(day) });
  });

  it('rounds the start up to a half hour, stops at the last completed half hour, and limits a read to 31 days', () => {
    const h = harness();
    const body = h.send('4.8.1', { startMs: now - DAY_MS - 1, endMs: now + DAY_MS }).body!;
    expect(body.firstSlotStartMs % HALF_HOUR_MS).toBe(0);
    expect(body.firstSlotStartMs + body.valuesWh.length * HALF_HOUR_MS).toBeLessThanOrEqual(now);
    expect(body.valuesWh).toHaveLength(47);
    expect(() => h.send('4.8.1', { startMs: midnight, endMs: midnight + 32 * DAY_MS })).toThrow(/31 days/);
    expect(() => h.send('4.8.1', { startMs: midnight, endMs: midnight })).toThrow(/after startMs/);
  });

  it('export profile: zeros without export, the export model with it; sums equal the export register advance', () => {
    const period = { startMs: midnight + 3 * DAY_MS, endMs: midnight + 5 * DAY_MS };
    expect(
      harness()
        .send('4.8.3', period)
        .body!.valuesWh.every((wh) => wh === 0),
    ).toBe(true);
    expect(harness().send('4.2').body!.totalActiveExportWh).toBe(0);
    const solar = harness({ hasExport: true });
    const values = solar.send('4.8.3', period).body!.valuesWh;
    expect(sum(values)).toBeGreaterThan(0);
    expect(sum(values)).toBe(
      solar.meter.model.metering.exportTotalWh(solar.meter.inspect(), period.endMs) -
        solar.meter.model.metering.exportTotalWh(solar.meter.inspect(), period.startMs),
    );
    expect(solar.send('4.2').body!.totalActiveExportWh).toBeGreaterThan(0);
  });
});

describe('4.6.1 daily read log and 4.17 daily consumption log', () => {
  it('gives the total import register at each midnight, and per-day consumption as their differences', () => {
    const h = harness();
    const model = new ConsumptionModel(id, 5);
    const period = { startMs: midnight + 5 * DAY_MS + 1, endMs: midnight + 12 * DAY_MS };
    const log = h.send('4.6.1', period).body!;
    expect(log.source).toBe('daily-read-log');
    expect(log.entries.map((e) => e.atMs)).toEqual([6, 7, 8, 9, 10, 11].map((d) => midnight + d * DAY_MS));
    for (const entry of log.entries) expect(entry.totalActiveImportWh).toBe(model.totalImportWh(entry.atMs));
    const consumption = h.send('4.17', period).body!.entries;
    expect(consumption.map((e) => e.dayStartMs)).toEqual(log.entries.map((e) => e.atMs));
    for (const entry of consumption) expect(entry.importWh).toBe(sum(model.dayProfile(entry.dayStartMs)));
  });

  it('omits the day not yet complete (4.17) and midnights not yet reached (4.6.1)', () => {
    const h = harness();
    const today = midnight + 40 * DAY_MS;
    const period = { startMs: today - DAY_MS, endMs: today + 3 * DAY_MS };
    expect(h.send('4.6.1', period).body!.entries.map((e) => e.atMs)).toEqual([today - DAY_MS, today]);
    expect(h.send('4.17', period).body!.entries.map((e) => e.dayStartMs)).toEqual([today - DAY_MS]);
  });

  it('SMETS1 without a midnight read: the log is derived from the profile and says so', () => {
    const h = harness({ generation: 'SMETS1' });
    const period = { startMs: midnight + 5 * DAY_MS, endMs: midnight + 7 * DAY_MS };
    const log = h.send('4.6.1', period).body!;
    expect(log.source).toBe('derived-from-profile');
    expect(log.entries).toEqual(harness().send('4.6.1', period).body!.entries);
  });
});

describe('3.2 tenancy restriction', () => {
  it('property: profile reads never show data from before the restriction, and their sums equal the register advance', () => {
    for (let i = 0; i < 12; i++) {
      const h = harness();
      const restriction = midnight + (20 + i) * DAY_MS + i * 1_234_567;
      expect(h.send('3.2', { restrictionDateTimeMs: restriction }).outcome).toBe('executed');
      if (i % 3 === 0) {
        // Some meters also had supply interruptions across the period.
        h.clock.ms = restriction + HALF_HOUR_MS * 3 + 77;
        h.send('7.2');
        h.clock.advance(2 * HALF_HOUR_MS + 999);
        h.send('7.3');
        h.send('7.1');
        h.clock.ms = now;
      }
      const startMs = restriction - (3 + i) * DAY_MS;
      const endMs = restriction + (1 + (i % 4)) * DAY_MS;
      const body = h.send('4.8.1', { startMs, endMs }).body!;
      expect(body.firstSlotStartMs).toBe(Math.ceil(restriction / HALF_HOUR_MS) * HALF_HOUR_MS);
      const last = body.firstSlotStartMs + body.valuesWh.length * HALF_HOUR_MS;
      expect(last).toBe(Math.ceil(endMs / HALF_HOUR_MS) * HALF_HOUR_MS);
      const state = h.meter.inspect();
      const metering = h.meter.model.metering;
      expect(sum(body.valuesWh)).toBe(
        metering.importTotalWh(state, last) - metering.importTotalWh(state, body.firstSlotStartMs),
      );
    }
  });

  it('hides daily logs before the restriction; a future restriction hides everything until then', () => {
    const h = harness();
    const period = { startMs: midnight, endMs: midnight + 30 * DAY_MS };
    h.send('3.2', { restrictionDateTimeMs: midnight + 25 * DAY_MS + 1 });
    expect(h.send('4.6.1', period).body!.entries[0]!.atMs).toBe(midnight + 26 * DAY_MS);
    expect(h.send('4.17', period).body!.entries[0]!.dayStartMs).toBe(midnight + 26 * DAY_MS);
    h.send('3.2', { restrictionDateTimeMs: now + DAY_MS });
    expect(h.send('4.6.1', period).body!.entries).toEqual([]);
    expect(h.send('4.8.1', { startMs: now - DAY_MS, endMs: now }).body!.valuesWh).toEqual([]);
  });

  it('refuses a malformed restriction', () => {
    const h = harness();
    let status: number | undefined;
    try {
      h.send('3.2', { restrictionDateTimeMs: -5 });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});
