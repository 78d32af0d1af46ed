import type { ServiceOptOutReply, ServiceOptOutReport } from '@dcc/proto';
import { DEVICE_STATUS_NAMES, DeviceStatus } from '@dcc/registry';
import type { Change } from './commands.js';
import { statusToWire } from './codes.js';
import type { Recorder } from './recorder.js';
import { isAllowedTransition } from './smi-status.js';
import type { RegistrationState } from './state.js';

/**
 * What an 8.5 Service Opt Out a device executed changes in the inventory: the device is opted out of DCC services,
 * Withdrawn (DCC-REFERENCE §2.4), so access control refuses every further SRV to it E5 until it opts in (8.6). The
 * device has acted whatever the record says: a device already Withdrawn, one the inventory does not hold, or one
 * whose status cannot become Withdrawn (Decommissioned) changes nothing, and the reply says why.
 */
export function optOutChanges(
  state: RegistrationState,
  report: ServiceOptOutReport,
): { changes: Change[]; reply: ServiceOptOutReply } {
  const unchanged = (detail: string) => ({ changes: [], reply: { changed: false, detail } });
  const device = state.devices.get(report.deviceId);
  if (!device) return unchanged(`device ${report.deviceId} is not in the Smart Metering Inventory`);
  if (device.status === DeviceStatus.WITHDRAWN)
    return unchanged(`device ${device.deviceId} is already Withdrawn`);
  if (!isAllowedTransition(device.status, DeviceStatus.WITHDRAWN)) {
    return unchanged(`device ${device.deviceId} is ${DEVICE_STATUS_NAMES[device.status]}: it stays so`);
  }
  const change: Change = {
    $case: 'deviceStatusChanged',
    value: {
      deviceId: device.deviceId,
      status: statusToWire(DeviceStatus.WITHDRAWN),
      reason: `SRV 8.5 service opt-out (${report.requestId})`,
    },
  };
  return { changes: [change], reply: { changed: true, detail: '' } };
}

/** Records a reported opt-out, deciding inside the recorder's queue (it sees the latest record). */
export async function recordOptOut(
  recorder: Recorder,
  report: ServiceOptOutReport,
): Promise<ServiceOptOutReply> {
  let reply: ServiceOptOutReply = { changed: false, detail: '' };
  await recorder.change((state) => {
    const decision = optOutChanges(state, report);
    reply = decision.reply;
    return decision.changes;
  });
  return reply;
}
