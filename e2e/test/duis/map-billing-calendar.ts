import { BillingPeriodicity } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { dateTimeMs, empty, readLogPeriod, type RequestBody, type SampleMapper } from './map-common.js';
import { secondsOfDay } from './map-logs-demand.js';

const PERIODICITY: Record<string, BillingPeriodicity> = {
  Daily: BillingPeriodicity.BILLING_PERIODICITY_DAILY,
  Weekly: BillingPeriodicity.BILLING_PERIODICITY_WEEKLY,
  Monthly: BillingPeriodicity.BILLING_PERIODICITY_MONTHLY,
  Quarterly: BillingPeriodicity.BILLING_PERIODICITY_QUARTERLY,
  SixMonthly: BillingPeriodicity.BILLING_PERIODICITY_SIX_MONTHLY,
  Yearly: BillingPeriodicity.BILLING_PERIODICITY_YEARLY,
};

function periodicity(name: string): BillingPeriodicity {
  const value = PERIODICITY[name];
  if (value === undefined) throw new Unexpressible(`billing periodicity "${name}" has no value on the API`);
  return value;
}

/**
 * DUIS ElectricityBillingCalendar: BillingTime and one periodicity element: Monthly holds its day of month (ECS30),
 * Quarterly (and the longer ones, by the same shape) DayOfMonth and BillingPeriodStartMonth (ECS30a).
 */
function electricity(calendar: BodyReader) {
  const billingTimeS = secondsOfDay(calendar.text('BillingTime'));
  const kinds = calendar.names().filter((name) => name !== 'BillingTime');
  if (kinds.length !== 1) throw new Unexpressible('ElectricityBillingCalendar needs one periodicity');
  const kind = kinds[0]!;
  const base = { billingTimeS, periodicity: periodicity(kind), dayOfWeek: 0, dayOfMonth: 0 };
  if (kind === 'Monthly')
    return { ...base, dayOfMonth: Number(calendar.text(kind)), billingPeriodStartMonth: 0 };
  if (kind === 'Daily') {
    calendar.flag(kind);
    return { ...base, billingPeriodStartMonth: 0 };
  }
  if (kind === 'Weekly')
    return { ...base, dayOfWeek: Number(calendar.text(kind)), billingPeriodStartMonth: 0 };
  const cycle = calendar.child(kind);
  return {
    ...base,
    dayOfMonth: Number(cycle.text('DayOfMonth')),
    billingPeriodStartMonth: Number(cycle.text('BillingPeriodStartMonth')),
  };
}

function updateBillingCalendar(body: BodyReader): RequestBody {
  const elec = body.optionalChild('ElectricityBillingCalendar');
  if (elec)
    return {
      $case: 'updateDeviceConfigurationBillingCalendar',
      value: { electricity: electricity(elec), gas: undefined },
    };
  const gas = body.child('GasBillingCalendar');
  return {
    $case: 'updateDeviceConfigurationBillingCalendar',
    value: {
      electricity: undefined,
      gas: {
        billingPeriodStartMs: dateTimeMs(gas.text('BillingPeriodStart')),
        periodicity: periodicity(gas.text('Periodicity')),
      },
    },
  };
}

/** 6.8 billing calendar, 6.2.3 its read, 4.4.3 the billing data log it triggers; 4.4.2 the one 1.6/1.1.1 trigger. */
export const BILLING_CALENDAR_MAPPERS: Record<string, SampleMapper> = {
  '6.8': updateBillingCalendar,
  '6.2.3': empty('readDeviceConfigurationBillingCalendar'),
  '4.4.2': (body) => ({
    $case: 'retrieveCoMOrTariffTriggeredBillingDataLog',
    value: { period: readLogPeriod(body) },
  }),
  '4.4.3': (body) => ({
    $case: 'retrieveBillingCalendarTriggeredBillingDataLog',
    value: { period: readLogPeriod(body) },
  }),
};
