import { alertCodeHex, type SrvBodyMap } from '@dcc/meter';
import {
  DeviceLogKind,
  type ElectricityBillingCalendar,
  type GasBillingCalendar,
  type ServiceResponse,
} from '@dcc/proto';

/*
 * The answers of the device log SRVs (6.13, 3.3), an ESME's demand, power and voltage counter SRVs (4.16,
 * 4.12.x, 6.18.x, 6.12, 6.2.5, 6.27) and the billing calendar SRVs (6.8, 6.2.3, 4.4.3): device model → wire
 * (device_event_logs.proto, electricity_demand.proto, billing_calendar.proto).
 */

type Body = ServiceResponse['body'];

const LOG_KIND: Record<SrvBodyMap['6.13']['log'], DeviceLogKind> = {
  event: DeviceLogKind.DEVICE_LOG_KIND_EVENT,
  security: DeviceLogKind.DEVICE_LOG_KIND_SECURITY,
  power: DeviceLogKind.DEVICE_LOG_KIND_POWER_EVENT,
  alcs: DeviceLogKind.DEVICE_LOG_KIND_ALCS_EVENT,
};

function maxDemandConfiguration(b: SrvBodyMap['6.18.1']) {
  return {
    activePowerImport: b.activePowerImport,
    activePowerExport: b.activePowerExport,
    configurableTimeActivePowerImport: b.configurableTimeActivePowerImport,
    startTimeS: b.startTimeS,
    endTimeS: b.endTimeS,
    meterTimeMs: b.meterTimeMs,
  };
}

/** The calendar as the meter holds it: the wire's own shape, as 6.8 sent it. */
function billingCalendar(b: SrvBodyMap['6.2.3']) {
  return {
    electricity: b.electricity as ElectricityBillingCalendar | undefined,
    gas: b.gas as GasBillingCalendar | undefined,
    meterTimeMs: b.meterTimeMs,
  };
}

type Srv = '6.13' | '3.3' | '4.16' | '4.12.1' | '4.12.2' | '6.18.1' | '6.18.2' | '6.12' | '6.2.5' | '6.27';

export const LOG_AND_DEMAND_BODIES: {
  [S in Srv | '6.8' | '6.2.3' | '4.4.3' | '4.6.2' | '4.4.2']: (body: SrvBodyMap[S]) => Body;
} = {
  '6.13': (b) => ({
    $case: 'deviceLog',
    value: {
      log: LOG_KIND[b.log],
      entries: b.entries.map((e) => ({ code: alertCodeHex(e.code), atMs: e.atMs })),
      meterTimeMs: b.meterTimeMs,
    },
  }),
  '3.3': (b) => ({ $case: 'eventLogCleared', value: { meterTimeMs: b.meterTimeMs } }),
  '4.16': (b) => ({ $case: 'activePowerImport', value: { ...b } }),
  '4.12.1': (b) => ({ $case: 'maximumDemandImport', value: { ...b } }),
  '4.12.2': (b) => ({ $case: 'maximumDemandExport', value: { ...b } }),
  '6.18.1': (b) => ({ $case: 'maximumDemandPeriodSet', value: maxDemandConfiguration(b) }),
  '6.18.2': (b) => ({ $case: 'maximumDemandRegistersReset', value: maxDemandConfiguration(b) }),
  '6.12': (b) => ({ $case: 'instantaneousPowerThresholdsUpdated', value: { ...b } }),
  '6.2.5': (b) => ({ $case: 'instantaneousPowerThresholds', value: { ...b } }),
  '6.27': (b) => ({ $case: 'rmsVoltageCountersReset', value: { meterTimeMs: b.meterTimeMs } }),
  '6.8': (b) => ({ $case: 'billingCalendarUpdated', value: billingCalendar(b) }),
  '6.2.3': (b) => ({ $case: 'billingCalendar', value: billingCalendar(b) }),
  '4.4.3': (b) => ({ $case: 'billingCalendarDataLog', value: { entries: b.entries.map((e) => ({ ...e })) } }),
  '4.6.2': (b) => ({ $case: 'exportDailyReadLog', value: { entries: b.entries.map((e) => ({ ...e })) } }),
  '4.4.2': (b) => ({ $case: 'comOrTariffDataLog', value: { entries: b.entries.map((e) => ({ ...e })) } }),
};
