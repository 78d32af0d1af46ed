import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';
import { REACTIVE_VARH_PER_WH } from './reactive-profile.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2);
const DAY = 86_400_000;

describe('4.8.2 reactive import profile', () => {
  it.each([
    ['a SMETS2 ESME', { generation: 'SMETS2' }],
    ['a SMETS1 ESME', { generation: 'SMETS1' }],
    ['an ESME with export', { hasExport: true }],
  ] as const)('%s: one varh value per half hour, following the active import of 4.8.1', (_, options) => {
    const h = new MeterHarness(id, 0, start, options);
    h.clock.advance(2 * DAY);
    const period = { startMs: start, endMs: start + DAY };
    const reactive = h.send('4.8.2', period).body!;
    const active = h.send('4.8.1', period).body!;
    expect(reactive.firstSlotStartMs).toBe(active.firstSlotStartMs);
    expect(reactive.valuesVarh).toHaveLength(48);
    expect(reactive.valuesVarh).toEqual(active.valuesWh.map((wh) => Math.round(wh * REACTIVE_VARH_PER_WH)));
    expect(reactive.valuesVarh.some((v) => v > 0)).toBe(true);
  });

  it('no reactive import while the supply is off', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('7.2');
    h.clock.advance(DAY);
    expect(
      h.send('4.8.2', { startMs: start, endMs: start + DAY }).body!.valuesVarh.every((v) => v === 0),
    ).toBe(true);
  });

  it('refuses a period longer than 31 days or ending before it starts', () => {
    const h = new MeterHarness(id, 0, start);
    expect(() => h.send('4.8.2', { startMs: start, endMs: start + 32 * DAY })).toThrow();
    expect(() => h.send('4.8.2', { startMs: start, endMs: start - 1 })).toThrow();
  });
});
