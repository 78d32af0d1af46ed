import { DccError, GrpcStatus, parseEui64, type UserRoleCode } from '@dcc/domain';
import type { RoutedInventoryChangeRequest, RoutedInventoryChangeResponse } from '@dcc/proto';
import { DeviceStatus, NO_PARTY } from '@dcc/registry';
import type { Clock } from './clock.js';
import { statusFromWire, userRoleCode } from './codes.js';
import {
  deviceToWire,
  knownDevice,
  prenotificationChanges,
  statusChanges,
  updateInventoryChanges,
} from './commands.js';
import { deleteDeviceChanges } from './inventory-deletion.js';
import type { Recorder } from './recorder.js';
import { serviceOptInChanges } from './service-opt-in.js';
import type { RegistrationState } from './state.js';

/** The supplier roles that may change a device's inventory record (8.3, 8.4) and pre-notify devices (12.2). */
const SUPPLIER_ROLES: ReadonlySet<UserRoleCode> = new Set<UserRoleCode>(['IS', 'GS']);

/**
 * SRVs 8.3, 8.4, 8.6 and 12.2 routed by access control over NATS (`dcc.registration.inventory.change`). Unlike the gRPC
 * RPCs (the operators' API, no requester, no ownership check), these check who asks before applying, inside the
 * recorder's queue so the check and the change see the same record:
 * - 8.3 Decommission Device and 8.4 Update Inventory: only the device's registered supplier at now, import (IS)
 *   for an electricity point, gas (GS) for a gas point (RegistryView.registrationFailure with the requester's
 *   party and role); E4 otherwise (also for a device known to the inventory but at no point), E19 for an unknown
 *   device.
 * - 8.4 with DeleteDevice (inventory-deletion.ts): a Pending device only; at a point by its registered supplier,
 *   at none by an IS or GS User (E4 otherwise).
 * - 8.6 Service Opt In (service-opt-in.ts): the device's registered supplier, as 8.3.
 * - 12.2 Device Pre-notification: IS or GS Users only (E4 otherwise).
 * A retried 8.3 on a device already Decommissioned is refused FAILED_PRECONDITION (the gRPC DecommissionDevice
 * answers it as a no-op instead); access control stores that refusal as the response.
 */
export async function routedInventoryChange(
  recorder: Recorder,
  clock: Clock,
  request: RoutedInventoryChangeRequest,
): Promise<RoutedInventoryChangeResponse> {
  const { state } = recorder;
  const { change } = request;
  const role = userRoleCode(request.userRole);
  switch (change?.$case) {
    case 'decommissionDevice': {
      const { deviceId, reason } = change.value;
      await recorder.change((s) => {
        checkSupplier(s, request.userId, role, deviceId, clock.now());
        if (knownDevice(s, deviceId).status === DeviceStatus.DECOMMISSIONED) {
          throw new DccError(GrpcStatus.FAILED_PRECONDITION, `device ${deviceId} is already Decommissioned`);
        }
        return statusChanges(s, deviceId, DeviceStatus.DECOMMISSIONED, reason || 'SRV 8.3');
      });
      return {
        result: {
          $case: 'deviceDecommissioned',
          value: { device: deviceToWire(knownDevice(state, deviceId)) },
        },
      };
    }
    case 'updateInventory': {
      const value = change.value;
      if (value.deleteDevice) {
        const before = deviceToWire(knownDevice(state, value.deviceId));
        await recorder.change((s) => {
          checkDeleter(s, request.userId, role, value.deviceId, clock.now());
          return deleteDeviceChanges(s, value.deviceId, value.reason || 'SRV 8.4 DeleteDevice');
        });
        return { result: { $case: 'inventoryUpdated', value: { device: before } } };
      }
      const status = value.status === 0 ? undefined : statusFromWireChecked(value.status);
      await recorder.change((s) => {
        checkSupplier(s, request.userId, role, value.deviceId, clock.now());
        return updateInventoryChanges(s, { ...value, status, reason: value.reason || 'SRV 8.4' });
      });
      return {
        result: {
          $case: 'inventoryUpdated',
          value: { device: deviceToWire(knownDevice(state, value.deviceId)) },
        },
      };
    }
    case 'devicePrenotification': {
      const value = change.value;
      if (role === undefined || !SUPPLIER_ROLES.has(role)) {
        throw DccError.duis(
          'E4',
          `SRV 12.2 is for import or gas suppliers (IS, GS), not ${role ?? 'no role'}`,
        );
      }
      await recorder.change((s) => prenotificationChanges(s, value));
      return {
        result: {
          $case: 'devicePrenotified',
          value: { device: deviceToWire(knownDevice(state, value.deviceId)) },
        },
      };
    }
    case 'serviceOptIn': {
      const value = change.value;
      await recorder.change((s) => {
        checkSupplier(s, request.userId, role, value.deviceId, clock.now());
        return serviceOptInChanges(s, value, clock.now());
      });
      return {
        result: {
          $case: 'serviceOptedIn',
          value: { device: deviceToWire(knownDevice(state, value.deviceId)) },
        },
      };
    }
    default:
      throw DccError.invalidArgument('change is required');
  }
}

/**
 * E4 unless `userId`, acting as IS or GS, is the registered supplier (import or gas, by the point's fuel) of the
 * device's point at `instant`; E19 when the device is not in the inventory.
 */
export function checkSupplier(
  state: RegistrationState,
  userId: string,
  role: UserRoleCode | undefined,
  deviceId: string,
  instant: number,
): void {
  knownDevice(state, deviceId); // E19
  if (role === undefined || !SUPPLIER_ROLES.has(role)) {
    throw DccError.duis(
      'E4',
      `only the device's registered supplier (IS or GS) may change it, not ${role ?? 'no role'}`,
    );
  }
  let party = NO_PARTY;
  try {
    party = state.view.parties.indexOf(parseEui64(userId, 'user_id'));
  } catch {
    party = NO_PARTY;
  }
  const failure = state.view.registrationFailure(party, role, deviceId, instant);
  if (failure !== undefined) {
    throw DccError.duis(
      'E4',
      `User ${userId} (${role}) is not the registered supplier of device ${deviceId}'s meter point now`,
    );
  }
}

/**
 * 8.4 DeleteDevice: a device at a meter point by that point's registered supplier (checkSupplier); a device at no
 * point (pre-notified, never installed) by an IS or GS User, as 12.2 put it there.
 */
function checkDeleter(
  state: RegistrationState,
  userId: string,
  role: UserRoleCode | undefined,
  deviceId: string,
  instant: number,
): void {
  if (knownDevice(state, deviceId).mpxn !== '') {
    checkSupplier(state, userId, role, deviceId, instant);
  } else if (role === undefined || !SUPPLIER_ROLES.has(role)) {
    throw DccError.duis('E4', `only a supplier (IS or GS) deletes a device, not ${role ?? 'no role'}`);
  }
}

function statusFromWireChecked(status: number): DeviceStatus {
  const value = statusFromWire(status);
  if (value === undefined) throw DccError.invalidArgument('status is unknown');
  return value;
}
