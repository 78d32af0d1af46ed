import { AlertCode, type DeviceAlert } from './alerts.js';
import type { DebtState, MeterState, PrepayConfig } from './meter-state.js';
import { logCredit, logDebtPayment } from './prepay-logs.js';

/**
 * Prepayment settings of a meter nobody has configured (2.1, 2.3). Model defaults in the range GB suppliers
 * use; they are not GBCS values.
 */
export const DEFAULT_PREPAY_CONFIG: PrepayConfig = {
  debtRecoveryCapMpPerDay: null,
  emergencyCreditLimitMp: 1_000_000, // £10
  emergencyCreditThresholdMp: 200_000, // EC offered below £2
  lowCreditThresholdMp: 300_000, // low-credit alert below £3
  maxMeterBalanceMp: 100_000_000, // £1,000
  maxCreditThresholdMp: 25_000_000, // £250 per top-up
  disablementThresholdMp: 0,
  suspendDebtDisabled: false,
  suspendDebtEmergency: false,
};

export const NO_DEBT: DebtState = {
  time1Mp: 0,
  time2Mp: 0,
  paymentMp: 0,
  time1RateMpPerDay: 0,
  time2RateMpPerDay: 0,
  paymentRecoveryPercent: 0,
};

/** Latches in PrepayState.latches: the alert was raised and is not raised again until credit recovers. */
export const LOW_CREDIT_LATCH = 1;
export const EC_AVAILABLE_LATCH = 2;

export function prepayConfig(state: MeterState): PrepayConfig {
  return state.prepay.config ?? DEFAULT_PREPAY_CONFIG;
}

export function debtOf(state: MeterState): DebtState {
  return state.prepay.debt ?? NO_DEBT;
}

/** Credit the consumer can still use: the meter balance plus the emergency credit limit while EC is active. */
export function availableCreditMp(state: MeterState, balanceMp = state.prepay.balanceMp): number {
  return balanceMp + (state.prepay.ecActive ? prepayConfig(state).emergencyCreditLimitMp : 0);
}

/** Emergency credit in use (the negative part of the balance) and still available, millipence. */
export function emergencyCreditMp(state: MeterState): { inUse: number; remaining: number } {
  if (!state.prepay.ecActive) return { inUse: 0, remaining: 0 };
  const inUse = Math.max(0, -state.prepay.balanceMp);
  return { inUse, remaining: Math.max(0, prepayConfig(state).emergencyCreditLimitMp - inUse) };
}

/**
 * Daily recovery rates of the two time-based debt registers under the 2.1 cap: register 1 first, register 2
 * from what the cap leaves. (The cap is not redistributed when register 1 empties until the next change.)
 */
export function timeDebtRates(state: MeterState): [number, number] {
  const debt = debtOf(state);
  const config = prepayConfig(state);
  // 1.6's suspensions: settlement splits its spans where the supply goes off, and emergency credit only
  // changes with a command, so the state at the span's start holds for the whole span.
  if (config.suspendDebtDisabled && state.supply !== 'enabled') return [0, 0];
  if (config.suspendDebtEmergency && state.prepay.ecActive) return [0, 0];
  const cap = config.debtRecoveryCapMpPerDay;
  const first = debt.time1Mp > 0 ? debt.time1RateMpPerDay : 0;
  const second = debt.time2Mp > 0 ? debt.time2RateMpPerDay : 0;
  if (cap === null) return [first, second];
  const capped = Math.min(first, cap);
  return [capped, Math.min(second, cap - capped)];
}

/** Keeps a configuration equal to the defaults as null (the compact stored form leaves it out). */
export function storeConfig(state: MeterState, config: PrepayConfig): void {
  const isDefault = (Object.keys(config) as (keyof PrepayConfig)[]).every(
    (k) => config[k] === DEFAULT_PREPAY_CONFIG[k],
  );
  state.prepay.config = isDefault ? null : config;
}

export function setDebt(state: MeterState, debt: DebtState): void {
  const empty = Object.entries(debt).every(([, value]) => value === 0);
  state.prepay.debt = empty ? null : debt;
}

/** Re-arms the credit alert latches once credit is back above their thresholds. */
export function rearmLatches(state: MeterState): void {
  const config = prepayConfig(state);
  if (availableCreditMp(state) >= config.lowCreditThresholdMp) state.prepay.latches &= ~LOW_CREDIT_LATCH;
  if (state.prepay.balanceMp >= config.emergencyCreditThresholdMp)
    state.prepay.latches &= ~EC_AVAILABLE_LATCH;
}

/**
 * Credits the balance (top-up or positive adjustment): payment-based debt takes its share first, emergency
 * credit in use is repaid by the balance going back up, and EC ends once the balance is no longer negative.
 */
export function creditBalance(state: MeterState, amountMp: number, atMeterMs: number): DeviceAlert[] {
  const alerts: DeviceAlert[] = [];
  const debt = debtOf(state);
  const recovered = Math.min(debt.paymentMp, Math.floor((amountMp * debt.paymentRecoveryPercent) / 100));
  logCredit(state, atMeterMs, amountMp);
  if (recovered > 0) {
    setDebt(state, { ...debt, paymentMp: debt.paymentMp - recovered });
    logDebtPayment(state, atMeterMs, recovered, debt.paymentMp - recovered);
    if (debt.paymentMp === recovered)
      alerts.push({ code: AlertCode.PAYMENT_DEBT_COLLECTED, atMs: atMeterMs });
  }
  state.prepay.balanceMp += amountMp - recovered;
  if (state.prepay.ecActive && state.prepay.balanceMp >= 0) state.prepay.ecActive = false;
  rearmLatches(state);
  return alerts;
}
