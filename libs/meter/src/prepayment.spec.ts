import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import type { UpdatePrepayConfigParams } from './commands/types.js';
import { MeterHarness } from './meter-harness.js';
import { DEFAULT_TARIFF } from './tariff.js';
import { DAY_MS, HALF_HOUR_MS } from './time.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 6);
const HOUR = 2 * HALF_HOUR_MS;

/** A meter switched to prepayment at `start` with `pence` of credit. */
function prepaid(pence: number, seed = 0): MeterHarness {
  const h = new MeterHarness(id, seed, start);
  if (pence !== 0) h.send('1.5', { adjustPence: pence });
  expect(h.send('1.6', { mode: 'prepayment' }).outcome).toBe('executed');
  return h;
}

const codes = (alerts: { code: number }[]) => alerts.map((a) => a.code);

describe('2.1 in either payment mode, 2.5 only in prepayment mode', () => {
  it('property: every prepay configuration is accepted in credit mode as in prepayment mode, and the same stored', () => {
    const fields: Exclude<keyof UpdatePrepayConfigParams, 'fuel' | `${string}Calendar`>[] = [
      'emergencyCreditLimitPence',
      'emergencyCreditThresholdPence',
      'lowCreditThresholdPence',
      'maxMeterBalancePence',
      'maxCreditThresholdPence',
      'disablementThresholdPence',
      'debtRecoveryCapPencePerDay',
    ];
    for (let mask = 1; mask < 1 << fields.length; mask += 7) {
      const params: UpdatePrepayConfigParams = {};
      fields.forEach((field, i) => {
        if (mask & (1 << i)) params[field] = 100 + i * 50 + (mask % 13);
      });
      const credit = new MeterHarness(id, mask, start);
      const result = credit.send('2.1', params);
      expect(result.outcome).toBe('executed');
      expect(result.body).toMatchObject(params);
      expect(credit.meter.inspect().paymentMode).toBe('credit');

      const prepay = prepaid(5_000, mask);
      const accepted = prepay.send('2.1', params);
      expect(accepted.outcome).toBe('executed');
      expect(accepted.body).toMatchObject(params);
      expect(prepay.meter.inspect().prepay.config).toEqual(credit.meter.inspect().prepay.config);
    }
  });

  it('emergency credit cannot be activated in credit mode', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('2.5').rejection?.reason).toBe('WRONG_PAYMENT_MODE');
  });
});

describe('prepayment charging', () => {
  it('charges energy at the tariff prices plus the standing charge, from the switch to prepayment', () => {
    const h = prepaid(10_000);
    const r0 = h.send('4.1.1').body!.touActiveImportWh;
    h.clock.advance(3 * DAY_MS + 5 * HOUR + 123);
    const r1 = h.send('4.1.1').body!.touActiveImportWh;
    const energyMp =
      Math.floor((r1[0]! * DEFAULT_TARIFF.pricesMp[0]! + r1[1]! * DEFAULT_TARIFF.pricesMp[1]!) / 1000) -
      Math.floor((r0[0]! * DEFAULT_TARIFF.pricesMp[0]! + r0[1]! * DEFAULT_TARIFF.pricesMp[1]!) / 1000);
    const standingMp =
      Math.floor((DEFAULT_TARIFF.standingMpPerDay * (h.clock.ms - Date.UTC(2026, 2, 2))) / DAY_MS) -
      Math.floor((DEFAULT_TARIFF.standingMpPerDay * (start - Date.UTC(2026, 2, 2))) / DAY_MS);
    expect(h.send('4.18').body!.meterBalancePence).toBeCloseTo(10_000 - (energyMp + standingMp) / 1000, 6);
  });

  it('property: the balance does not depend on how often the meter was settled', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const often = prepaid(20_000, seed);
      const once = prepaid(20_000, seed);
      for (const h of [often, once]) {
        h.send('2.3', {
          timeDebt1Pence: 500,
          timeDebt1RecoveryPencePerDay: 37.5,
          timeDebt2Pence: 80,
          timeDebt2RecoveryPencePerDay: 11,
        });
      }
      const end = start + (2 + (seed % 5)) * DAY_MS + seed * 7_777;
      while (often.clock.ms < end) {
        often.clock.advance(Math.min(end - often.clock.ms, 1 + ((seed * 2_654_435_761) % (5 * HOUR))));
        often.meter.advance();
      }
      once.clock.ms = end;
      expect(often.send('4.3').body).toEqual(once.send('4.3').body);
    }
  });
});

