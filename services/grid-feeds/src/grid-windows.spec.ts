import { GridEventKind } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { GridWindows, SUMMARY_SAMPLE_SIZE, type WindowedEvent } from './grid-windows.js';

const A = '90-B3-D5-1F-30-02-00-00';
const B = '90-B3-D5-1F-30-02-00-01';
const at = (
  mpxn: string,
  kind: GridEventKind,
  feeder = 'SS-1-F1',
  dno = A,
  substation = 'SS-1',
): WindowedEvent => ({ networkOperatorId: dno, feeder, substation, mpxn, kind });
const OUT = GridEventKind.GRID_EVENT_KIND_OUTAGE;
const BACK = GridEventKind.GRID_EVENT_KIND_RESTORE;
const VOLT = GridEventKind.GRID_EVENT_KIND_VOLTAGE;

describe('feeder windows', () => {
  it('summarises a storm of any size on one feeder as one event per window', () => {
    const w = new GridWindows(0);
    for (let i = 0; i < 5_000; i++) w.record(at(`m${i}`, OUT));
    const [summary, ...rest] = w.closeWindow(10_000);
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({
      networkOperatorId: A,
      feeder: 'SS-1-F1',
      substation: 'SS-1',
      windowStartMs: 0,
      windowEndMs: 10_000,
      outages: 5_000,
      restores: 0,
      metersOffSupply: 5_000,
    });
    expect(summary!.sampleMpxns).toHaveLength(SUMMARY_SAMPLE_SIZE);
    // Half come back in the next window; a quiet window gives nothing.
    for (let i = 0; i < 2_500; i++) w.record(at(`m${i}`, BACK));
    expect(w.closeWindow(20_000)).toMatchObject([
      { windowStartMs: 10_000, outages: 0, restores: 2_500, metersOffSupply: 2_500, sampleMpxns: [] },
    ]);
    expect(w.closeWindow(30_000)).toEqual([]);
  });

  it('keeps feeders of different network operators apart, and voltage events out of outage summaries', () => {
    const w = new GridWindows(0);
    w.record(at('a', OUT, 'F1', A));
    w.record(at('b', OUT, 'F1', B));
    w.record(at('c', VOLT, 'F2', A));
    const summaries = w.closeWindow(1);
    expect(summaries.map((s) => [s.networkOperatorId, s.feeder, s.outages])).toEqual([
      [A, 'F1', 1],
      [B, 'F1', 1],
    ]);
  });

  it('aggregates per feeder and per substation, and forgets feeders with nothing to report', () => {
    const w = new GridWindows(0);
    w.record(at('a', OUT, 'SS-1-F1'));
    w.record(at('a', VOLT, 'SS-1-F1'));
    w.record(at('b', OUT, 'SS-1-F2'));
    w.record(at('b', BACK, 'SS-1-F2'));
    w.record(at('c', VOLT, 'SS-2-F1', A, 'SS-2'));
    const first = w.closePeriod(60_000);
    expect(
      first.map((a) => [
        a.feeder || a.substation,
        a.metersOffSupply,
        a.outages,
        a.restores,
        a.voltageEvents,
        a.metersReporting,
      ]),
    ).toEqual([
      ['SS-1-F1', 1, 1, 0, 1, 1],
      ['SS-1-F2', 0, 1, 1, 0, 1],
      ['SS-2-F1', 0, 0, 0, 1, 1],
      ['SS-1', 1, 2, 1, 1, 2],
      ['SS-2', 0, 0, 0, 1, 1],
    ]);
    // Next period: only the feeder with a meter still off supply (and its substation) reports.
    const second = w.closePeriod(120_000);
    expect(second.map((a) => [a.feeder, a.substation, a.metersOffSupply, a.windowStartMs])).toEqual([
      ['SS-1-F1', 'SS-1', 1, 60_000],
      ['', 'SS-1', 1, 60_000],
    ]);
  });
});
