import { isEui64 } from '@dcc/domain';
import type { HanLinkReply, HanLinkReport } from '@dcc/proto';
import { Fuel } from '@dcc/registry';
import { deviceToWire, type Change } from './commands.js';
import type { DeviceRecord } from './device-inventory.js';
import type { Recorder } from './recorder.js';
import type { RegistrationState } from './state.js';

const METERS: readonly string[] = ['ESME', 'GSME'];
/** The HAN devices the inventory links to meter points (FEED-FORMAT.md, hanDevices). */
const HAN_DEVICES: readonly string[] = ['PPMID', 'IHD', 'HCALCS'];

export interface HanLinkDecision {
  changes: Change[];
  reply: HanLinkReply;
}

const unchanged = (detail: string): HanLinkDecision => ({ changes: [], reply: { changed: false, detail } });

/**
 * What a HAN join or unjoin a device executed (8.7.x, 8.8.x) changes in the inventory. The inventory links a HAN
 * device (PPMID, IHD, HCALCS) to the meter points of the meters it is joined with: whichever end the command was
 * sent to, a join links the HAN device to the meter's point and an unjoin unlinks it. The feed's link rules hold:
 * a PPMID or IHD serves at most one electricity and one gas point (a join to another meter of the same fuel moves
 * it), an HCALCS one electricity point; a HAN device without a comms hub takes the meter's. Pairs the inventory
 * does not link (two meters, a GSME and its GPF, a device the inventory does not hold) change nothing: the device
 * has acted, and the reply says why its record stays as it is.
 */
export function hanLinkChanges(state: RegistrationState, report: HanLinkReport): HanLinkDecision {
  if (!isEui64(report.deviceId) || !isEui64(report.otherDeviceId)) {
    return unchanged('a device id is not an EUI-64 in DUIS form');
  }
  const target = state.devices.get(report.deviceId);
  const other = state.devices.get(report.otherDeviceId);
  if (!target || !other) {
    const missing = target ? report.otherDeviceId : report.deviceId;
    return unchanged(`device ${missing} is not in the Smart Metering Inventory`);
  }
  const meter = [target, other].find((d) => METERS.includes(d.deviceType) && d.mpxn !== '');
  const han = [target, other].find((d) => HAN_DEVICES.includes(d.deviceType));
  if (!meter || !han) {
    return unchanged(`the inventory links no ${target.deviceType} to a ${other.deviceType}`);
  }
  const points = [han.mpxn, ...han.additionalMpxns].filter((m) => m !== '');
  const next = report.joined
    ? joinedPoints(state, han, meter, points)
    : points.filter((m) => m !== meter.mpxn);
  if (typeof next === 'string') return unchanged(next);
  if (next.join() === points.join()) {
    return unchanged(
      `${han.deviceType} ${han.deviceId} is ${report.joined ? 'already' : 'not'} linked to ${meter.mpxn}`,
    );
  }
  const record = deviceToWire(han);
  record.mpxn = next[0] ?? '';
  record.additionalMpxns = next.slice(1);
  if (report.joined && record.commsHubId === '') record.commsHubId = meter.commsHubId;
  return { changes: [{ $case: 'deviceInstalled', value: record }], reply: { changed: true, detail: '' } };
}

/** The HAN device's points once joined to the meter's, or why it cannot be (an HCALCS to a gas meter). */
function joinedPoints(
  state: RegistrationState,
  han: DeviceRecord,
  meter: DeviceRecord,
  points: string[],
): string[] | string {
  if (points.includes(meter.mpxn)) return points;
  const fuel = (mpxn: string) => state.view.describe(state.point(mpxn)).fuel;
  const meterFuel = fuel(meter.mpxn);
  if (han.deviceType === 'HCALCS') {
    return meterFuel === Fuel.ELECTRICITY ? [meter.mpxn] : 'an HCALCS serves an electricity point only';
  }
  // One point per fuel: joining another meter of the same fuel moves the device there.
  return [...points.filter((m) => fuel(m) !== meterFuel), meter.mpxn];
}

/** Records what a reported join or unjoin changes, deciding inside the recorder's queue (it sees the latest record). */
export async function recordHanLink(recorder: Recorder, report: HanLinkReport): Promise<HanLinkReply> {
  let reply: HanLinkReply = { changed: false, detail: '' };
  await recorder.change((state) => {
    const decision = hanLinkChanges(state, report);
    reply = decision.reply;
    return decision.changes;
  });
  return reply;
}
