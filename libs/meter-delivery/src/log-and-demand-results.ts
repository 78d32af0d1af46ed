import { alertCodeHex, type SrvBodyMap } from '@dcc/meter';
import { DeviceLogKind, type ServiceResponse } from '@dcc/proto';

/*
 * The answers of the device log SRVs (6.13, 3.3) and an ESME's demand, power and voltage counter SRVs (4.16,
 * 4.12.x, 6.18.x, 6.12, 6.2.5, 6.27): device model → wire (device_event_logs.proto, electricity_demand.proto).
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

export const LOG_AND_DEMAND_BODIES: {
  [S in '6.13' | '3.3' | '4.16' | '4.12.1' | '4.12.2' | '6.18.1' | '6.18.2' | '6.12' | '6.2.5' | '6.27']: (
    body: SrvBodyMap[S],
  ) => Body;
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
};
