import { describe, expect, it } from 'vitest';
import { ConsumptionModel, HALF_HOUR_MS } from './consumption-model.js';

const DAY = 48 * HALF_HOUR_MS;
const start = Date.UTC(2026, 10, 2);

describe('ConsumptionModel', () => {
  it('is deterministic per meter and seed, and differs between meters', () => {
    const a = new ConsumptionModel('00-DB-12-00-00-00-00-01', 7);
    const again = new ConsumptionModel('00-DB-12-00-00-00-00-01', 7);
    const other = new ConsumptionModel('00-DB-12-00-00-00-00-02', 7);
    expect(again.dayProfile(start)).toEqual(a.dayProfile(start));
    expect(other.dayProfile(start)).not.toEqual(a.dayProfile(start));
    expect(new ConsumptionModel('00-DB-12-00-00-00-00-01', 8).dayProfile(start)).not.toEqual(
      a.dayProfile(start),
    );
  });

  it('profile sums equal the register advance, over any span of whole half hours', () => {
    for (let m = 0; m < 50; m++) {
      const model = new ConsumptionModel(`00-DB-12-00-00-00-00-${m.toString(16).padStart(2, '0')}`, 1);
      const from = start + (m % 48) * HALF_HOUR_MS;
      const halfHours = 1 + ((m * 97) % 1_000);
      let sum = 0;
      for (let i = 0; i < halfHours; i++) sum += model.halfHourWh(from + i * HALF_HOUR_MS);
      expect(model.totalImportWh(from + halfHours * HALF_HOUR_MS) - model.totalImportWh(from)).toBe(sum);
    }
  });

  it('registers never decrease and TOU registers add up to the total advance', () => {
    const model = new ConsumptionModel('00-DB-12-00-00-00-AB-CD');
    let previous = model.totalImportWh(start);
    for (let t = start; t < start + 20 * DAY; t += 7 * 60 * 1000) {
      const total = model.totalImportWh(t);
      expect(total).toBeGreaterThanOrEqual(previous);
      const [dayRate, nightRate] = model.touRegistersWh(t);
      expect(model.initialWh + dayRate + nightRate).toBe(total);
      previous = total;
    }
  });

  it('gives plausible domestic figures: 1.8–6 MWh a year, more in the evening than at night', () => {
    const model = new ConsumptionModel('00-DB-12-00-00-00-12-34');
    const year = model.totalImportWh(start + 365 * DAY) - model.totalImportWh(start);
    expect(year).toBeGreaterThan(1_200_000);
    expect(year).toBeLessThan(8_000_000);
    const profile = model.dayProfile(start);
    expect(profile).toHaveLength(48);
    expect(profile[36]!).toBeGreaterThan(profile[6]!);
  });
});
