import { atLeastOne, numberIn, oneOf, type BodyFields, type BodyRule } from './body-rules.js';

/**
 * The gas meter's configuration values as DUIS carries them (libs/proto gas_srvs.proto) and their limits. The
 * limits are the wire protocol's documented contract (DCC-REFERENCE quotes none): a calorific value in MJ/m3
 * (natural gas is about 37 to 43), a conversion factor around 1 (1.02264 is the standard one), the uncontrolled
 * gas flow rate in ten-thousandths of m3/h (SECMP0023), and the flow check's periods in seconds, as the GSME's
 * ZigBee uncontrolled flow threshold holds them (stabilisation one byte, measurement 12 bits, inferred).
 */
export const GAS_LIMITS = {
  calorificValue: { fractionDigits: 3, max: 100 },
  conversionFactor: { fractionDigits: 5, max: 10 },
  flowRateDecimal: { fractionDigits: 4 },
  flowRateTenThousandths: { max: 4_294_967_295 },
  stabilisationPeriodS: { min: 0, max: 255 },
  measurementPeriodS: { min: 1, max: 4_095 },
} as const;

/**
 * A positive decimal string with at most `fractionDigits` fractional digits and at most `max`, as a number;
 * undefined when it is not one.
 */
export function positiveDecimal(value: unknown, fractionDigits: number, max: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!new RegExp(`^\\d{1,9}(\\.\\d{1,${fractionDigits}})?$`).test(value)) return undefined;
  const number = Number(value);
  return number > 0 && number <= max ? number : undefined;
}

function decimal(field: string, fractionDigits: number, max: number, optional: boolean): BodyRule {
  return (fields) => {
    const value = fields[field];
    if (value === undefined || value === null) return optional ? undefined : `${field} is missing`;
    return positiveDecimal(value, fractionDigits, max) === undefined
      ? `${field} holds "${String(value)}", not a decimal above 0 and at most ${max} with at most ${fractionDigits} fractional digits`
      : undefined;
  };
}

/** 6.6: a calorific value, a conversion factor, or both. */
export const gasConversionRules: readonly BodyRule[] = [
  atLeastOne('calorificValue', 'conversionFactor'),
  decimal('calorificValue', GAS_LIMITS.calorificValue.fractionDigits, GAS_LIMITS.calorificValue.max, true),
  decimal(
    'conversionFactor',
    GAS_LIMITS.conversionFactor.fractionDigits,
    GAS_LIMITS.conversionFactor.max,
    true,
  ),
];

/** The rate in either of DUIS's spellings ({$case, value} as the wire decodes a oneof). */
const flowRate: BodyRule = (fields: BodyFields) => {
  const rate = fields['uncontrolledGasFlowRate'] as { $case?: string; value?: unknown } | undefined;
  const field = 'uncontrolledGasFlowRate';
  if (!rate?.$case) return `${field} is missing`;
  if (rate.$case === 'uncontrolledGasFlowRateDecimalM3PerH') {
    const { fractionDigits } = GAS_LIMITS.flowRateDecimal;
    const max = GAS_LIMITS.flowRateTenThousandths.max / 10_000;
    return typeof rate.value === 'string' &&
      new RegExp(`^\\d{1,6}(\\.\\d{1,${fractionDigits}})?$`).test(rate.value) &&
      Number(rate.value) <= max
      ? undefined
      : `${field} holds "${String(rate.value)}", not m3/h as a decimal with at most ${fractionDigits} fractional digits`;
  }
  return numberIn('rate', 0, GAS_LIMITS.flowRateTenThousandths.max, { integer: true })({ rate: rate.value })
    ? `${field} must be a whole number of ten-thousandths of m3/h`
    : undefined;
};

/** DUIS's Unchanged / Locked / Unlocked, as GasSupplyStateChange numbers them. */
const STATE_CHANGES = { 1: 'unchanged', 2: 'locked', 3: 'unlocked' } as const;

/** 6.7: every element DUIS gives is required. */
export const gasFlowRules: readonly BodyRule[] = [
  flowRate,
  oneOf('supplyDepletionState', STATE_CHANGES),
  oneOf('supplyTamperState', STATE_CHANGES),
  numberIn('stabilisationPeriodS', GAS_LIMITS.stabilisationPeriodS.min, GAS_LIMITS.stabilisationPeriodS.max, {
    integer: true,
  }),
  numberIn('measurementPeriodS', GAS_LIMITS.measurementPeriodS.min, GAS_LIMITS.measurementPeriodS.max, {
    integer: true,
  }),
];

/** The flow rate in ten-thousandths of m3/h, from either spelling (assumes gasFlowRules held). */
export function flowRateTenThousandths(rate: { $case: string; value: unknown }): number {
  if (rate.$case === 'uncontrolledGasFlowRateDecimalM3PerH') {
    const [whole = '0', fraction = ''] = String(rate.value).split('.');
    return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
  }
  return Number(rate.value);
}
