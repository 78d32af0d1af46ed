// Per ESME variant: 6.5's single-phase averages and poly-phase per-phase settings each fit one kind of ESME, and
// the other refuses them with WRONG_ESME_VARIANT, changing nothing; 6.2.1 reads back what the variant holds.
import { ESME_VARIANTS, isPolyPhase, type EsmeVariant, type Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-07' as Eui64;
const at = Date.UTC(2026, 2, 2);
// DCC's ECS29b phases (volts, seconds).
const PHASES = [
  { phase: 1, averageOverV: 264, averageUnderV: 200, averagePeriodS: 30 },
  { phase: 2, averageOverV: 126, averageUnderV: 96, averagePeriodS: 30 },
  { phase: 3, averageOverV: 126, averageUnderV: 96, averagePeriodS: 30 },
];
const RMS = { extremeOverV: 287, extremeUnderV: 180, sagV: 216, swellV: 253 };

describe.each(ESME_VARIANTS.map((v) => [v] as [EsmeVariant]))('an ESME of variant %s', (esmeVariant) => {
  const poly = isPolyPhase(esmeVariant);

  it(`${poly ? 'takes' : 'refuses'} poly-phase settings and ${poly ? 'refuses' : 'takes'} single-phase averages`, () => {
    const h = new MeterHarness(id, 0, at, { esmeVariant });
    const perPhase = h.send('6.5', { ...RMS, phases: PHASES });
    const single = h.send('6.5', { averageOverV: 260, averageUnderV: 205, averagePeriodS: 60 });
    const [fits, misfits] = poly ? [perPhase, single] : [single, perPhase];
    expect(fits.outcome).toBe('executed');
    expect(misfits).toMatchObject({ outcome: 'rejected', rejection: { reason: 'WRONG_ESME_VARIANT' } });
    const read = h.send('6.2.1').body!;
    if (poly) {
      expect(read.phases).toEqual(PHASES);
      expect(read).toMatchObject({ averageOverV: 264, averageUnderV: 200, averagePeriodS: 30, ...RMS });
    } else {
      expect(read.phases).toEqual([]);
      expect(read).toMatchObject({ averageOverV: 260, averageUnderV: 205, averagePeriodS: 60 });
    }
  });

  it('takes the RMS extreme, sag and swell settings whatever its variant', () => {
    const h = new MeterHarness(id, 0, at, { esmeVariant });
    expect(h.send('6.5', { sagV: 210, swellV: 250 }).outcome).toBe('executed');
  });
});

describe('a poly-phase ESME', () => {
  it('keeps the phases a 6.5 does not name, survives a save and restore, and refuses phases out of order', () => {
    const h = new MeterHarness(id, 0, at, { esmeVariant: 'CD' });
    h.send('6.5', { ...RMS, phases: PHASES });
    h.send('6.5', { phases: [{ phase: 2, averageOverV: 130, averageUnderV: 100, averagePeriodS: 60 }] });
    h.reload();
    const restored = h;
    const phases = restored.send('6.2.1').body!.phases;
    expect(phases.map((p) => [p.phase, p.averageOverV, p.averagePeriodS])).toEqual([
      [1, 264, 30],
      [2, 130, 60],
      [3, 126, 30],
    ]);
    expect(() =>
      restored.send('6.5', {
        phases: [{ phase: 3, averageOverV: 90, averageUnderV: 95, averagePeriodS: 30 }],
      }),
    ).toThrow(/phase 3/);
  });
});

describe('6.2.2 Read Device Configuration (Randomisation)', () => {
  it('answers the 7.12 limit and, per switch, the offset it draws within it', () => {
    const h = new MeterHarness(id, 0, at);
    expect(h.send('6.2.2').body).toMatchObject({
      randomisedOffsetLimitS: 0,
      switchOffsets: [1, 2, 3, 4, 5].map((switchIndex) => ({ switchIndex, randomisedOffsetS: 0 })),
      meterTimeMs: at,
    });
    h.send('7.12', { randomisedOffsetLimitS: 1_800 });
    const body = h.send('6.2.2').body!;
    expect(body.randomisedOffsetLimitS).toBe(1_800);
    for (const { randomisedOffsetS } of body.switchOffsets) {
      expect(
        Number.isInteger(randomisedOffsetS) && randomisedOffsetS >= 0 && randomisedOffsetS <= 1_800,
      ).toBe(true);
    }
    // Fixed per device and switch: the same reading again.
    expect(h.send('6.2.2').body!.switchOffsets).toEqual(body.switchOffsets);
  });
});
