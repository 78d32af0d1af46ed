import { atLeastOne, notBoth, numberIn, oneOf, pence, text, type BodyRule } from './body-rules.js';
import { debtRecoveryPencePerDay } from './debt-recovery-rate.js';

/*
 * What the hub checks in the prepayment SRVs' bodies before it stores them (the device checks its state).
 * Enumerations are the wire's numbers (libs/proto's srv-bodies.spec.ts checks them against the .proto).
 */

const PAYMENT_MODE = { 1: 'credit', 2: 'prepayment' } as const;
const PREPAYMENT = 2;

/** 1.5: exactly one of adjust_pence (pence) or reset (true), in DUIS's PrepaymentMode or CreditMode wrapper. */
export const updateMeterBalanceRules: readonly BodyRule[] = [
  (fields) => {
    const change = fields['change'] as { $case?: string; value?: unknown } | undefined;
    if (change?.$case === 'adjustPence') return pence('adjustPence')({ adjustPence: change.value });
    if (change?.$case === 'reset' && change.value === true) return undefined;
    return 'give either adjustPence or reset: true';
  },
  (fields) => (fields['balanceMode'] === undefined ? undefined : oneOf('balanceMode', PAYMENT_MODE)(fields)),
];

const PREPAYMENT_SETTINGS = ['suspendDebtDisabled', 'suspendDebtEmergency', 'disablementThresholdPence'];

/** 1.6: the mode; DUIS's Prepayment element (threshold, debt suspensions) only with mode prepayment. */
export const updatePaymentModeRules: readonly BodyRule[] = [
  oneOf('mode', PAYMENT_MODE),
  pence('disablementThresholdPence', true),
  (fields) =>
    fields['mode'] !== PREPAYMENT && PREPAYMENT_SETTINGS.some((f) => fields[f] !== undefined)
      ? `${PREPAYMENT_SETTINGS.join(', ')} go only with mode prepayment`
      : undefined,
];

const DEBTS = ['timeDebt1Pence', 'timeDebt2Pence', 'paymentDebtPence'];
const RATES_PENCE = ['timeDebt1RecoveryPencePerDay', 'timeDebt2RecoveryPencePerDay'];
const RATES_DUIS = ['timeDebt1RecoveryRate', 'timeDebt2RecoveryRate'];

/** A DUIS DebtRecoveryRate message: representable as thousandths of a penny per day. */
function debtRecoveryRate(field: string): BodyRule {
  return (fields) => {
    const value = fields[field] as { rate?: number; priceScale?: number; period?: number } | undefined;
    if (value === undefined || value === null) return undefined;
    const result = debtRecoveryPencePerDay(value.rate ?? 0, value.priceScale ?? 0, value.period ?? 0);
    return 'error' in result ? `${field}: ${result.error}` : undefined;
  };
}

/** 2.3: any non-empty subset of registers and rates; each rate in one spelling only. */
export const updateDebtRules: readonly BodyRule[] = [
  atLeastOne(...DEBTS, ...RATES_PENCE, ...RATES_DUIS, 'paymentDebtRecoveryPercent', 'debtRecoveryPerPayment'),
  ...[...DEBTS, ...RATES_PENCE].map((field) => pence(field, true)),
  numberIn('paymentDebtRecoveryPercent', 0, 100, { optional: true }),
  numberIn('debtRecoveryPerPayment', 0, 10_000, { integer: true, optional: true }),
  notBoth('paymentDebtRecoveryPercent', 'debtRecoveryPerPayment'),
  notBoth('timeDebt1RecoveryPencePerDay', 'timeDebt1RecoveryRate'),
  notBoth('timeDebt2RecoveryPencePerDay', 'timeDebt2RecoveryRate'),
  ...RATES_DUIS.map(debtRecoveryRate),
];

/** 4.14: the URP variant's credentials, printable, bounded. */
export const kaCredentials =
  (max: number): BodyRule =>
  (fields) =>
    fields['kaPublicSecurityCredentials'] === '' || fields['kaPublicSecurityCredentials'] === undefined
      ? undefined
      : text(
          'kaPublicSecurityCredentials',
          1,
          max,
          /^[\x21-\x7E]$/,
          'printable ASCII without spaces',
        )(fields);
