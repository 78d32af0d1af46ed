import { calendarMonthOf, type CalendarMonth } from '@dcc/domain';
import { PerformanceMeasure } from '@dcc/proto';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { accountingCsv, performanceCsv } from './csv.js';
import { monthlyPerformance, serviceAccounting } from './reports.js';
import { applyFacts, blockKey, BLOCK_SIZE, sumRows, type Fact } from './tally.js';

const MONTH = calendarMonthOf(Date.UTC(2026, 11, 3));
const A = '90-B3-D5-1F-30-01-00-00';
const B = '90-B3-D5-1F-30-01-00-01';

const decision = (seq: number, user: string, srv: string, outcome: string, month = MONTH): Fact => ({
  kind: 'decision',
  seq,
  month,
  user,
  srv,
  outcome,
});
const response = (seq: number, user: string, srv: string, withinTrt: boolean, measure: 1 | 2 = 1): Fact => ({
  kind: 'response',
  seq,
  month: MONTH,
  user,
  srv,
  measure,
  withinTrt,
});

describe('a tally block', () => {
  it('counts accepted, refused by code and delivered per User and SRV', () => {
    const { block, added } = applyFacts(undefined, [
      decision(1, A, '4.1.1', 'I99'),
      decision(2, A, '4.1.1', 'I0'),
      decision(3, A, '4.1.1', 'E4'),
      decision(4, A, '4.1.1', 'E4'),
      decision(5, B, '7.1', 'grpc-7'),
      response(6, A, '4.1.1', true),
      response(7, A, '4.1.1', false),
      response(8, A, '4.6.1', true, 2),
    ]);
    expect(added).toBe(8);
    expect(block.rows[A]!['4.1.1']).toEqual({
      accepted: 2,
      refused: { E4: 2 },
      delivered: 2,
      trt: { '1': [2, 1] },
    });
    expect(block.rows[A]!['4.6.1']!.trt).toEqual({ '2': [1, 1] });
    expect(block.rows[B]!['7.1']!.refused).toEqual({ 'grpc-7': 1 });
  });

  it('does not count a redelivered message twice, and adds what is new beside it', () => {
    const first = applyFacts(undefined, [decision(10, A, '4.1.1', 'I99'), decision(11, A, '4.1.1', 'I99')]);
    const again = applyFacts(first.block, [decision(11, A, '4.1.1', 'I99'), decision(12, A, '4.1.1', 'E19')]);
    expect(again.added).toBe(1);
    expect(again.block.rows[A]!['4.1.1']).toMatchObject({ accepted: 2, refused: { E19: 1 } });
    expect(applyFacts(again.block, [decision(10, A, '4.1.1', 'I99')]).added).toBe(0);
    // The first block is left as it was: a lost compare-and-set retries from what is stored.
    expect(first.block.rows[A]!['4.1.1']!.refused).toEqual({});
  });

  it('keys blocks by month, source, kind of fact and run of sequences', () => {
    expect(blockKey('accounting', decision(BLOCK_SIZE - 1, A, '4.1.1', 'E4'))).toBe(
      `${MONTH}.accounting.decision.0`,
    );
    expect(blockKey('responses', decision(BLOCK_SIZE, A, '4.1.1', 'I99'))).toBe(
      `${MONTH}.responses.decision.1`,
    );
    // A response's delivery and its request's acceptance share a sequence, never a block.
    expect(blockKey('responses', response(BLOCK_SIZE, A, '4.1.1', true))).toBe(
      `${MONTH}.responses.response.1`,
    );
    const november = calendarMonthOf(Date.UTC(2026, 10, 30, 23, 59)) as CalendarMonth;
    expect(blockKey('accounting', decision(5, A, '4.1.1', 'E4', november))).toBe(
      '2026-11.accounting.decision.0',
    );
  });

  it('sums blocks into a month', () => {
    const one = applyFacts(undefined, [decision(1, A, '4.1.1', 'I99'), response(2, A, '4.1.1', true)]);
    const two = applyFacts(undefined, [
      decision(BLOCK_SIZE, A, '4.1.1', 'E4'),
      response(BLOCK_SIZE + 1, A, '4.1.1', false),
    ]);
    expect(sumRows([one.block.rows, two.block.rows])[A]!['4.1.1']).toEqual({
      accepted: 1,
      refused: { E4: 1 },
      delivered: 2,
      trt: { '1': [2, 1] },
    });
  });
});

describe('the reports', () => {
  const rows = applyFacts(undefined, [
    decision(1, B, '4.1.1', 'I99'),
    decision(2, A, '4.1.1', 'I99'),
    decision(3, A, '4.1.1', 'E4'),
    response(4, A, '4.1.1', true),
    response(5, B, '4.1.1', true),
    response(6, B, '4.1.1', false),
    response(7, A, '4.3', true),
    response(8, A, '4.6.1', false, 2),
  ]).block.rows;

  it('gives the share within TRT per measure, in all and per SRV across Users', () => {
    const report = monthlyPerformance(MONTH, rows);
    expect(report.measures).toEqual([
      {
        measure: PerformanceMeasure.PERFORMANCE_MEASURE_ON_DEMAND,
        total: { responses: 4, withinTrt: 3, shareWithinTrt: 0.75 },
        srvs: [
          { serviceReferenceVariant: '4.1.1', share: { responses: 3, withinTrt: 2, shareWithinTrt: 2 / 3 } },
          { serviceReferenceVariant: '4.3', share: { responses: 1, withinTrt: 1, shareWithinTrt: 1 } },
        ],
      },
      {
        measure: PerformanceMeasure.PERFORMANCE_MEASURE_FUTURE_DATED,
        total: { responses: 1, withinTrt: 0, shareWithinTrt: 0 },
        srvs: [
          { serviceReferenceVariant: '4.6.1', share: { responses: 1, withinTrt: 0, shareWithinTrt: 0 } },
        ],
      },
    ]);
  });

  it('gives accounting rows ordered by User and SRV, or one User only', () => {
    const all = serviceAccounting(MONTH, rows);
    expect(all.rows.map((r) => [r.userId, r.serviceReferenceVariant])).toEqual([
      [A, '4.1.1'],
      [A, '4.3'],
      [A, '4.6.1'],
      [B, '4.1.1'],
    ]);
    expect(all.rows[0]).toEqual({
      userId: A,
      serviceReferenceVariant: '4.1.1',
      accepted: 1,
      refused: 1,
      refusals: [{ responseCode: 'E4', count: 1 }],
      responsesDelivered: 1,
    });
    expect(serviceAccounting(MONTH, rows, B).rows).toHaveLength(1);
  });

  it('writes both as CSV that parses back to the same figures', () => {
    const performance = parse(performanceCsv(monthlyPerformance(MONTH, rows)), { columns: true }) as Record<
      string,
      string
    >[];
    expect(performance[0]).toEqual({
      month: MONTH,
      measure: '1',
      srv: 'all',
      responses: '4',
      within_trt: '3',
      share_within_trt: '0.75',
    });
    expect(performance).toHaveLength(5);
    const accounting = parse(accountingCsv(serviceAccounting(MONTH, rows)), { columns: true }) as Record<
      string,
      string
    >[];
    expect(accounting[0]).toMatchObject({
      user_id: A,
      srv: '4.1.1',
      accepted: '1',
      refused: '1',
      refusals: 'E4:1',
    });
  });
});
