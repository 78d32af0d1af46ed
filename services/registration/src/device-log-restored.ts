import type { DeviceLogRestoredReply, DeviceLogRestoredReport } from '@dcc/proto';
import { deviceToWire, type Change } from './commands.js';
import { LOG_KEEPERS, pointsOf } from './device-log.js';
import type { Recorder } from './recorder.js';
import type { RegistrationState } from './state.js';

export interface RestoreDecision {
  changes: Change[];
  reply: DeviceLogRestoredReply;
}

const unchanged = (detail: string): RestoreDecision => ({ changes: [], reply: { moved: 0, detail } });

/**
 * What an 8.12.x restore a new device executed changes in the inventory: the devices that joined the HAN through
 * the old device now join it through the new one. 8.12.1: the devices at the old CHF's points that name it as
 * their comms hub name the new CHF (recorded again, so it routes the electricity point). 8.12.2: a GSME the inventory reaches through the old GPF is reached through
 * the new one (the new GPF is recorded again, so it routes its gas point). Nothing to move, or a report the
 * inventory cannot apply (a device it does not hold, not of the SRV's type, not at the same points) changes
 * nothing: the device has acted, and the reply says why.
 */
export function deviceLogRestoredChanges(
  state: RegistrationState,
  report: DeviceLogRestoredReport,
): RestoreDecision {
  const keeper = ({ '8.12.1': 'CHF', '8.12.2': 'GPF' } as const)[report.serviceReferenceVariant as '8.12.1'];
  if (!keeper) return unchanged(`SRV ${report.serviceReferenceVariant} restores no device log`);
  const old = state.devices.get(report.oldDeviceId);
  const fresh = state.devices.get(report.newDeviceId);
  if (old?.deviceType !== keeper || fresh?.deviceType !== keeper || old.deviceId === fresh.deviceId) {
    return unchanged(
      `the inventory holds no old and new ${keeper} ${report.oldDeviceId}, ${report.newDeviceId}`,
    );
  }
  const shared = pointsOf(state, fresh);
  const points = pointsOf(state, old).filter((p) => shared.includes(p));
  const devices = points
    .flatMap((p) => state.devices.at(p))
    .filter((d) => !LOG_KEEPERS.includes(d.deviceType));
  if (keeper === 'CHF') {
    const moving = devices.filter((d) => d.commsHubId === old.deviceId);
    if (moving.length === 0) return unchanged(`no device names ${old.deviceId} as its comms hub`);
    // The new CHF recorded again first, so it routes its electricity point; then each device names it.
    const changes: Change[] = [
      { $case: 'deviceInstalled', value: deviceToWire(fresh) },
      ...moving.map((d): Change => ({
        $case: 'deviceInstalled',
        value: { ...deviceToWire(d), commsHubId: fresh.deviceId },
      })),
    ];
    return { changes, reply: { moved: moving.length, detail: '' } };
  }
  const routed = devices.filter((d) => state.view.deviceFacts(d.deviceId)?.gpfId === old.deviceId);
  if (routed.length === 0) return unchanged(`no GSME is reached through ${old.deviceId}`);
  return {
    changes: [{ $case: 'deviceInstalled', value: deviceToWire(fresh) }],
    reply: { moved: routed.length, detail: '' },
  };
}

/** Records what a reported restore moves, deciding inside the recorder's queue (it sees the latest record). */
export async function recordDeviceLogRestored(
  recorder: Recorder,
  report: DeviceLogRestoredReport,
): Promise<DeviceLogRestoredReply> {
  let reply: DeviceLogRestoredReply = { moved: 0, detail: '' };
  await recorder.change((state) => {
    const decision = deviceLogRestoredChanges(state, report);
    reply = decision.reply;
    return decision.changes;
  });
  return reply;
}
