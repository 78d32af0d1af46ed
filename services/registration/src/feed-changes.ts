import { DccError, GrpcStatus } from '@dcc/domain';
import { APPOINTMENT_ROLE_NAMES } from '@dcc/registry';
import type { DeviceInstalled } from '@dcc/proto';
import { sameDevice, type Change } from './commands.js';
import { cohortToWire, fuelToWire, kindToWire, regionToWire, roleToWire, statusToWire } from './codes.js';
import type { FeedDevice, FeedRow } from './feed.js';
import { meterKindGeneration, type DeviceRecord, type RegistrationState } from './state.js';

/** Feed lines as changes: what a line of a registration-data feed adds to or changes in the record. */

/**
 * The events that bring the record to what a feed row says; none when it says it already. Everything is
 * checked first, so a refused row (INVALID_ARGUMENT / FAILED_PRECONDITION) records nothing.
 */
export function feedRowChanges(state: RegistrationState, row: FeedRow): Change[] {
  const { view } = state;
  const changes: Change[] = [];
  const point = view.pointOfMpxn(row.mpxn);
  if (point < 0) {
    if (view.size >= view.capacity) {
      throw new DccError(GrpcStatus.RESOURCE_EXHAUSTED, `the registry is full (${view.capacity} points)`);
    }
  } else {
    const known = view.describe(point);
    if (
      known.fuel !== row.fuel ||
      known.kind !== row.kind ||
      known.cohort !== row.cohort ||
      known.cspRegion !== row.cspRegion
    ) {
      throw DccError.failedPrecondition(
        `${row.mpxn}: fuel, meter kind, cohort and CSP region of a registered point do not change in a feed`,
      );
    }
    // A row the record has already moved past (a re-sent feed's earlier row for a point a later row changed):
    // it changes nothing, so a re-send is a no-op instead of reverting the device or being refused.
    if (supersededByRecord(state, point, row)) return [];
  }
  const address = point < 0 ? undefined : state.addresses.of(point);
  if (
    point < 0 ||
    view.describe(point).enrolled !== row.enrolled ||
    state.uprnOf(point) !== row.uprn ||
    address?.postCode !== row.postCode ||
    address.addressIdentifier !== row.addressIdentifier
  ) {
    changes.push({
      $case: 'meterPointUpserted',
      value: {
        mpxn: row.mpxn,
        fuel: fuelToWire(row.fuel),
        meterKind: kindToWire(row.kind),
        enrolled: row.enrolled,
        smets1Cohort: cohortToWire(row.cohort),
        cspRegion: regionToWire(row.cspRegion),
        uprn: row.uprn,
        postCode: row.postCode,
        addressIdentifier: row.addressIdentifier,
      },
    });
  }
  // The meter is checked first but recorded after the comms hub it names (so the hub is there when it is).
  let meterChange: Change | undefined;
  const grid = row.gridConnection;
  const recorded = point < 0 ? undefined : state.grid.of(point);
  if (grid && (grid.feeder !== recorded?.feeder || grid.substation !== recorded.substation)) {
    changes.push({ $case: 'gridConnectionChanged', value: { mpxn: row.mpxn, ...grid } });
  }
  if (row.device) {
    const d = row.device;
    const elsewhere = view.pointOfDevice(d.id);
    if (elsewhere >= 0 && elsewhere !== point) {
      throw DccError.failedPrecondition(`device ${d.id} is installed at ${view.describe(elsewhere).mpxn}`);
    }
    const known = state.devices.get(d.id);
    if (known && known.deviceType !== d.type) {
      throw DccError.failedPrecondition(
        `device ${d.id} is a ${known.deviceType} in the inventory, not a ${d.type}`,
      );
    }
    const next: DeviceInstalled = {
      deviceId: d.id,
      deviceType: d.type,
      mpxn: row.mpxn,
      model: d.model || known?.model || '',
      firmwareVersion: d.firmwareVersion || known?.firmwareVersion || '',
      smetsGeneration: meterKindGeneration(row.kind),
      status: statusToWire(d.status),
      // A line without a comms hub leaves the recorded one (feeds from before comms hubs were carried).
      commsHubId: row.commsHub?.id ?? known?.commsHubId ?? '',
      additionalMpxns: [],
      // A line without the key leaves the registered one (as for the model and firmware version).
      kaPublicKey: Buffer.from(d.kaPublicKey || known?.kaPublicKey || '', 'base64'),
      ...describedAs(known, d.esmeVariant),
    };
    if (!known || !sameDevice(known, next)) meterChange = { $case: 'deviceInstalled', value: next };
  }
  // The comms hub first: the GPF and HAN devices of the line pair with it.
  const hubId = row.commsHub?.id ?? '';
  for (const linked of [row.commsHub, row.gpf, ...row.hanDevices]) {
    if (!linked) continue;
    const next = linkedDeviceInstalled(state, row, linked, linked === row.commsHub ? '' : hubId);
    if (next) changes.push({ $case: 'deviceInstalled', value: next });
  }
  if (meterChange) changes.push(meterChange);
  const appointments: Change[] = [];
  for (const a of row.appointments) {
    const party = a.partyId === '' ? 0 : view.parties.indexOf(a.partyId);
    if (point >= 0) {
      const current = view.holder(point, a.role);
      if (a.partyId !== '' && party === current) continue;
      if (a.partyId === '' && current === 0) continue;
      const since = view.holderSinceMs(point, a.role);
      if (a.fromMs < since) {
        throw DccError.failedPrecondition(
          `${APPOINTMENT_ROLE_NAMES[a.role]} from ${new Date(a.fromMs).toISOString()} precedes the current ` +
            `holding from ${new Date(since).toISOString()}`,
        );
      }
    }
    appointments.push({
      $case: 'appointmentChanged',
      value: { mpxn: row.mpxn, role: roleToWire(a.role), partyId: a.partyId, effectiveFromMs: a.fromMs },
    });
  }
  // The events are stored one by one, so a crash can keep a prefix of them. The appointments go first (after
  // the point only when it is new): once any of them is stored, the earlier rows of a re-sent feed are
  // superseded by the record and change nothing (were the device or the point's status first, those rows
  // would revert it, and the line re-apply it).
  changes.splice(point < 0 ? 1 : 0, 0, ...appointments);
  return changes;
}

