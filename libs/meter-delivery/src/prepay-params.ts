import { DccError, debtRecoveryPencePerDay } from '@dcc/domain';
import type { UpdateDebtParams, UpdatePaymentModeParams, UpdatePrepayConfigParams } from '@dcc/meter';
import {
  PaymentMode,
  PrepayConfigFuel,
  type DebtRecoveryRate,
  type UpdateDebt,
  type UpdateMeterBalance,
  type UpdatePaymentMode,
  type UpdatePrepayConfiguration,
} from '@dcc/proto';
import { jsonOf } from './device-call.js';

/*
 * The prepayment SRVs' bodies as the device model takes them (2.1 meter balance, 1.6 payment mode, 2.3 debt, 2.5
 * prepayment configuration), and the money the wire carries as decimal strings of pence.
 */

const PENCE = /^-?\d{1,12}(\.\d{1,3})?$/;

/** Money as the wire carries it, a decimal string of pence with at most three fractional digits → a number. */
export function pence(srv: string, field: string, value: string): number {
  if (!PENCE.test(value)) {
    throw DccError.invalidArgument(
      `SRV ${srv}: ${field} holds "${value}", not pence as a decimal with at most three fractional digits`,
    );
  }
  return Number(value);
}

export function meterBalanceParams(srv: string, { change, balanceMode }: UpdateMeterBalance): unknown {
  const mode =
    balanceMode === undefined ? {} : { balanceMode: paymentMode(srv, 'balance_mode', balanceMode) };
  if (change?.$case === 'adjustPence')
    return { adjustPence: pence(srv, 'adjust_pence', change.value), ...mode };
  if (change?.$case === 'reset' && change.value) return { reset: true, ...mode };
  throw DccError.invalidArgument(`SRV ${srv}: give either adjust_pence or reset: true`);
}

export function paymentModeParams(srv: string, v: UpdatePaymentMode): UpdatePaymentModeParams {
  const params: UpdatePaymentModeParams = { mode: paymentMode(srv, 'mode', v.mode) };
  if (v.suspendDebtDisabled !== undefined) params.suspendDebtDisabled = v.suspendDebtDisabled;
  if (v.suspendDebtEmergency !== undefined) params.suspendDebtEmergency = v.suspendDebtEmergency;
  if (v.disablementThresholdPence !== undefined)
    params.disablementThresholdPence = pence(srv, 'disablement_threshold_pence', v.disablementThresholdPence);
  return params;
}

export function prepayConfigParams(srv: string, v: UpdatePrepayConfiguration): UpdatePrepayConfigParams {
  const params: UpdatePrepayConfigParams = {};
  if (v.removeDebtRecoveryCap) {
    if (v.debtRecoveryCapPencePerDay !== undefined) {
      throw DccError.invalidArgument(
        `SRV ${srv}: give either debt_recovery_cap_pence_per_day or remove_debt_recovery_cap`,
      );
    }
    params.debtRecoveryCapPencePerDay = null;
  }
  for (const [key, field] of [
    ['debtRecoveryCapPencePerDay', 'debt_recovery_cap_pence_per_day'],
    ['emergencyCreditLimitPence', 'emergency_credit_limit_pence'],
    ['emergencyCreditThresholdPence', 'emergency_credit_threshold_pence'],
    ['lowCreditThresholdPence', 'low_credit_threshold_pence'],
    ['maxMeterBalancePence', 'max_meter_balance_pence'],
    ['maxCreditThresholdPence', 'max_credit_threshold_pence'],
    ['disablementThresholdPence', 'disablement_threshold_pence'],
  ] as const) {
    const value = v[key];
    if (value !== undefined) params[key] = pence(srv, field, value);
  }
  // The calendar travels in the wire's shape; the model checks it with the hub's rule (libs/domain).
  if (v.fuel !== undefined) params.fuel = fuelOf(srv, v.fuel);
  if (v.electricityCalendar) params.electricityCalendar = jsonOf(v.electricityCalendar);
  if (v.gasCalendar) params.gasCalendar = jsonOf(v.gasCalendar);
  return params;
}

export function debtParams(srv: string, v: UpdateDebt): UpdateDebtParams {
  const params: UpdateDebtParams = {};
  for (const [key, field] of [
    ['timeDebt1Pence', 'time_debt_1_pence'],
    ['timeDebt2Pence', 'time_debt_2_pence'],
    ['paymentDebtPence', 'payment_debt_pence'],
    ['timeDebt1RecoveryPencePerDay', 'time_debt_1_recovery_pence_per_day'],
    ['timeDebt2RecoveryPencePerDay', 'time_debt_2_recovery_pence_per_day'],
  ] as const) {
    const value = v[key];
    if (value !== undefined) params[key] = pence(srv, field, value);
  }
  if (v.paymentDebtRecoveryPercent !== undefined)
    params.paymentDebtRecoveryPercent = v.paymentDebtRecoveryPercent;
  // DUIS's spellings: hundredths of a percent, and rate × 10^scale pence per period (debt-recovery-rate.ts).
  if (v.debtRecoveryPerPayment !== undefined)
    params.paymentDebtRecoveryPercent = v.debtRecoveryPerPayment / 100;
  if (v.timeDebt1RecoveryRate)
    params.timeDebt1RecoveryPencePerDay = perDay(srv, 'time_debt_1_recovery_rate', v.timeDebt1RecoveryRate);
  if (v.timeDebt2RecoveryRate)
    params.timeDebt2RecoveryPencePerDay = perDay(srv, 'time_debt_2_recovery_rate', v.timeDebt2RecoveryRate);
  return params;
}

function fuelOf(srv: string, fuel: PrepayConfigFuel): 'electricity' | 'gas' {
  if (fuel === PrepayConfigFuel.PREPAY_CONFIG_FUEL_ELECTRICITY) return 'electricity';
  if (fuel === PrepayConfigFuel.PREPAY_CONFIG_FUEL_GAS) return 'gas';
  throw DccError.invalidArgument(`SRV ${srv}: fuel must be electricity or gas`);
}

const MODE: Partial<Record<PaymentMode, 'credit' | 'prepayment'>> = {
  [PaymentMode.PAYMENT_MODE_CREDIT]: 'credit',
  [PaymentMode.PAYMENT_MODE_PREPAYMENT]: 'prepayment',
};

function paymentMode(srv: string, field: string, value: PaymentMode): 'credit' | 'prepayment' {
  const mode = MODE[value];
  if (!mode) throw DccError.invalidArgument(`SRV ${srv}: ${field} must be credit or prepayment`);
  return mode;
}

function perDay(srv: string, field: string, rate: DebtRecoveryRate): number {
  const result = debtRecoveryPencePerDay(rate.rate, rate.priceScale, rate.period);
  if ('error' in result) throw DccError.invalidArgument(`SRV ${srv}: ${field}: ${result.error}`);
  return result.pencePerDay;
}
