import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';
import { DEFAULT_SUB_GHZ_CONFIG, type SubGhzConfig } from './sub-ghz.js';

const start = Date.UTC(2026, 2, 2, 9);
const HOUR_MS = 3_600_000;
const chf = () => new MeterHarness('00-DB-12-34-56-78-90-A2' as Eui64, 0, start, { deviceType: 'CHF' });
const config = (changes: Partial<SubGhzConfig>): SubGhzConfig => ({
  ...DEFAULT_SUB_GHZ_CONFIG,
  lowerBandChannels0To26: [1, 2],
  lowerBandChannels27To34: [28, 29],
  lowerBandChannels35To61: [36, 37],
  upperBandChannels0To26: [1, 2],
  ...changes,
});

describe('the CHF Sub-GHz radio (6.28-6.32)', () => {
  it('6.30 reads the defaults, then what 6.28 set, kept across a reload', () => {
    const h = chf();
    expect(h.send('6.30').body?.configuration).toEqual(DEFAULT_SUB_GHZ_CONFIG);
    expect(h.send('6.28', config({ gsmeCurfew: 9 })).body?.configuration.gsmeCurfew).toBe(9);
    h.reload();
    expect(h.send('6.30').body?.configuration).toEqual(config({ gsmeCurfew: 9 }));
  });

  it('6.28 moves the CHF off a channel it no longer enables; 6.31 and 6.32 show it', () => {
    const h = chf();
    const before = h.send('6.31').body!.channel;
    const only = before.channel === 5 && !before.upperBand ? 6 : 5;
    h.clock.advance(HOUR_MS);
    h.send(
      '6.28',
      config({
        lowerBandChannels0To26: [only],
        lowerBandChannels27To34: [],
        lowerBandChannels35To61: [],
        upperBandChannels0To26: [],
      }),
    );
    expect(h.send('6.31').body?.channel).toEqual({ upperBand: false, channel: only });
    const log = h.send('6.32', { startMs: start, endMs: start + 2 * HOUR_MS }).body!.changes;
    expect(log).toEqual([{ atMs: start + HOUR_MS, channel: { upperBand: false, channel: only } }]);
    expect(
      h.send('6.32', { startMs: start + 2 * HOUR_MS, endMs: start + 3 * HOUR_MS }).body?.changes,
    ).toEqual([]);
  });

  it('6.29 scans onto an enabled channel, and stops moving at the weekly maximum of channel changes', () => {
    const h = chf();
    const enabled = config({ maximumChannelChangesPerWeek: 2 });
    h.send('6.28', enabled);
    let moves = 0;
    for (let hour = 0; hour < 48; hour++) {
      h.clock.advance(HOUR_MS);
      const scanned = h.send('6.29').body!;
      const list = scanned.channel.upperBand ? enabled.upperBandChannels0To26 : [1, 2, 28, 29, 36, 37];
      expect(list).toContain(scanned.channel.channel);
      if (scanned.changed) moves++;
    }
    // The move 6.28 may have made counts too.
    const week = h.send('6.32', { startMs: start, endMs: start + 49 * HOUR_MS }).body!.changes.length;
    expect(week).toBeLessThanOrEqual(2);
    expect(moves).toBeGreaterThan(0);
    expect(moves).toBeLessThanOrEqual(2);
  });

  it('refuses a configuration without a channel, a channel out of its group, a bad period; only a CHF takes them', () => {
    const h = chf();
    const none = config({
      lowerBandChannels0To26: [],
      lowerBandChannels27To34: [],
      lowerBandChannels35To61: [],
      upperBandChannels0To26: [],
    });
    expect(() => h.send('6.28', none)).toThrow(/enables no channel/);
    expect(() => h.send('6.28', config({ lowerBandChannels27To34: [3] }))).toThrow(/lowerBandChannels27To34/);
    expect(() => h.send('6.32', { startMs: start, endMs: start })).toThrow(/end after it starts/);
    const esme = new MeterHarness('00-DB-12-34-56-78-90-A0' as Eui64, 0, start);
    expect(() => esme.send('6.31')).toThrow(/does not take it/);
  });
});
