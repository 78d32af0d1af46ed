import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { ConsumptionModel } from './consumption-model.js';
import { DeviceModel, meterProfile } from './device-model.js';
import { initialState, type MeterState } from './meter-state.js';
import { MAX_OFF_INTERVALS } from './metering.js';
import { DEFAULT_TARIFF } from './tariff.js';
import { DAY_MS, HALF_HOUR_MS } from './time.js';

const start = Date.UTC(2026, 2, 2);
const device = (n: number, hasExport = false) =>
  new DeviceModel(
    `00-DB-12-00-00-00-01-${n.toString(16).padStart(2, '0').toUpperCase()}` as Eui64,
    3,
    meterProfile({ hasExport }),
  );

/** xorshift32 in [0, 1). */
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Toggles the supply at random instants, recording off intervals as the device does; also returns them all. */
function withOutagesAndLog(d: DeviceModel, seed: number, toggles: number) {
  const state = initialState();
  const all: [number, number][] = [];
  const next = random(seed);
  let t = start;
  for (let i = 0; i < toggles; i++) {
    t += 1 + Math.floor(next() * 2 * DAY_MS);
    state.supply = state.supply === 'enabled' ? 'disabled' : 'enabled';
    d.metering.recordSupply(state, t);
    if (state.supply === 'disabled') all.push([t, t]);
    else all.at(-1)![1] = t;
  }
  return { state, all };
}

function withOutages(d: DeviceModel, seed: number, toggles: number): MeterState {
  return withOutagesAndLog(d, seed, toggles).state;
}

describe('Metering', () => {
  it('with the default tariff and no outages equals ConsumptionModel exactly', () => {
    for (let n = 0; n < 10; n++) {
      const d = device(n);
      const model = new ConsumptionModel(d.deviceId, 3);
      const state = initialState();
      // The same tariff given explicitly takes the general table-driven path rather than the model's shortcut.
      const explicit = { ...initialState(), tariff: DEFAULT_TARIFF };
      for (const t of [
        0,
        start,
        start + 7 * HALF_HOUR_MS + 123,
        start + 40 * DAY_MS + 1,
        start + 5 * DAY_MS + 9,
      ]) {
        expect(d.metering.touRegistersWh(state, t)).toEqual(model.touRegistersWh(t));
        expect(d.metering.touRegistersWh(explicit, t)).toEqual(model.touRegistersWh(t));
        expect(d.metering.importTotalWh(state, t)).toBe(model.totalImportWh(t));
        expect(d.metering.importRegistersWh(explicit, t)).toEqual({
          totalWh: model.totalImportWh(t),
          touWh: model.touRegistersWh(t),
        });
      }
    }
  });

  it('property: profile sums equal register advance, across supply interruptions', () => {
    for (let n = 0; n < 20; n++) {
      const d = device(n, n % 2 === 0);
      const state = withOutages(d, n + 1, 1 + (n % 6));
      const from = start + (n % 48) * HALF_HOUR_MS;
      const slots = 48 * (3 + (n % 9));
      const end = from + slots * HALF_HOUR_MS;
      const imported = d.metering.importProfile(state, from, slots).reduce((a, b) => a + b, 0);
      expect(imported).toBe(d.metering.importTotalWh(state, end) - d.metering.importTotalWh(state, from));
      const exported = d.metering.exportProfile(state, from, slots).reduce((a, b) => a + b, 0);
      expect(exported).toBe(d.metering.exportTotalWh(state, end) - d.metering.exportTotalWh(state, from));
      const tou = d.metering.touRegistersWh(state, end);
      expect(d.consumption.initialWh + tou.reduce((a, b) => a + b, 0)).toBe(
        d.metering.importTotalWh(state, end),
      );
    }
  });

  it('delivers nothing while the supply is off, and the half hour ending at re-energising counts as off', () => {
    const d = device(1);
    const state = initialState();
    const off = start + 10 * HALF_HOUR_MS + 60_000;
    const on = start + 14 * HALF_HOUR_MS;
    state.supply = 'disabled';
    d.metering.recordSupply(state, off);
    state.supply = 'enabled';
    d.metering.recordSupply(state, on);
    const profile = d.metering.importProfile(state, start + 9 * HALF_HOUR_MS, 6);
    expect(profile.slice(0, 1).every((wh) => wh > 0)).toBe(true);
    expect(profile.slice(1, 5)).toEqual([0, 0, 0, 0]);
    expect(profile[5]).toBeGreaterThan(0);
    expect(d.metering.importTotalWh(state, on)).toBe(d.metering.importTotalWh(state, off + 1));
  });

  it('keeps at most MAX_OFF_INTERVALS intervals; older ones fold into totals without changing any register', () => {
    const d = device(2);
    const { state, all } = withOutagesAndLog(d, 99, 2 * MAX_OFF_INTERVALS + 6);
    expect(all).toHaveLength(MAX_OFF_INTERVALS + 3);
    expect(state.offIntervals).toHaveLength(MAX_OFF_INTERVALS);
    expect(state.logHorizonMs).toBe(all[2]![1]);
    const later = all.at(-1)![1] + 3 * DAY_MS + 17;
    for (const t of [state.logHorizonMs, all[5]![0] + 1, later]) {
      const unsupplied = all
        .filter(([from]) => from < t)
        .reduce(
          (wh, [from, to]) => wh + d.imports.cumulative(Math.min(to, t)) - d.imports.cumulative(from),
          0,
        );
      const expected = d.consumption.initialWh + d.imports.cumulative(t) - unsupplied;
      expect(d.metering.importTotalWh(state, t)).toBe(expected);
    }
    const tou = d.metering.touRegistersWh(state, later);
    expect(d.consumption.initialWh + tou.reduce((a, b) => a + b, 0)).toBe(
      d.metering.importTotalWh(state, later),
    );
  });

  it('reports zero export for premises without generation, and daylight-only export otherwise', () => {
    const plain = device(3);
    const solar = device(3, true);
    const state = initialState();
    expect(plain.metering.exportTotalWh(state, start + DAY_MS)).toBe(0);
    expect(plain.metering.exportProfile(state, start, 48).every((wh) => wh === 0)).toBe(true);
    const day = solar.metering.exportProfile(state, start, 48);
    expect(day.slice(0, 12).every((wh) => wh === 0)).toBe(true);
    expect(day[26]).toBeGreaterThan(0);
  });
});
