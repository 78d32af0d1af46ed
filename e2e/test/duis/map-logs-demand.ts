import { DeviceLogKind, EsmeEventLogType } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { empty, readLogPeriod, type RequestBody, type SampleMapper } from './map-common.js';

const LOG_TO_READ: Record<string, DeviceLogKind> = {
  Event: DeviceLogKind.DEVICE_LOG_KIND_EVENT,
  Security: DeviceLogKind.DEVICE_LOG_KIND_SECURITY,
  PowerEvent: DeviceLogKind.DEVICE_LOG_KIND_POWER_EVENT,
  ALCSEvent: DeviceLogKind.DEVICE_LOG_KIND_ALCS_EVENT,
};

const ESME_EVENT_LOG_TYPE: Record<string, EsmeEventLogType> = {
  ESME: EsmeEventLogType.ESME_EVENT_LOG_TYPE_ESME,
  ALCS: EsmeEventLogType.ESME_EVENT_LOG_TYPE_ALCS,
};

function lookup<T>(table: Record<string, T>, text: string, field: string): T {
  const value = table[text];
  if (value === undefined) throw new Unexpressible(`${field} "${text}" has no value on the API`);
  return value;
}

/** DUIS xs:time in UTC ("17:00:00.00Z") as seconds after midnight. */
export function secondsOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/.exec(text);
  if (!match) throw new Unexpressible(`"${text}" is not a UTC time of day`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

function clearEventLog(body: BodyReader): RequestBody {
  // CS11's body is an empty element: a device other than an ESME names no log.
  if (body.names().length === 0) body.value();
  const type = body.optionalText('ESMEEventLogType');
  return {
    $case: 'clearEventLog',
    value: {
      esmeLog:
        type === undefined
          ? EsmeEventLogType.ESME_EVENT_LOG_TYPE_UNSPECIFIED
          : lookup(ESME_EVENT_LOG_TYPE, type, 'ESMEEventLogType'),
    },
  };
}

/** 6.13 and 3.3 device logs; an ESME's active power, maximum demand, power thresholds and voltage counters. */
export const LOG_AND_DEMAND_MAPPERS: Record<string, SampleMapper> = {
  '6.13': (body) => ({
    $case: 'readEventOrSecurityLog',
    value: {
      period: readLogPeriod(body),
      log: lookup(LOG_TO_READ, body.text('LogToRead'), 'LogToRead'),
    },
  }),
  '3.3': clearEventLog,
  '4.16': empty('readActivePowerImport'),
  '4.12.1': empty('readMaximumDemandImportRegisters'),
  '4.12.2': empty('readMaximumDemandExportRegisters'),
  '6.18.1': (body) => {
    const schedule = body.child('MaximumDemandTimePeriodSchedule');
    return {
      $case: 'setMaximumDemandConfigurableTimePeriod',
      value: {
        startTimeS: secondsOfDay(schedule.text('StartTime')),
        endTimeS: secondsOfDay(schedule.text('EndTime')),
      },
    };
  },
  '6.18.2': (body) => ({
    $case: 'resetMaximumDemandRegisters',
    value: {
      activePowerImport: body.flag('MaxDemandActivePowerImportValue'),
      activePowerExport: body.flag('MaxDemandActivePowerExportValue'),
      configurableTimeActivePowerImport: body.flag('MaxDemandConfigTimeActivePowerImportValue'),
    },
  }),
  '6.12': (body) => ({
    $case: 'updateDeviceConfigurationInstantaneousPowerThreshold',
    value: {
      lowMediumPowerThresholdW: Number(body.text('LowMediumPowerThreshold')),
      mediumHighPowerThresholdW: Number(body.text('MediumHighPowerThreshold')),
    },
  }),
  '6.2.5': empty('readDeviceConfigurationInstantaneousPowerThresholds'),
  '6.27': empty('updateDeviceConfigurationRmsVoltageCounterReset'),
};