describe('credit running out', () => {
  it('raises low credit and EC-available alerts, then disables the supply at the instant credit is exhausted', () => {
    const h = prepaid(400);
    h.clock.advance(10 * DAY_MS);
    const result = h.send('7.4');
    expect(result.body!.supply).toBe('disabled');
    expect(codes(result.alerts)).toEqual([
      AlertCode.LOW_CREDIT,
      AlertCode.EMERGENCY_CREDIT_AVAILABLE,
      AlertCode.CREDIT_BELOW_DISABLEMENT_THRESHOLD,
    ]);
    const disabledAt = result.alerts[2]!.atMs;
    // An identical meter read just before and at that instant agrees.
    const twin = prepaid(400);
    twin.clock.ms = disabledAt - 1;
    expect(twin.send('4.18').body!.meterBalancePence).toBeGreaterThan(0);
    expect(twin.send('7.4').body!.supply).toBe('enabled');
    twin.clock.ms = disabledAt;
    expect(twin.send('7.4').body!.supply).toBe('disabled');
    // No energy after the disablement: registers stand still, profile values are zero.
    const registers = h.send('4.1.1').body!.totalActiveImportWh;
    h.clock.advance(DAY_MS);
    expect(h.send('4.1.1').body!.totalActiveImportWh).toBe(registers);
    const firstOff = Math.ceil(disabledAt / HALF_HOUR_MS) * HALF_HOUR_MS;
    const profile = h.send('4.8.1', { startMs: firstOff, endMs: firstOff + DAY_MS }).body!.valuesWh;
    expect(profile.every((wh) => wh === 0)).toBe(true);
    // The standing charge continues.
    expect(h.send('4.18').body!.meterBalancePence).toBeLessThan(0);
  });

  it('predicts the disablement instant for a reminder', () => {
    const h = prepaid(400);
    const wake = h.meter.nextWakeMs()!;
    expect(wake).toBeGreaterThan(start);
    h.clock.ms = wake;
    const { alerts } = h.meter.advance();
    expect(alerts[0]!.atMs).toBe(wake);
  });

  it('emergency credit: available below its threshold, activation arms a credit-disabled supply, exhaustion disables', () => {
    const h = prepaid(400);
    expect(h.send('2.5').rejection?.reason).toBe('EMERGENCY_CREDIT_UNAVAILABLE');
    h.clock.advance(10 * DAY_MS);
    expect(h.send('7.4').body!.supply).toBe('disabled');
    const activated = h.send('2.5');
    expect(activated.outcome).toBe('executed');
    expect(codes(activated.alerts)).toEqual([
      AlertCode.EMERGENCY_CREDIT_ACTIVATED,
      AlertCode.SUPPLY_ARMED_EMERGENCY_CREDIT,
    ]);
    expect(activated.body).toMatchObject({ emergencyCreditActive: true });
    expect(h.send('7.4').body!.supply).toBe('armed');
    expect(h.send('2.5').rejection?.reason).toBe('EMERGENCY_CREDIT_UNAVAILABLE');
    expect(h.meter.consumerEnableSupply().refusal).toBeUndefined();
    expect(h.send('7.4').body!.supply).toBe('enabled');
    h.clock.advance(30 * DAY_MS);
    const exhausted = h.send('4.3');
    expect(codes(exhausted.alerts)).toEqual([
      AlertCode.CREDIT_BELOW_DISABLEMENT_THRESHOLD,
      AlertCode.EMERGENCY_CREDIT_EXHAUSTED,
    ]);
    expect(exhausted.body!.emergencyCreditRemainingPence).toBe(0);
  });
});

