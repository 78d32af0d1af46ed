import { DccError } from '@dcc/domain';
import { HanDeviceLogRequestType, type SavedDeviceLogEntry, type UpdateHanDeviceLog } from '@dcc/proto';

/** 8.12.x: one entry of the old device's saved log, as access control filled it from the inventory. */
export function savedEntry(entry: SavedDeviceLogEntry): { deviceId: string; deviceType: string } {
  return { deviceId: entry.deviceId, deviceType: entry.deviceType };
}

/** 8.11: Add with its whitelist entry (empty MPxN strings are the fields the request leaves out), or Remove. */
export function hanDeviceLogUpdate(srv: string, update: UpdateHanDeviceLog): unknown {
  const { deviceId, requestType, add } = update;
  if (requestType === HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_REMOVE)
    return { deviceId, remove: true };
  if (requestType !== HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_ADD || !add) {
    throw DccError.invalidArgument(`SRV ${srv}: requestType must be Add (with add) or Remove`);
  }
  const optional = { importMpxn: add.importMpxn, secondaryImportMpan: add.secondaryImportMpan };
  return {
    deviceId,
    add: {
      joinTimePeriod: add.joinTimePeriod,
      installCode: add.installCode,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== '')),
    },
  };
}
