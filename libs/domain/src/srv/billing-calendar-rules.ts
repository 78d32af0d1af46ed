import { dateTime, numberIn, period, type BodyFields, type BodyRule } from './body-rules.js';

/*
 * 6.8's billing calendar (billing_calendar.proto), checked before I99 and by the meter with the same rule, and
 * 4.4.3's period. Periodicities by their wire numbers.
 */

export const BILLING_PERIODICITIES = {
  1: 'DAILY',
  2: 'WEEKLY',
  3: 'MONTHLY',
  4: 'QUARTERLY',
  5: 'SIX_MONTHLY',
  6: 'YEARLY',
} as const;

/** Months between billing dates of each month-based periodicity (the others are 1 and 7 days). */
export const PERIODICITY_MONTHS: Readonly<Record<number, number>> = { 3: 1, 4: 3, 5: 6, 6: 12 };
const WEEKLY = 2;
/** Billing days of month stop at 28, so every month has its billing date. */
export const LAST_BILLING_DAY = 28;

const periodicity = (field: string) => numberIn(field, 1, 6, { integer: true });

function electricity(calendar: BodyFields): string | undefined {
  const kind = calendar['periodicity'] as number;
  const monthly = PERIODICITY_MONTHS[kind] !== undefined;
  const rules: BodyRule[] = [
    numberIn('billingTimeS', 0, 86_399, { integer: true }),
    periodicity('periodicity'),
    kind === WEEKLY ? numberIn('dayOfWeek', 1, 7, { integer: true }) : numberIn('dayOfWeek', 0, 0),
    monthly ? numberIn('dayOfMonth', 1, LAST_BILLING_DAY, { integer: true }) : numberIn('dayOfMonth', 0, 0),
    monthly && kind !== 3
      ? numberIn('billingPeriodStartMonth', 1, 12, { integer: true })
      : numberIn('billingPeriodStartMonth', 0, 0),
  ];
  for (const rule of rules) {
    const bad = rule(calendar);
    if (bad) return `electricity.${bad}`;
  }
  return undefined;
}

function gas(calendar: BodyFields): string | undefined {
  const bad = dateTime('billingPeriodStartMs')(calendar) ?? periodicity('periodicity')(calendar);
  if (bad) return `gas.${bad}`;
  const start = new Date(calendar['billingPeriodStartMs'] as number);
  if (PERIODICITY_MONTHS[calendar['periodicity'] as number] && start.getUTCDate() > LAST_BILLING_DAY) {
    return `gas.billingPeriodStartMs must fall on day 1 to ${LAST_BILLING_DAY} of a month for a month-based periodicity`;
  }
  return undefined;
}

/** 6.8: exactly one calendar, each field in range for its periodicity. */
export const billingCalendarRule: BodyRule = (fields) => {
  const elec = fields['electricity'] as BodyFields | undefined | null;
  const gasCalendar = fields['gas'] as BodyFields | undefined | null;
  if (!elec === !gasCalendar) return 'give exactly one of electricity and gas';
  return elec ? electricity(elec) : gas(gasCalendar!);
};

/** 4.4.3: a period of any length (the answer is bounded by the log). */
export const billingCalendarLogRules: readonly BodyRule[] = [period('period', Number.POSITIVE_INFINITY)];
