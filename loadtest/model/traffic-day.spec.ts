import { describe, expect, it } from 'vitest';
import { hourlyRate } from './day-shapes.ts';
import { trafficDay } from './traffic-day.ts';

describe('the 30 M estate’s day', () => {
  const day = trafficDay();

  it('scales the published 2.2 bn messages a month for 32 M meters to 30 M meters, 60 % of them reads', () => {
    expect(day.messagesPerDay).toBeCloseTo((2.2e9 / 32e6 / 30.4375) * 30e6, 0);
    expect(Math.round(day.messagesPerDay / 86_400)).toBe(784);
    expect(day.readsPerDay / day.messagesPerDay).toBeCloseTo(0.6, 10);
  });

  it('collects every meter once a night and leaves the rest of the reads on demand', () => {
    expect(day.perDay['nightly-collection']).toBe(30e6);
    const onDemand = day.perDay['on-demand-reads'] + day.perDay['on-demand-profile'];
    expect(onDemand + 30e6).toBeCloseTo(day.readsPerDay, 3);
  });

  it('accounts for every message: generated scenarios plus the SRVs not generated', () => {
    const generated = Object.values(day.perDay).reduce((a, b) => a + b, 0);
    expect(generated + day.notGeneratedPerDay).toBeCloseTo(day.messagesPerDay, 3);
    expect(day.notGeneratedPerDay).toBeGreaterThan(0);
  });

  it('reports alerts at the 2022 rate per meter (1.6 bn a month for 21 M meters)', () => {
    expect(day.deviceAlertsPerDay).toBeCloseTo((1.6e9 / 21e6 / 30.4375) * 30e6, 0);
  });

  it('spreads each scenario over the day so the hours add up to its daily count', () => {
    for (const [name, perDay] of Object.entries(day.perDay)) {
      let sum = 0;
      for (let h = 0; h < 24; h++) sum += hourlyRate(name as keyof typeof day.perDay, perDay, h) * 3600;
      expect(sum).toBeCloseTo(perDay, 3);
    }
    // The nightly collection: 30 M in a four-hour window, ~2,083 per second, none in the day.
    expect(hourlyRate('nightly-collection', 30e6, 2)).toBeCloseTo(30e6 / 4 / 3600, 6);
    expect(hourlyRate('nightly-collection', 30e6, 12)).toBe(0);
  });

  it('scales linearly with the estate', () => {
    expect(trafficDay(3_000).perDay['top-ups']).toBeCloseTo(day.perDay['top-ups'] / 10_000, 6);
  });
});
