import { DccError, GrpcStatus } from '@dcc/domain';
import type { ServiceOptInRequest } from '@dcc/proto';
import { DEVICE_STATUS_NAMES, DeviceStatus, Fuel } from '@dcc/registry';
import { statusToWire } from './codes.js';
import { knownDevice, type Change } from './commands.js';
import type { RegistrationState } from './state.js';

const DAY_MS = 86_400_000;

/**
 * SRV 8.6 Service Opt In: a device its supplier had opted out of DCC services comes back under DCC control.
 * An opted-out device is Withdrawn in the inventory (DCC-REFERENCE §2.4: the Smart Metering System withdrawn from
 * DCC; every SRV to it is then refused E5 by access control's status rules); opting in is the one way out of
 * Withdrawn, to InstalledNotCommissioned, until its supplier commissions it again (8.1.1). The request must agree
 * with the inventory: the device's type (INVALID_ARGUMENT), its meter point as ImportMPxN (INVALID_ARGUMENT); a
 * SecondaryImportMPAN or ExportMPAN, which registration keeps no separate point for (the point's export
 * supplier appointment stands for export), only with an electricity point and not repeating the import MPAN; an
 * OptInDate not after today (INVALID_ARGUMENT). A device in any other status is FAILED_PRECONDITION, an unknown
 * one E19. Ownership (the registered supplier, E4) is checked by the caller.
 */
export function serviceOptInChanges(
  state: RegistrationState,
  request: ServiceOptInRequest,
  nowMs: number,
): Change[] {
  const device = knownDevice(state, request.deviceId);
  if (device.deviceType !== request.deviceType) {
    throw DccError.invalidArgument(
      `device ${device.deviceId} is a ${device.deviceType} in the inventory, not a ${request.deviceType}`,
    );
  }
  if (request.importMpxn !== device.mpxn && !device.additionalMpxns.includes(request.importMpxn)) {
    throw DccError.invalidArgument(
      `${request.importMpxn} is not device ${device.deviceId}'s meter point (${device.mpxn || 'none'})`,
    );
  }
  const point = state.point(request.importMpxn);
  for (const mpan of [request.secondaryImportMpan, request.exportMpan].filter((m) => m !== '')) {
    if (state.view.describe(point).fuel !== Fuel.ELECTRICITY) {
      throw DccError.invalidArgument(
        `${mpan}: a secondary import or export MPAN goes with an electricity point`,
      );
    }
    if (mpan === request.importMpxn) throw DccError.invalidArgument(`${mpan} repeats the import MPAN`);
  }
  if (request.optInDateMs > Math.floor(nowMs / DAY_MS) * DAY_MS) {
    throw DccError.invalidArgument(`OptInDate ${new Date(request.optInDateMs).toISOString()} is after today`);
  }
  if (device.status !== DeviceStatus.WITHDRAWN) {
    throw new DccError(
      GrpcStatus.FAILED_PRECONDITION,
      `device ${device.deviceId} is ${DEVICE_STATUS_NAMES[device.status]}, not opted out of DCC services ` +
        '(Withdrawn): only an opted-out device opts in',
    );
  }
  const from = new Date(request.optInDateMs).toISOString().slice(0, 10);
  return [
    {
      $case: 'deviceStatusChanged',
      value: {
        deviceId: device.deviceId,
        status: statusToWire(DeviceStatus.INSTALLED_NOT_COMMISSIONED),
        reason: `SRV 8.6 service opt-in from ${from}`,
      },
    },
  ];
}
