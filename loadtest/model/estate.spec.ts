import { describe, expect, it } from 'vitest';
import { SimulatedFleet } from '@dcc/meter';
import { ESTATE_METERS, meterId, meterIndex } from './estate.ts';
import { topUpNumber } from './top-ups.ts';

describe('meter-id derivation', () => {
  it('gives the simulated fleet’s device ids, up to the 30 M estate', () => {
    const fleet = new SimulatedFleet(ESTATE_METERS);
    for (const i of [0, 1, 255, 65_536, 12_345_678, ESTATE_METERS - 1])
      expect(meterId(i)).toBe(fleet.deviceId(i));
    expect(meterId(ESTATE_METERS - 1)).toBe('00-DB-12-00-01-C9-C3-7F');
    expect(() => meterId(-1)).toThrow(RangeError);
  });

  it('hits every meter of the estate exactly once per pass, whatever the estate size', () => {
    for (const size of [1, 7, 2_000, 5_000, 7_368_787 * 2, 99_991]) {
      const seen = new Uint8Array(size);
      for (let i = 0; i < size; i++) seen[meterIndex(i, size, 17)]!++;
      expect(seen.every((n) => n === 1)).toBe(true);
    }
  });

  it('spreads consecutive iterations over the estate and stays exact over 30 M meters', () => {
    const a = meterIndex(1_000_000_000, ESTATE_METERS);
    const b = meterIndex(1_000_000_001, ESTATE_METERS);
    expect(Math.abs(a - b)).toBeGreaterThan(1_000_000);
    expect(Number.isInteger(a) && a >= 0 && a < ESTATE_METERS).toBe(true);
    expect(meterIndex(ESTATE_METERS + 5, ESTATE_METERS)).toBe(meterIndex(5, ESTATE_METERS));
  });

  it('counts top-ups of a meter pass by pass', () => {
    expect(topUpNumber(0, 100)).toBe(1);
    expect(topUpNumber(99, 100)).toBe(1);
    expect(topUpNumber(100, 100)).toBe(2);
  });
});
