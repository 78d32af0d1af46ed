import { isEui64 } from '@dcc/domain';
import type { SavedDeviceLogEntry, SavedDeviceLogReply, SavedDeviceLogRequest } from '@dcc/proto';
import type { DeviceRecord } from './device-inventory.js';
import type { RegistrationState } from './state.js';

/** Which device keeps the log each restore SRV restores (DUIS OldCHFID, OldGPFID). */
const KEEPERS: Readonly<Record<string, 'CHF' | 'GPF'>> = { '8.12.1': 'CHF', '8.12.2': 'GPF' };
/** The devices of a premises' HAN that keep a device log themselves rather than appear on one. */
export const LOG_KEEPERS: readonly string[] = ['CHF', 'GPF'];

const refusal = (code: string, detail: string): SavedDeviceLogReply => ({
  refusal: code,
  detail,
  entries: [],
});

/** The meter points a device serves, as the inventory links it. */
export function pointsOf(state: RegistrationState, device: DeviceRecord): number[] {
  return [device.mpxn, ...device.additionalMpxns]
    .filter((m) => m !== '')
    .map((m) => state.view.pointOfMpxn(m))
    .filter((p) => p >= 0);
}

/**
 * The old device's log as the inventory knows it: the devices the inventory joins to the meter points it served
 * (a CHF: its premises' electricity and gas points; a GPF: its gas point), which joined the HAN through it, in the
 * order they were joined there. Neither lists a CHF or GPF: the hub's own functions (and a replacement at the same
 * points) do not appear on each other's logs.
 */
function logOf(state: RegistrationState, old: DeviceRecord): SavedDeviceLogEntry[] {
  const seen = new Set<string>();
  const entries: SavedDeviceLogEntry[] = [];
  for (const point of pointsOf(state, old)) {
    for (const device of state.devices.at(point)) {
      if (LOG_KEEPERS.includes(device.deviceType) || seen.has(device.deviceId)) continue;
      seen.add(device.deviceId);
      entries.push({ deviceId: device.deviceId, deviceType: device.deviceType });
    }
  }
  return entries;
}

/**
 * The saved device log an 8.12.1 or 8.12.2 restores, asked by access control before the request is acknowledged
 * (the inventory is the hub's durable copy of every CHF's and GPF's log: the HAN joins it records, han-links.ts).
 * Refused: the old device not in the inventory (E19) or not a CHF (8.12.1) or GPF (8.12.2) there (E11); old and
 * new the same device, or not the same kind (INVALID_ARGUMENT); the old device serving none of the new one's
 * meter points, so its log is not this premises' (FAILED_PRECONDITION), or no device on its log
 * (FAILED_PRECONDITION: nothing to restore).
 */
export function savedDeviceLog(
  state: RegistrationState,
  request: SavedDeviceLogRequest,
): SavedDeviceLogReply {
  const srv = request.serviceReferenceVariant;
  const keeper = KEEPERS[srv];
  const { oldDeviceId, newDeviceId } = request;
  if (!keeper) return refusal('INVALID_ARGUMENT', `SRV ${srv} restores no device log`);
  if (!isEui64(oldDeviceId) || !isEui64(newDeviceId)) {
    return refusal('INVALID_ARGUMENT', `SRV ${srv}: a device id is not an EUI-64 in DUIS form`);
  }
  if (oldDeviceId === newDeviceId) {
    return refusal('INVALID_ARGUMENT', `SRV ${srv}: the old ${keeper} is the target itself`);
  }
  const old = state.devices.get(oldDeviceId);
  if (!old) return refusal('E19', `old ${keeper} ${oldDeviceId} is not in the Smart Metering Inventory`);
  if (old.deviceType !== keeper) {
    return refusal('E11', `SRV ${srv} restores a ${keeper}'s log: ${oldDeviceId} is a ${old.deviceType}`);
  }
  const fresh = state.devices.get(newDeviceId);
  if (fresh?.deviceType !== keeper) {
    return refusal('INVALID_ARGUMENT', `SRV ${srv}: the target ${newDeviceId} is not a ${keeper}`);
  }
  const shared = pointsOf(state, fresh);
  if (!pointsOf(state, old).some((p) => shared.includes(p))) {
    return refusal(
      'FAILED_PRECONDITION',
      `old ${keeper} ${oldDeviceId} served none of ${newDeviceId}'s meter points`,
    );
  }
  const entries = logOf(state, old);
  if (entries.length === 0) {
    return refusal(
      'FAILED_PRECONDITION',
      `the inventory holds no device log for old ${keeper} ${oldDeviceId}`,
    );
  }
  return { refusal: '', detail: '', entries };
}