/**
 * Whether one of the row's appointments is a holding the point's history records as already ended: exactly
 * that party, role and start, followed by a later holding. Such a row describes the point as it was before a
 * change already recorded, as the earlier rows of a re-sent feed do.
 */
function supersededByRecord(state: RegistrationState, point: number, row: FeedRow): boolean {
  const { view } = state;
  return row.appointments.some((a) => {
    if (a.fromMs >= view.holderSinceMs(point, a.role)) return false;
    const party = a.partyId === '' ? 0 : view.parties.indexOf(a.partyId);
    return view
      .history(point, a.role)
      .some((h) => h.toMs !== undefined && h.party === party && h.fromMs === a.fromMs);
  });
}

/**
 * A CHF, GPF or HAN device on a feed line: joined to the line's point (besides the point it already serves, for
 * a CHF, PPMID or IHD shared by the electricity and gas points of a premises), paired with the line's comms hub.
 * Undefined when the record already says so. Links that cannot be are refused: another device's id, another
 * type, another generation, a third point, two points of one fuel, a second point for a GPF or HCALCS.
 */
function linkedDeviceInstalled(
  state: RegistrationState,
  row: FeedRow,
  d: FeedDevice,
  commsHubId: string,
): DeviceInstalled | undefined {
  const { view } = state;
  if (view.pointOfDevice(d.id) >= 0) {
    throw DccError.failedPrecondition(
      `device ${d.id} is a meter point's ESME/GSME in the inventory, not a ${d.type}`,
    );
  }
  const known = state.devices.get(d.id);
  if (known && known.deviceType !== d.type) {
    throw DccError.failedPrecondition(
      `device ${d.id} is a ${known.deviceType} in the inventory, not a ${d.type}`,
    );
  }
  const generation = meterKindGeneration(row.kind);
  if (known?.smetsGeneration && known.smetsGeneration !== generation) {
    throw DccError.failedPrecondition(
      `device ${d.id} is ${known.smetsGeneration} in the inventory; ${row.mpxn} is ${generation}`,
    );
  }
  const mpxns = known ? [known.mpxn, ...known.additionalMpxns].filter((m) => m !== '') : [];
  if (!mpxns.includes(row.mpxn)) {
    const serves = mpxns.join(' and ');
    if (mpxns.length >= 2)
      throw DccError.failedPrecondition(`${d.type} ${d.id} already joins two meter points (${serves})`);
    if (mpxns.length === 1) {
      if (d.type === 'GPF' || d.type === 'HCALCS') {
        throw DccError.failedPrecondition(`a ${d.type} serves one meter point: ${d.id} serves ${serves}`);
      }
      const other = view.pointOfMpxn(mpxns[0]!);
      if (other >= 0 && view.describe(other).fuel === row.fuel) {
        throw DccError.failedPrecondition(
          `${d.type} ${d.id} serves ${serves}; it can join one electricity and one gas point`,
        );
      }
    }
    mpxns.push(row.mpxn);
  }
  const next: DeviceInstalled = {
    deviceId: d.id,
    deviceType: d.type,
    mpxn: mpxns[0]!,
    model: d.model || known?.model || '',
    firmwareVersion: d.firmwareVersion || known?.firmwareVersion || '',
    smetsGeneration: generation,
    status: statusToWire(d.status),
    commsHubId,
    additionalMpxns: mpxns.slice(1),
    kaPublicKey: Buffer.alloc(0),
    ...describedAs(known, ''),
  };
  return known && sameDevice(known, next) ? undefined : next;
}

/**
 * What a feed line keeps of the recorded description (manufacturer and SMETS/CHTS version come from 12.2, not the
 * feed) and the ESME variant it gives, else the recorded one.
 */
function describedAs(known: DeviceRecord | undefined, esmeVariant: string) {
  return {
    manufacturer: known?.manufacturer ?? '',
    smetsChtsVersion: known?.smetsChtsVersion ?? '',
    esmeVariant: esmeVariant || known?.esmeVariant || '',
  };
}
