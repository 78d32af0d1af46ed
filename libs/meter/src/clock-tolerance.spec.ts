// 6.11 Synchronise Clock and 8.1.1 Commission Device carry DUIS's TolerancePeriod: the device takes the new time only
// while its own clock is within that many seconds of it (the adjustment's validity window), else it refuses and keeps
// its clock. The harness's clock is moved by hand, so the window is tested at its edges, not by wall-time luck.
import { describe, expect, it } from 'vitest';
import type { Eui64 } from '@dcc/domain';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-01' as Eui64;
const at = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('clock adjustment within the TolerancePeriod', () => {
  it.each(['6.11', '8.1.1'] as const)('%s sets the clock at both edges of the window', (srv) => {
    const h = new MeterHarness(id, 0, at);
    expect(h.send(srv, { timeMs: at + 60_000, toleranceS: 60 })).toMatchObject({
      outcome: 'executed',
      body: { meterTimeMs: at + 60_000, clockOffsetMs: 60_000 },
    });
    // The device clock now reads at + 60 s; 60 s earlier is the window's other edge.
    expect(h.send(srv, { timeMs: at, toleranceS: 60 })).toMatchObject({
      outcome: 'executed',
      body: { meterTimeMs: at, clockOffsetMs: 0 },
    });
  });

  it.each(['6.11', '8.1.1'] as const)('%s refuses one millisecond outside and keeps its clock', (srv) => {
    const h = new MeterHarness(id, 0, at, { commissioned: srv !== '8.1.1' });
    const before = h.meter.toState();
    for (const timeMs of [at + 60_001, at - 60_001]) {
      expect(h.send(srv, { timeMs, toleranceS: 60 })).toMatchObject({
        outcome: 'rejected',
        rejection: { reason: 'CLOCK_OUTSIDE_TOLERANCE', message: /outside the TolerancePeriod of 60 s/ },
      });
    }
    // Neither the clock nor (for 8.1.1) the commissioning changed; only the request counters moved on.
    const { rc: _counters, ...after } = h.meter.toState() as unknown as Record<string, unknown>;
    expect(after).toEqual(before);
  });

  it('judges the window by the device clock, which drifts from the hub clock after an adjustment', () => {
    const h = new MeterHarness(id, 0, at);
    h.send('6.11', { timeMs: at - 3_600_000, toleranceS: 3_600 });
    h.clock.advance(10 * 60_000);
    // Hub time at + 10 min, device time at − 50 min: a sync to hub time is 3,600 s away.
    expect(h.send('6.11', { timeMs: h.clock.ms, toleranceS: 3_599 }).outcome).toBe('rejected');
    expect(h.send('6.11', { timeMs: h.clock.ms, toleranceS: 3_600 })).toMatchObject({
      outcome: 'executed',
      body: { clockOffsetMs: 0 },
    });
  });

  it("refuses DCC's published ECS70 time (2014) on a meter whose clock reads today", () => {
    const h = new MeterHarness(id, 0, at);
    const sample = Date.parse('2014-12-31T23:59:10.00Z');
    expect(h.send('6.11', { timeMs: sample, toleranceS: 60 }).outcome).toBe('rejected');
  });

  it('refuses a command without a tolerance as malformed', () => {
    const h = new MeterHarness(id, 0, at);
    expect(() => h.send('6.11', { timeMs: at } as never)).toThrow(/toleranceS/);
    expect(() => h.send('6.11', { timeMs: at, toleranceS: 0 })).toThrow(/toleranceS/);
  });
});
