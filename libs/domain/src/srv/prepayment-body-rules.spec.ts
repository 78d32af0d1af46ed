import { describe, expect, it } from 'vitest';
import { debtRecoveryPencePerDay } from './debt-recovery-rate.js';
import { checkRequestBody } from './srv-support.js';

const DAILY = 2;
const WEEKLY = 3;
const refusal = (srv: string, $case: string, value: Record<string, unknown>) => {
  try {
    checkRequestBody(srv, { $case, value } as never);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('prepayment SRV bodies the hub refuses before I99', () => {
  it('1.5: the DUIS mode wrapper must be credit or prepayment when present', () => {
    const change = { $case: 'adjustPence', value: '12' };
    expect(refusal('1.5', 'updateMeterBalance', { change, balanceMode: 2 })).toBeUndefined();
    expect(refusal('1.5', 'updateMeterBalance', { change })).toBeUndefined();
    expect(refusal('1.5', 'updateMeterBalance', { change, balanceMode: 0 })).toMatch(/balanceMode must be/);
    expect(refusal('1.5', 'updateMeterBalance', { change: { $case: 'reset', value: false } })).toMatch(
      /adjustPence or reset/,
    );
  });

  it('1.6: the Prepayment element only with mode prepayment; the threshold in pence', () => {
    expect(refusal('1.6', 'updatePaymentMode', { mode: 2, suspendDebtDisabled: true })).toBeUndefined();
    expect(refusal('1.6', 'updatePaymentMode', { mode: 1, suspendDebtDisabled: true })).toMatch(
      /only with mode prepayment/,
    );
    expect(refusal('1.6', 'updatePaymentMode', { mode: 2, disablementThresholdPence: '1.2345' })).toMatch(
      /disablementThresholdPence/,
    );
  });

  it('2.3: each value in one spelling; DUIS ranges and rates', () => {
    const rate = (r: number, scale: number, period: number) => ({ rate: r, priceScale: scale, period });
    const ok = {
      timeDebt1Pence: '30',
      debtRecoveryPerPayment: 1000,
      timeDebt1RecoveryRate: rate(3, -1, DAILY),
    };
    expect(refusal('2.3', 'updateDebt', ok)).toBeUndefined();
    expect(refusal('2.3', 'updateDebt', { debtRecoveryPerPayment: 10_001 })).toMatch(/0 to 10000/);
    expect(
      refusal('2.3', 'updateDebt', { debtRecoveryPerPayment: 10, paymentDebtRecoveryPercent: 1 }),
    ).toMatch(/not both/);
    expect(
      refusal('2.3', 'updateDebt', {
        timeDebt2RecoveryPencePerDay: '1',
        timeDebt2RecoveryRate: rate(1, 0, DAILY),
      }),
    ).toMatch(/not both/);
    expect(refusal('2.3', 'updateDebt', { timeDebt1RecoveryRate: rate(1, 4, DAILY) })).toMatch(/price scale/);
    expect(refusal('2.3', 'updateDebt', { timeDebt1RecoveryRate: rate(1, 0, 0) })).toMatch(/period must be/);
    expect(refusal('2.3', 'updateDebt', {})).toMatch(/at least one/);
  });

  it('4.14: the URP credentials printable and bounded; the period as every log read', () => {
    const period = { startMs: 0, endMs: 86_400_000 };
    const read = (kaPublicSecurityCredentials: string) =>
      refusal('4.14', 'readPrepaymentDailyReadLog', { period, kaPublicSecurityCredentials });
    expect(read('')).toBeUndefined();
    expect(read('MFkwEwYHKoZIzj0CAQ==')).toBeUndefined();
    expect(read('has spaces')).toMatch(/printable ASCII/);
    expect(read('A'.repeat(4_097))).toMatch(/longer than 4096/);
    expect(
      refusal('4.4.5', 'retrieveBillingDataLogPrepaymentCredits', { period: { startMs: 5, endMs: 5 } }),
    ).toMatch(/end after it starts/);
  });

  it('4.14 reads at most 731 days; the billing data logs 4.4.4 and 4.4.5 any period (GCS15e: up to 3000)', () => {
    const long = { startMs: Date.parse('2014-12-01T00:00:00Z'), endMs: Date.parse('3000-12-31T00:00:00Z') };
    expect(
      refusal('4.14', 'readPrepaymentDailyReadLog', { period: long, kaPublicSecurityCredentials: '' }),
    ).toMatch(/longer than 731 days/);
    expect(refusal('4.4.4', 'retrieveBillingDataLogDebtPayments', { period: long })).toBeUndefined();
    expect(refusal('4.4.5', 'retrieveBillingDataLogPrepaymentCredits', { period: long })).toBeUndefined();
  });
});

describe('DUIS debt recovery rate → pence per day', () => {
  it('rate × 10^scale pence per period, exact in thousandths of a penny', () => {
    expect(debtRecoveryPencePerDay(3, -1, DAILY)).toEqual({ pencePerDay: 0.3 });
    expect(debtRecoveryPencePerDay(7, 0, WEEKLY)).toEqual({ pencePerDay: 1 });
    expect(debtRecoveryPencePerDay(5, -2, 1)).toEqual({ pencePerDay: 1.2 });
    expect(debtRecoveryPencePerDay(1, 0, WEEKLY)).toHaveProperty('error');
    expect(debtRecoveryPencePerDay(1, -4, DAILY)).toHaveProperty('error');
    expect(debtRecoveryPencePerDay(10, -4, DAILY)).toEqual({ pencePerDay: 0.001 });
  });

  it('property: a daily rate at scale s ≥ -3 is rate × 10^s pence per day', () => {
    for (let rate = 0; rate < 5_000; rate += 37) {
      for (let scale = -3; scale <= 3; scale++) {
        const result = debtRecoveryPencePerDay(rate, scale, DAILY);
        expect('pencePerDay' in result && result.pencePerDay).toBeCloseTo(rate * 10 ** scale, 9);
      }
    }
  });
});