describe('2.2 top-up', () => {
  it('credits the balance, repays emergency credit and arms a supply the credit rules disabled', () => {
    const h = prepaid(400);
    h.clock.advance(10 * DAY_MS);
    h.send('2.5');
    h.meter.consumerEnableSupply();
    h.clock.advance(30 * DAY_MS);
    expect(h.send('7.4').body!.supply).toBe('disabled');
    const balance = h.send('4.18').body!.meterBalancePence;
    const topUp = h.send('2.2', { utrn: h.utrn(5_000) });
    expect(topUp.outcome).toBe('executed');
    expect(topUp.body).toMatchObject({ creditedPence: 5_000, valueClass: 'pennies', supply: 'armed' });
    expect(topUp.body!.meterBalancePence).toBeCloseTo(balance + 5_000, 6);
    expect(h.send('4.3').body!.emergencyCreditActive).toBe(false);
  });

  it('does not re-enable a supply the supplier disabled', () => {
    const h = prepaid(1_000);
    h.send('7.2');
    expect(h.send('2.2', { utrn: h.utrn(2_000) }).body!.supply).toBe('disabled');
  });

  it('property: a replayed UTRN is rejected as a duplicate (0x8F51) and credits nothing', () => {
    const h = prepaid(1_000);
    const used: string[] = [];
    for (let i = 1; i <= 25; i++) {
      const utrn = h.utrn(100 + i);
      expect(h.send('2.2', { utrn }).outcome).toBe('executed');
      used.push(utrn);
      const replay = used[(i * 7) % used.length]!;
      const balance = h.send('4.18').body!.meterBalancePence;
      const result = h.send('2.2', { utrn: replay });
      expect(result).toMatchObject({ outcome: 'rejected', rejection: { reason: 'UTRN_DUPLICATE' } });
      expect(codes(result.alerts)).toEqual([AlertCode.UTRN_DUPLICATE]);
      expect(h.send('4.18').body!.meterBalancePence).toBe(balance);
    }
  });

  it('rejects another supplier’s or another meter’s UTRN as not authentic (0x8F63)', () => {
    const h = prepaid(1_000);
    const foreign = h.utrn(1_000, 1n << 32n, '90-B3-D5-1F-30-09-00-00');
    expect(codes(h.send('2.2', { utrn: foreign }).alerts)).toEqual([AlertCode.UTRN_NOT_AUTHENTIC]);
    const other = new MeterHarness('00-DB-12-00-00-00-00-2B' as Eui64, 0, start);
    expect(h.send('2.2', { utrn: other.utrn(1_000) }).rejection?.reason).toBe('UTRN_NOT_AUTHENTIC');
  });

  it('rejects above the maximum credit (0x8F5B) and above the maximum balance (0x8F47) without using the UTRN up', () => {
    const h = prepaid(1_000);
    h.send('2.1', { maxCreditThresholdPence: 2_000, maxMeterBalancePence: 4_000 });
    expect(codes(h.send('2.2', { utrn: h.utrn(2_500) }).alerts)).toEqual([AlertCode.UTRN_EXCEEDS_MAX_CREDIT]);
    h.send('2.2', { utrn: h.utrn(1_500) });
    const big = h.utrn(2_000);
    const tooMuch = h.send('2.2', { utrn: big });
    expect(tooMuch.rejection?.reason).toBe('CREDIT_EXCEEDS_MAX_METER_BALANCE');
    expect(codes(tooMuch.alerts)).toEqual([AlertCode.CREDIT_WOULD_EXCEED_MAX_METER_BALANCE]);
    h.send('2.1', { maxMeterBalancePence: 10_000 });
    expect(h.send('2.2', { utrn: big }).body!.creditedPence).toBe(2_000);
  });

  it('UTRN counters strictly increase: an unused UTRN older than a used one is refused as a duplicate', () => {
    const h = prepaid(1_000);
    const older = h.utrn(100);
    expect(h.send('2.2', { utrn: h.utrn(200) }).outcome).toBe('executed');
    expect(h.send('2.2', { utrn: older }).rejection?.reason).toBe('UTRN_DUPLICATE');
  });
});

