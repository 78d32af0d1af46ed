import { DccError } from '@dcc/domain';
import type { ClearEventLogParams, ReadDeviceLogParams } from '@dcc/meter';
import { DeviceLogKind, EsmeEventLogType, type ServiceRequest } from '@dcc/proto';

/*
 * The device model's parameters of the device log SRVs (6.13, 3.3) and an ESME's demand and power settings
 * (6.18.1, 6.18.2, 6.12), from their wire bodies (device_event_logs.proto, electricity_demand.proto).
 */

type Body = NonNullable<ServiceRequest['body']>;
type Of<C extends Body['$case']> = Extract<Body, { $case: C }>['value'];

const LOG: Partial<Record<DeviceLogKind, ReadDeviceLogParams['log']>> = {
  [DeviceLogKind.DEVICE_LOG_KIND_EVENT]: 'event',
  [DeviceLogKind.DEVICE_LOG_KIND_SECURITY]: 'security',
  [DeviceLogKind.DEVICE_LOG_KIND_POWER_EVENT]: 'power',
  [DeviceLogKind.DEVICE_LOG_KIND_ALCS_EVENT]: 'alcs',
};

export function readDeviceLogParams(srv: string, body: Of<'readEventOrSecurityLog'>): ReadDeviceLogParams {
  const log = LOG[body.log];
  if (!log)
    throw DccError.invalidArgument(`SRV ${srv}: log must be EVENT, SECURITY, POWER_EVENT or ALCS_EVENT`);
  if (!body.period) throw DccError.invalidArgument(`SRV ${srv}: period is missing`);
  return { log, startMs: body.period.startMs, endMs: body.period.endMs };
}

export function clearEventLogParams(srv: string, body: Of<'clearEventLog'>): ClearEventLogParams {
  switch (body.esmeLog) {
    case EsmeEventLogType.ESME_EVENT_LOG_TYPE_UNSPECIFIED:
      return {};
    case EsmeEventLogType.ESME_EVENT_LOG_TYPE_ESME:
      return { esmeLog: 'event' };
    case EsmeEventLogType.ESME_EVENT_LOG_TYPE_ALCS:
      return { esmeLog: 'alcs' };
    default:
      throw DccError.invalidArgument(`SRV ${srv}: esme_log must be ESME or ALCS when given`);
  }
}

export function resetMaxDemandParams(body: Of<'resetMaximumDemandRegisters'>) {
  const registers = [
    ...(body.activePowerImport ? ['import' as const] : []),
    ...(body.activePowerExport ? ['export' as const] : []),
    ...(body.configurableTimeActivePowerImport ? ['window' as const] : []),
  ];
  return { registers };
}
