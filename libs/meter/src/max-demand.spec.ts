import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';
import { DEFAULT_POWER_THRESHOLDS_W } from './commands/demand-commands.js';
import { HALF_HOUR_MS } from './time.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);
const DAY = 86_400_000;

/** The highest half-hour demand (W) of the import profile over [from, to), and its half hour. */
function profileMax(h: MeterHarness, from: number, to: number, inWindow = (_slot: number) => true) {
  let best = { powerW: 0, atMs: 0 };
  for (let t = from; t < to; t += DAY) {
    const profile = h.send('4.8.1', { startMs: t, endMs: Math.min(t + DAY, to) }).body!;
    profile.valuesWh.forEach((wh, i) => {
      const slot = profile.firstSlotStartMs + i * HALF_HOUR_MS;
      if (inWindow(slot) && Math.round(wh * 2) > best.powerW)
        best = { powerW: Math.round(wh * 2), atMs: slot };
    });
  }
  return best;
}

describe('maximum demand registers (4.12.1, 4.12.2, 6.18.1, 6.18.2)', () => {
  it('4.12.1: the highest half-hour demand since the reset, as the import profile shows it', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.18.2', { registers: ['import'] });
    h.clock.advance(3 * DAY);
    const read = h.send('4.12.1').body!;
    expect(read.activePowerImport).toEqual(profileMax(h, start - (start % HALF_HOUR_MS), h.clock.ms));
    expect(read.activePowerImport.powerW).toBeGreaterThan(0);
    // Nothing set the window: its register counts nothing.
    expect(read.configurableTimeActivePowerImport).toEqual({ powerW: 0, atMs: 0 });
  });

  it('6.18.1: the configurable-time register counts only half hours starting in the daily window', () => {
    const h = new MeterHarness(id, 0, start);
    const set = h.send('6.18.1', { startS: 17 * 3600, endS: 22 * 3600 }).body!;
    expect(set).toMatchObject({ startTimeS: 17 * 3600, endTimeS: 22 * 3600 });
    h.clock.advance(2 * DAY);
    const evening = (slot: number) => {
      const hour = new Date(slot).getUTCHours();
      return hour >= 17 && hour < 22;
    };
    const from = start - (start % HALF_HOUR_MS);
    expect(h.send('4.12.1').body!.configurableTimeActivePowerImport).toEqual(
      profileMax(h, from, h.clock.ms, evening),
    );
  });

  it('6.18.2 zeroes only the registers named; they count again from the next half hour', () => {
    const h = new MeterHarness(id, 0, start, { hasExport: true });
    h.clock.advance(DAY);
    const before = h.send('4.12.1').body!.activePowerImport.powerW;
    const exportBefore = h.send('4.12.2').body!.activePowerExport.powerW;
    expect(before).toBeGreaterThan(0);
    const reset = h.send('6.18.2', { registers: ['import'] }).body!;
    expect(reset.activePowerImport).toEqual({ powerW: 0, atMs: 0 });
    expect(reset.activePowerExport.powerW).toBe(exportBefore);
    h.clock.advance(HALF_HOUR_MS);
    expect(h.send('4.12.1').body!.activePowerImport.powerW).toBeGreaterThan(0);
  });

  it('registers are monotone between resets and survive a reload', () => {
    const h = new MeterHarness(id, 0, start);
    let last = 0;
    for (let day = 0; day < 3; day++) {
      h.clock.advance(DAY);
      h.reload();
      const now = h.send('4.12.1').body!.activePowerImport.powerW;
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });

  it('refuses malformed windows and resets', () => {
    const h = new MeterHarness(id, 0, start);
    expect(() => h.send('6.18.1', { startS: 3600, endS: 3600 })).toThrow(/window/);
    expect(() => h.send('6.18.1', { startS: 100, endS: 3600 })).toThrow(/window/);
    expect(() => h.send('6.18.2', { registers: [] })).toThrow(/at least one/);
  });
});

describe('active power, power thresholds and voltage counters (4.16, 6.12, 6.2.5, 6.27)', () => {
  it('4.16: the demand of the half hour in progress; nothing while the supply is off', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('4.16').body!.activePowerImportW).toBeGreaterThan(0);
    h.send('7.2');
    expect(h.send('4.16').body!.activePowerImportW).toBe(0);
  });

  it('6.2.5 reads the defaults, then what 6.12 set', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('6.2.5').body).toMatchObject({
      lowMediumPowerThresholdW: DEFAULT_POWER_THRESHOLDS_W[0],
      mediumHighPowerThresholdW: DEFAULT_POWER_THRESHOLDS_W[1],
    });
    h.send('6.12', { lowMediumW: 2300, mediumHighW: 4600 });
    h.reload();
    expect(h.send('6.2.5').body).toMatchObject({
      lowMediumPowerThresholdW: 2300,
      mediumHighPowerThresholdW: 4600,
    });
    expect(() => h.send('6.12', { lowMediumW: 4600, mediumHighW: 2300 })).toThrow(/below/);
  });

  it('4.10 with a period: the average RMS voltage of each completed half hour in it, an ESME only', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(DAY);
    const profile = h.send('4.10', { startMs: start, endMs: start + 3 * HALF_HOUR_MS }).body!;
    expect(profile.averageRmsVoltageProfile.map((slot) => slot.startMs)).toEqual([
      start,
      start + HALF_HOUR_MS,
      start + 2 * HALF_HOUR_MS,
    ]);
    for (const slot of profile.averageRmsVoltageProfile) {
      expect(slot.voltageV).toBeGreaterThanOrEqual(224);
      expect(slot.voltageV).toBeLessThanOrEqual(240);
    }
    // Half hours not yet over, a read without a period, and a gas meter list none.
    expect(
      h.send('4.10', { startMs: h.clock.ms, endMs: h.clock.ms + DAY }).body!.averageRmsVoltageProfile,
    ).toEqual([]);
    expect(h.send('4.10').body!.averageRmsVoltageProfile).toEqual([]);
    const gas = new MeterHarness(id, 0, start, { deviceType: 'GSME' });
    gas.clock.advance(DAY);
    expect(gas.send('4.10', { startMs: start, endMs: start + DAY }).body!.averageRmsVoltageProfile).toEqual(
      [],
    );
  });

  it('6.27 zeroes the voltage event counters 4.10 reports', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(3_600_000);
    h.meter.voltageExcursion({ fromMs: start + 1_000, toMs: start + 61_000, rmsVoltageV: 270 });
    expect(h.send('4.10').body!.voltageEvents.swell).toBe(1);
    h.send('6.27');
    expect(h.send('4.10').body!.voltageEvents.swell).toBe(0);
  });

  it('6.5 zeroes the voltage event counters too, unless told to keep them (RMSVoltageCountersNotReset)', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(3_600_000);
    h.meter.voltageExcursion({ fromMs: start + 1_000, toMs: start + 61_000, rmsVoltageV: 270 });
    h.send('6.5', { sagV: 210, keepCounters: true });
    expect(h.send('4.10').body!.voltageEvents.swell).toBe(1);
    h.send('6.5', { sagV: 211 });
    expect(h.send('4.10').body!.voltageEvents.swell).toBe(0);
    expect(() => h.send('6.5', { sagV: 212, keepCounters: 'yes' as never })).toThrow(/keepCounters/);
  });
});
