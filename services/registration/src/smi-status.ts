import { DccError, GrpcStatus } from '@dcc/domain';
import { DEVICE_STATUS_NAMES, DeviceStatus } from '@dcc/registry';

const S = DeviceStatus;

/**
 * The Smart Metering Inventory lifecycle: the statuses each status may move to through the inventory SRVs
 * (8.3, 8.4, 12.2). Decommissioned and Withdrawn are final; NotApplicable is not a lifecycle status (a point
 * without a smart device) and nothing moves to or from it here.
 */
export const SMI_TRANSITIONS: Readonly<Record<DeviceStatus, readonly DeviceStatus[]>> = {
  [S.PENDING]: [S.WHITELISTED, S.WITHDRAWN],
  [S.WHITELISTED]: [S.INSTALLED_NOT_COMMISSIONED, S.DECOMMISSIONED, S.WITHDRAWN],
  [S.INSTALLED_NOT_COMMISSIONED]: [S.COMMISSIONED, S.DECOMMISSIONED, S.WITHDRAWN, S.SUSPENDED],
  [S.COMMISSIONED]: [S.DECOMMISSIONED, S.WITHDRAWN, S.SUSPENDED, S.RECOVERY],
  [S.DECOMMISSIONED]: [],
  [S.WITHDRAWN]: [],
  [S.SUSPENDED]: [S.COMMISSIONED, S.DECOMMISSIONED, S.RECOVERY],
  [S.RECOVERY]: [S.RECOVERED, S.DECOMMISSIONED],
  [S.RECOVERED]: [S.COMMISSIONED, S.DECOMMISSIONED, S.SUSPENDED],
  [S.NOT_APPLICABLE]: [],
};

export function isAllowedTransition(from: DeviceStatus, to: DeviceStatus): boolean {
  return SMI_TRANSITIONS[from].includes(to);
}

/** FAILED_PRECONDITION naming both statuses when the inventory may not move `from` → `to`. */
export function checkTransition(deviceId: string, from: DeviceStatus, to: DeviceStatus): void {
  if (!isAllowedTransition(from, to)) {
    throw new DccError(
      GrpcStatus.FAILED_PRECONDITION,
      `device ${deviceId} cannot go from ${DEVICE_STATUS_NAMES[from]} to ${DEVICE_STATUS_NAMES[to]}`,
    );
  }
}
