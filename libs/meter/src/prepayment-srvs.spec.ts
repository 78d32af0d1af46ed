import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { MeterHarness } from './meter-harness.js';
import { PREPAY_LOG_ENTRIES } from './prepay-logs.js';
import { DAY_MS } from './time.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 6);
const all = { startMs: start - DAY_MS, endMs: start + 700 * DAY_MS };
const codes = (alerts: { code: number }[]) => alerts.map((a) => a.code);

/** A meter in prepayment mode with `pence` of credit and time debt recovered at `ratePerDay`. */
function withDebt(pence: number, ratePerDay: number, prepayment: Record<string, unknown> = {}): MeterHarness {
  const h = new MeterHarness(id, 0, start);
  h.send('1.5', { adjustPence: pence });
  h.send('2.3', { timeDebt1Pence: 10_000, timeDebt1RecoveryPencePerDay: ratePerDay });
  expect(h.send('1.6', { mode: 'prepayment', ...prepayment }).outcome).toBe('executed');
  return h;
}

describe('1.5: DUIS PrepaymentMode / CreditMode wrapper', () => {
  it('adjusts or resets the one meter balance whatever the wrapper and the meter mode, and reports the wrapper', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('1.5', { adjustPence: 1_200, balanceMode: 'prepayment' }).body).toMatchObject({
      meterBalancePence: 1_200,
      paymentMode: 'prepayment',
    });
    expect(h.send('1.5', { reset: true, balanceMode: 'credit' }).body).toMatchObject({
      meterBalancePence: 0,
      paymentMode: 'credit',
    });
    expect(h.send('4.18').body).toMatchObject({ meterBalancePence: 0, paymentMode: 'credit' });
    expect(() => h.send('1.5', { adjustPence: 1, balanceMode: 'cash' as never })).toThrow(/balanceMode/);
  });
});

describe('1.6: DUIS Prepayment element', () => {
  it('sets the disablement threshold: a switch with credit below it disables the supply at once', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('1.5', { adjustPence: 500 });
    const switched = h.send('1.6', { mode: 'prepayment', disablementThresholdPence: 556.677 });
    expect(switched.body).toMatchObject({ supply: 'disabled', disablementThresholdPence: 556.677 });
    expect(codes(switched.alerts)).toContain(AlertCode.CREDIT_BELOW_DISABLEMENT_THRESHOLD);
  });

  it('refuses the prepayment settings with mode credit', () => {
    const h = new MeterHarness(id, 0, start);
    expect(() => h.send('1.6', { mode: 'credit', suspendDebtDisabled: true })).toThrow(
      /only with mode prepayment/,
    );
  });

  it('SuspendDebtDisabled: no time-debt recovery while the supply is off; recovery while it is on', () => {
    for (const suspend of [false, true]) {
      const h = withDebt(50_000, 100, { suspendDebtDisabled: suspend });
      h.send('7.2');
      h.clock.advance(3 * DAY_MS);
      const owed = h.send('4.3').body!.timeDebt1Pence;
      expect(owed).toBeCloseTo(suspend ? 10_000 : 9_700, 0);
      // A prepayment meter's supply is armed, then enabled (7.1 on an armed supply).
      h.send('7.3');
      expect(h.send('7.1').body!.supply).toBe('enabled');
      h.clock.advance(DAY_MS);
      expect(h.send('4.3').body!.timeDebt1Pence).toBeCloseTo(owed - 100, 0);
    }
  });

  it('SuspendDebtEmergency: no time-debt recovery while emergency credit is in use', () => {
    for (const suspend of [false, true]) {
      const h = withDebt(100, 100, { suspendDebtEmergency: suspend });
      h.send('2.1', { emergencyCreditThresholdPence: 200, emergencyCreditLimitPence: 5_000 });
      expect(h.send('2.5').outcome).toBe('executed');
      h.clock.advance(2 * DAY_MS);
      expect(h.send('4.3').body!.timeDebt1Pence).toBeCloseTo(suspend ? 10_000 : 9_800, 0);
    }
  });

  it('sent again in prepayment mode, updates the settings without a mode change', () => {
    const h = withDebt(1_000, 10);
    expect(h.send('1.6', { mode: 'prepayment', suspendDebtEmergency: true }).body).toMatchObject({
      paymentMode: 'prepayment',
      suspendDebtEmergency: true,
      suspendDebtDisabled: false,
    });
    expect(h.send('4.13').body).toMatchObject({ suspendDebtEmergency: true, paymentMode: 'prepayment' });
  });
});

describe('4.13 Read Prepayment Configuration', () => {
  it('answers in credit mode with the defaults, then with what 2.1, 1.6 and 2.3 set', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('4.13').body).toMatchObject({
      paymentMode: 'credit',
      debtRecoveryCapPencePerDay: null,
      suspendDebtDisabled: false,
      paymentDebtRecoveryPercent: 0,
    });
    h.send('2.1', { lowCreditThresholdPence: 200, debtRecoveryCapPencePerDay: 0.03 });
    h.send('2.3', { paymentDebtRecoveryPercent: 10 });
    h.send('1.5', { adjustPence: 1_000 });
    h.send('1.6', { mode: 'prepayment', suspendDebtDisabled: true, disablementThresholdPence: 5 });
    expect(h.send('4.13').body).toMatchObject({
      paymentMode: 'prepayment',
      lowCreditThresholdPence: 200,
      debtRecoveryCapPencePerDay: 0.03,
      disablementThresholdPence: 5,
      suspendDebtDisabled: true,
      paymentDebtRecoveryPercent: 10,
    });
  });
});

