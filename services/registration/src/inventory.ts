import { DccError } from '@dcc/domain';
import type { ReadInventoryRequest, ReadInventoryResponse } from '@dcc/proto';
import { deviceToWire, knownDevice, requestMpxn } from './commands.js';
import type { RegistrationState } from './state.js';

/**
 * SRV 8.2 Read Inventory: one device by id (E19 when it is not in the inventory), or every device of a meter
 * point by MPxN (NOT_FOUND when the point is not registered). Shared by the gRPC API (ReadInventory) and the
 * NATS responder access control routes 8.2 to (`dcc.registration.inventory.read`).
 */
export function readInventory(
  state: RegistrationState,
  request: ReadInventoryRequest,
): ReadInventoryResponse {
  const { deviceId, mpxn } = request;
  if (deviceId) return { devices: [deviceToWire(knownDevice(state, deviceId))] };
  if (mpxn) {
    state.point(requestMpxn(mpxn));
    return { devices: state.devicesAt(mpxn).map(deviceToWire) };
  }
  throw DccError.invalidArgument('device_id or mpxn is required');
}
