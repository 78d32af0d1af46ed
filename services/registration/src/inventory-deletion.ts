import { DccError, GrpcStatus } from '@dcc/domain';
import { DEVICE_STATUS_NAMES, DeviceStatus } from '@dcc/registry';
import { knownDevice, type Change } from './commands.js';
import type { DeviceRecord, RegistrationState } from './state.js';

/**
 * SRV 8.4 Update Inventory with DeleteDevice: the device leaves the Smart Metering Inventory. Only a Pending
 * device may (one pre-notified, 12.2, or delivered, and never installed on a HAN): every other status carries
 * history the inventory keeps (an installed device is decommissioned, 8.3, instead). A comms hub (CHF) stays
 * even when Pending: the inventory routes its meters and HAN devices through it. Refusals record nothing:
 * E19 for an unknown device, FAILED_PRECONDITION naming the rule otherwise. A meter Pending at a point leaves
 * the point; any other device leaves the chains of the points it was joined to.
 */
export function deleteDeviceChanges(state: RegistrationState, deviceId: string, reason: string): Change[] {
  const device = knownDevice(state, deviceId);
  checkDeletable(device);
  return [{ $case: 'deviceDeleted', value: { deviceId: device.deviceId, reason } }];
}

function checkDeletable(device: DeviceRecord): void {
  if (device.status !== DeviceStatus.PENDING) {
    throw new DccError(
      GrpcStatus.FAILED_PRECONDITION,
      `device ${device.deviceId} is ${DEVICE_STATUS_NAMES[device.status]}: only a Pending device leaves the ` +
        'inventory (an installed one is decommissioned, SRV 8.3)',
    );
  }
  if (device.deviceType === 'CHF') {
    throw new DccError(
      GrpcStatus.FAILED_PRECONDITION,
      `device ${device.deviceId} is a comms hub: the inventory keeps every CHF (devices pair with it)`,
    );
  }
}