describe('2.1 non-disablement calendar', () => {
  const calendar = {
    specialDays: [{ index: 1, date: { month: 12, dayOfMonth: 25 } }],
    schedules: [
      {
        script: 1,
        specialDayIds: [1],
        daysOfWeek: [6, 7],
        switchTimeMs: 0,
        startDate: { year: 2026, month: 1, dayOfMonth: 1 },
        endDate: { month: 3, dayOfMonth: 31 },
      },
    ],
  };

  it('is kept as sent, across a reload, and reported by 4.13; a later 2.1 without one keeps it', () => {
    const h = new MeterHarness(id, 0, start);
    const sent = h.send('2.1', { fuel: 'electricity', electricityCalendar: calendar });
    expect(sent.outcome).toBe('executed');
    h.send('2.1', { lowCreditThresholdPence: 150 });
    h.reload();
    expect(h.send('4.13').body).toMatchObject({
      lowCreditThresholdPence: 150,
      calendar: { fuel: 'electricity', calendar },
    });
  });

  it('is refused by the device with the hub’s rule when inconsistent', () => {
    const h = new MeterHarness(id, 0, start);
    const schedules = [{ ...calendar.schedules[0], specialDayIds: [2] }];
    expect(() =>
      h.send('2.1', { fuel: 'electricity', electricityCalendar: { ...calendar, schedules } }),
    ).toThrow(/special day the calendar does not define/);
    expect(() => h.send('2.1', { fuel: 'gas', electricityCalendar: calendar })).toThrow(
      /only with fuel electricity/,
    );
    expect(h.send('4.13').body!.calendar).toBeNull();
  });
});

describe('prepayment logs: 4.14, 4.4.4, 4.4.5', () => {
  it('4.14 logs every UTC midnight in prepayment mode with the balance and debts then, and none in credit mode', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(2 * DAY_MS);
    expect(h.send('4.14', all).body!.entries).toEqual([]);
    const credit = withDebt(10_000, 100);
    credit.clock.advance(3 * DAY_MS + 5);
    const { entries } = credit.send('4.14', all).body!;
    expect(entries.map((e) => e.atMs)).toEqual([1, 2, 3].map((d) => Date.UTC(2026, 2, 2 + d)));
    // Each midnight: 100 p more time debt recovered than the one before, and the balance lower.
    const debts = entries.map((e) => e.timeDebt1Pence);
    expect(debts[0]! - debts[1]!).toBeCloseTo(100, 6);
    expect(debts[1]! - debts[2]!).toBeCloseTo(100, 6);
    expect(entries[2]!.meterBalancePence).toBeLessThan(entries[0]!.meterBalancePence);
    expect(credit.send('4.14', { startMs: entries[1]!.atMs, endMs: entries[2]!.atMs }).body!.entries).toEqual(
      [entries[1]],
    );
  });

  it('property: settling often or rarely logs the same midnights and values', () => {
    for (const step of [DAY_MS / 7, DAY_MS / 2, 3 * DAY_MS]) {
      const often = withDebt(20_000, 150);
      const rarely = withDebt(20_000, 150);
      for (let t = 0; t < 9 * DAY_MS; t += step) {
        often.clock.advance(Math.min(step, 9 * DAY_MS - t));
        often.send('4.18');
      }
      rarely.clock.advance(9 * DAY_MS);
      rarely.send('4.18');
      expect(often.send('4.14', all).body).toEqual(rarely.send('4.14', all).body);
    }
  });

  it(`keeps the last ${PREPAY_LOG_ENTRIES} midnights, credits and debt payments`, () => {
    const h = withDebt(100_000, 1);
    h.send('2.3', { paymentDebtPence: 100_000, paymentDebtRecoveryPercent: 50 });
    for (let i = 1; i <= PREPAY_LOG_ENTRIES + 5; i++) {
      h.send('2.2', { utrn: h.utrn(i) });
      h.clock.advance(DAY_MS);
    }
    h.send('4.18');
    const credits = h.send('4.4.5', all).body!.entries;
    expect(credits.map((e) => e.creditPence)).toEqual(
      Array.from({ length: PREPAY_LOG_ENTRIES }, (_, i) => i + 6),
    );
    const payments = h.send('4.4.4', all).body!.entries;
    expect(payments).toHaveLength(PREPAY_LOG_ENTRIES);
    // The billing data logs take any period (DCC's GCS15e asks up to 3000-12-31): the log bounds the answer.
    const toTheEnd = { startMs: all.startMs, endMs: Date.parse('3000-12-31T00:00:00Z') };
    expect(h.send('4.4.5', toTheEnd).body!.entries).toEqual(credits);
    expect(h.send('4.4.4', toTheEnd).body!.entries).toEqual(payments);
    // Half of each top-up, and the register after it.
    const [before, last] = payments.slice(-2);
    expect(last).toMatchObject({
      recoveredPence: 18,
      paymentDebtAfterPence: before!.paymentDebtAfterPence - 18,
    });
    expect(h.send('4.14', all).body!.entries).toHaveLength(PREPAY_LOG_ENTRIES);
  });

  it('a tenancy restriction (3.2) hides log entries from before it', () => {
    const h = withDebt(10_000, 10);
    h.send('2.2', { utrn: h.utrn(300) });
    h.clock.advance(2 * DAY_MS);
    h.send('3.2', { restrictionDateTimeMs: h.clock.ms - 1_000 });
    h.send('2.2', { utrn: h.utrn(200) });
    expect(h.send('4.4.5', all).body!.entries.map((e) => e.creditPence)).toEqual([200]);
    expect(h.send('4.14', all).body!.entries).toEqual([]);
  });
});