describe('2.3 debt', () => {
  it('recovers time-based debt per day from the balance and alerts when a register is collected', () => {
    const h = prepaid(50_000);
    h.send('2.3', { timeDebt1Pence: 300, timeDebt1RecoveryPencePerDay: 100 });
    h.clock.advance(DAY_MS);
    expect(h.send('4.3').body!.timeDebt1Pence).toBeCloseTo(200, 6);
    h.clock.advance(3 * DAY_MS);
    const done = h.send('4.3');
    expect(done.body!.timeDebt1Pence).toBe(0);
    expect(codes(done.alerts)).toContain(AlertCode.TIME_DEBT_1_COLLECTED);
    const collectedAt = done.alerts.find((a) => a.code === AlertCode.TIME_DEBT_1_COLLECTED)!.atMs;
    expect(Math.abs(collectedAt - (start + 3 * DAY_MS))).toBeLessThan(1_000);
  });

  it('takes the payment-debt share of each top-up, alerting when it is collected', () => {
    const h = prepaid(1_000);
    h.send('2.3', { paymentDebtPence: 150, paymentDebtRecoveryPercent: 10 });
    const first = h.send('2.2', { utrn: h.utrn(1_000) });
    expect(first.body!.meterBalancePence).toBeCloseTo(1_000 + 900, 0);
    expect(h.send('4.3').body!.paymentDebtPence).toBe(50);
    const second = h.send('2.2', { utrn: h.utrn(2_000) });
    expect(codes(second.alerts)).toEqual([AlertCode.PAYMENT_DEBT_COLLECTED]);
    expect(h.send('4.3').body!.paymentDebtPence).toBe(0);
  });

  it('caps combined time-debt recovery with the 2.1 debt recovery cap', () => {
    const h = prepaid(50_000);
    h.send('2.1', { debtRecoveryCapPencePerDay: 60 });
    h.send('2.3', {
      timeDebt1Pence: 1_000,
      timeDebt1RecoveryPencePerDay: 50,
      timeDebt2Pence: 1_000,
      timeDebt2RecoveryPencePerDay: 50,
    });
    h.clock.advance(2 * DAY_MS);
    const values = h.send('4.3').body!;
    expect(values.timeDebt1Pence + values.timeDebt2Pence).toBeCloseTo(2_000 - 120, 6);
  });

  it('does not recover debt in credit mode', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('2.3', { timeDebt1Pence: 300, timeDebt1RecoveryPencePerDay: 100 });
    h.clock.advance(5 * DAY_MS);
    expect(h.send('4.3').body!.timeDebt1Pence).toBe(300);
  });
});

describe('1.5 and 1.6', () => {
  it('adjusts or resets the balance in either mode', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('1.5', { adjustPence: 12.345 }).body!.meterBalancePence).toBe(12.345);
    expect(h.send('1.5', { reset: true }).body!.meterBalancePence).toBe(0);
  });

  it('switching to prepayment with no credit disables at once; switching back arms the supply', () => {
    const h = new MeterHarness(id, 0, start);
    const toPrepay = h.send('1.6', { mode: 'prepayment' });
    expect(toPrepay.body).toMatchObject({ paymentMode: 'prepayment', supply: 'disabled' });
    expect(codes(toPrepay.alerts)).toContain(AlertCode.CREDIT_BELOW_DISABLEMENT_THRESHOLD);
    expect(h.send('1.6', { mode: 'credit' }).body).toMatchObject({ paymentMode: 'credit', supply: 'armed' });
    expect(h.send('7.1').body!.supply).toBe('enabled');
  });
});
