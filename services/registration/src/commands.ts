import {
  DccError,
  firstViolation,
  GrpcStatus,
  parseEui64,
  parseMpan,
  parseMprn,
  prenotificationRules,
} from '@dcc/domain';
import {
  RegistrationFuel,
  type DeviceInstalled,
  type DevicePrenotificationRequest,
  type RegistrationEvent,
} from '@dcc/proto';
import { APPOINTMENT_ROLE_NAMES, AppointmentRole, DeviceStatus, Fuel, MeterKind } from '@dcc/registry';
import { cohortToWire, fuelToWire, kindToWire, regionToWire, roleToWire, statusToWire } from './codes.js';
import type { FeedDevice, FeedRow } from './feed.js';
import { SMART_DEVICE_TYPES } from './feed.js';
import { checkTransition } from './smi-status.js';
import { meterKindGeneration, type DeviceRecord, type RegistrationState } from './state.js';
import { addWorkingDays, type Holidays } from './working-days.js';

/** One change to record: a RegistrationEvent without its recording instant. */
export type Change = NonNullable<RegistrationEvent['change']>;

const DAY_MS = 24 * 60 * 60 * 1000;

const failed = (message: string) => new DccError(GrpcStatus.FAILED_PRECONDITION, message);

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
      throw failed(
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
      throw failed(`device ${d.id} is installed at ${view.describe(elsewhere).mpxn}`);
    }
    const known = state.devices.get(d.id);
    if (known && known.deviceType !== d.type) {
      throw failed(`device ${d.id} is a ${known.deviceType} in the inventory, not a ${d.type}`);
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
        throw failed(
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
    throw failed(`device ${d.id} is a meter point's ESME/GSME in the inventory, not a ${d.type}`);
  }
  const known = state.devices.get(d.id);
  if (known && known.deviceType !== d.type) {
    throw failed(`device ${d.id} is a ${known.deviceType} in the inventory, not a ${d.type}`);
  }
  const generation = meterKindGeneration(row.kind);
  if (known?.smetsGeneration && known.smetsGeneration !== generation) {
    throw failed(`device ${d.id} is ${known.smetsGeneration} in the inventory; ${row.mpxn} is ${generation}`);
  }
  const mpxns = known ? [known.mpxn, ...known.additionalMpxns].filter((m) => m !== '') : [];
  if (!mpxns.includes(row.mpxn)) {
    const serves = mpxns.join(' and ');
    if (mpxns.length >= 2) throw failed(`${d.type} ${d.id} already joins two meter points (${serves})`);
    if (mpxns.length === 1) {
      if (d.type === 'GPF' || d.type === 'HCALCS') {
        throw failed(`a ${d.type} serves one meter point: ${d.id} serves ${serves}`);
      }
      const other = view.pointOfMpxn(mpxns[0]!);
      if (other >= 0 && view.describe(other).fuel === row.fuel) {
        throw failed(`${d.type} ${d.id} serves ${serves}; it can join one electricity and one gas point`);
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

function sameDevice(known: DeviceRecord, next: DeviceInstalled): boolean {
  return (
    known.mpxn === next.mpxn &&
    known.commsHubId === next.commsHubId &&
    known.additionalMpxns.join() === next.additionalMpxns.join() &&
    statusToWire(known.status) === next.status &&
    known.model === next.model &&
    known.firmwareVersion === next.firmwareVersion &&
    known.smetsGeneration === next.smetsGeneration &&
    known.kaPublicKey === Buffer.from(next.kaPublicKey).toString('base64') &&
    known.manufacturer === next.manufacturer &&
    known.smetsChtsVersion === next.smetsChtsVersion &&
    known.esmeVariant === next.esmeVariant
  );
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

export function deviceToWire(d: DeviceRecord): DeviceInstalled {
  return {
    deviceId: d.deviceId,
    deviceType: d.deviceType,
    mpxn: d.mpxn,
    model: d.model,
    firmwareVersion: d.firmwareVersion,
    smetsGeneration: d.smetsGeneration,
    status: statusToWire(d.status),
    commsHubId: d.commsHubId,
    additionalMpxns: [...d.additionalMpxns],
    kaPublicKey: Buffer.from(d.kaPublicKey, 'base64'),
    manufacturer: d.manufacturer,
    smetsChtsVersion: d.smetsChtsVersion,
    esmeVariant: d.esmeVariant,
  };
}

export function knownDevice(state: RegistrationState, id: string): DeviceRecord {
  const device = state.devices.get(parseEui64(id, 'device_id'));
  if (!device) throw DccError.duis('E19', `device ${id} is not in the Smart Metering Inventory`);
  return device;
}

/**
 * SRV 12.2: the device enters the inventory as Pending, with its manufacturer, SMETS/CHTS version and (an ESME's)
 * variant; re-sending the same notification changes nothing.
 */
export function prenotificationChanges(
  state: RegistrationState,
  input: DevicePrenotificationRequest,
): Change[] {
  const deviceId = parseEui64(input.deviceId, 'device_id');
  if (!SMART_DEVICE_TYPES.includes(input.deviceType)) {
    throw DccError.invalidArgument(
      `device_type "${input.deviceType}" is not one of ${SMART_DEVICE_TYPES.join(', ')}`,
    );
  }
  // DUIS's 12.2 names no generation: it pre-notifies devices of the SMETS2 / CHTS product list.
  const smetsGeneration = input.smetsGeneration || 'SMETS2';
  if (smetsGeneration !== 'SMETS1' && smetsGeneration !== 'SMETS2') {
    throw DccError.invalidArgument('smets_generation must be SMETS1 or SMETS2');
  }
  const invalid = firstViolation(prenotificationRules, { ...input });
  if (invalid) throw DccError.invalidArgument(invalid);
  const next: DeviceInstalled = {
    deviceId,
    deviceType: input.deviceType,
    mpxn: '',
    model: input.model,
    firmwareVersion: input.firmwareVersion,
    smetsGeneration,
    status: statusToWire(DeviceStatus.PENDING),
    commsHubId: '',
    additionalMpxns: [],
    kaPublicKey: Buffer.alloc(0),
    manufacturer: input.manufacturer,
    smetsChtsVersion: input.smetsChtsVersion,
    esmeVariant: input.esmeVariant,
  };
  const known = state.devices.get(deviceId);
  if (known) {
    if (
      known.status === DeviceStatus.PENDING &&
      sameDevice(known, next) &&
      known.deviceType === next.deviceType
    ) {
      return [];
    }
    throw new DccError(GrpcStatus.ALREADY_EXISTS, `device ${deviceId} is already in the inventory`);
  }
  return [{ $case: 'deviceInstalled', value: next }];
}

/** A status change through an inventory SRV: allowed transitions only (FAILED_PRECONDITION otherwise). */
export function statusChanges(
  state: RegistrationState,
  deviceId: string,
  status: DeviceStatus,
  reason: string,
): Change[] {
  const device = knownDevice(state, deviceId);
  if (device.status === status) return [];
  checkTransition(device.deviceId, device.status, status);
  return [
    {
      $case: 'deviceStatusChanged',
      value: { deviceId: device.deviceId, status: statusToWire(status), reason },
    },
  ];
}

/** SRV 8.4: device details (model, firmware, point, comms hub) and, optionally, an allowed status change. */
export function updateInventoryChanges(
  state: RegistrationState,
  input: {
    deviceId: string;
    status: DeviceStatus | undefined;
    model: string;
    firmwareVersion: string;
    mpxn: string;
    commsHubId: string;
    reason: string;
  },
): Change[] {
  const device = knownDevice(state, input.deviceId);
  const changes: Change[] = [];
  const next = deviceToWire(device);
  if (input.model) next.model = input.model;
  if (input.firmwareVersion) next.firmwareVersion = input.firmwareVersion;
  if (input.commsHubId) {
    next.commsHubId = parseEui64(input.commsHubId, 'comms_hub_id');
    if (state.devices.get(next.commsHubId)?.deviceType !== 'CHF') {
      throw failed(`comms hub ${next.commsHubId} is not a CHF in the inventory`);
    }
    if (device.deviceType === 'CHF') throw failed('a CHF is not paired with a comms hub');
  }
  if (input.mpxn && input.mpxn !== device.mpxn) {
    const point = state.point(input.mpxn);
    const info = state.view.describe(point);
    if (device.deviceType === 'ESME' || device.deviceType === 'GSME') {
      if ((device.deviceType === 'ESME') !== (info.fuel === Fuel.ELECTRICITY)) {
        throw failed(`a ${device.deviceType} cannot be installed at ${input.mpxn}`);
      }
      if (info.kind === MeterKind.DUMB) throw failed(`${input.mpxn} has a dumb meter`);
    }
    next.mpxn = input.mpxn;
    next.additionalMpxns = next.additionalMpxns.filter((m) => m !== input.mpxn);
  }
  if (!sameDevice(device, next)) {
    changes.push({ $case: 'deviceInstalled', value: next });
  }
  if (input.status !== undefined)
    changes.push(...statusChanges(state, device.deviceId, input.status, input.reason));
  return changes;
}

export interface CosSettings {
  objectionWorkingDays: number;
  resolveWorkingDays: number;
  gasEffectiveDays: number;
  holidays: Holidays;
}

/** A whole second at or after `ms` (appointments start on whole seconds). */
const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

/**
 * Change of supplier requested by the gaining supplier. Electricity: pending, with the losing supplier's
 * objection window of `objectionWorkingDays`; effective on the requested date (never before the window
 * closes). Gas: confirmed now, irrevocable, effective `gasEffectiveDays` later.
 */
export function requestSwitchChanges(
  state: RegistrationState,
  input: { mpxn: string; gainingSupplierId: string; effectiveMs: number },
  nowMs: number,
  settings: CosSettings,
  switchId: string,
): Change[] {
  const point = state.point(input.mpxn);
  const gaining = parseEui64(input.gainingSupplierId, 'gaining_supplier_id');
  const fuel = state.view.describe(point).fuel;
  const losing = state.partyId(state.view.holder(point, AppointmentRole.SUPPLIER));
  if (losing === gaining) throw failed(`${gaining} already supplies ${input.mpxn}`);
  const open = state.openSwitch(input.mpxn);
  if (open) throw failed(`switch ${open.id} is already in progress at ${input.mpxn}`);
  const electricity = fuel === Fuel.ELECTRICITY;
  const objectionDeadlineMs = electricity
    ? addWorkingDays(nowMs, settings.objectionWorkingDays, settings.holidays)
    : 0;
  const effectiveMs = electricity
    ? ceilSecond(Math.max(input.effectiveMs, objectionDeadlineMs))
    : ceilSecond(nowMs + settings.gasEffectiveDays * DAY_MS);
  if (effectiveMs < state.view.holderSinceMs(point, AppointmentRole.SUPPLIER)) {
    throw failed('the switch date precedes the current supplier appointment');
  }
  return [
    {
      $case: 'switchRequested',
      value: {
        switchId,
        mpxn: input.mpxn,
        fuel: electricity
          ? RegistrationFuel.REGISTRATION_FUEL_ELECTRICITY
          : RegistrationFuel.REGISTRATION_FUEL_GAS,
        gainingSupplierId: gaining,
        losingSupplierId: losing,
        effectiveMs,
        objectionDeadlineMs,
        irrevocable: !electricity,
      },
    },
  ];
}

export function objectionChanges(
  state: RegistrationState,
  input: { switchId: string; partyId: string; reason: string },
  nowMs: number,
  settings: CosSettings,
): Change[] {
  const s = state.switchOf(input.switchId);
  if (s.irrevocable) throw failed(`switch ${s.id} is a confirmed gas switch: irrevocable, no objection`);
  if (s.state !== 'pending') throw failed(`switch ${s.id} is ${s.state}`);
  if (s.objected) throw failed(`switch ${s.id} was objected to already`);
  if (parseEui64(input.partyId, 'party_id') !== s.losingSupplierId) {
    throw new DccError(GrpcStatus.PERMISSION_DENIED, `only the losing supplier may object to switch ${s.id}`);
  }
  if (nowMs >= s.objectionDeadlineMs) {
    throw failed(
      `the objection window of switch ${s.id} closed at ${new Date(s.objectionDeadlineMs).toISOString()}`,
    );
  }
  return [
    {
      $case: 'switchObjected',
      value: {
        switchId: s.id,
        reason: input.reason,
        resolveDeadlineMs: addWorkingDays(nowMs, settings.resolveWorkingDays, settings.holidays),
      },
    },
  ];
}

export function resolveChanges(
  state: RegistrationState,
  input: { switchId: string; partyId: string },
  nowMs: number,
): Change[] {
  const s = state.switchOf(input.switchId);
  if (s.state !== 'objected') throw failed(`switch ${s.id} is ${s.state}, not objected`);
  if (parseEui64(input.partyId, 'party_id') !== s.losingSupplierId) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `only the objecting supplier may resolve switch ${s.id}`,
    );
  }
  if (nowMs >= s.resolveDeadlineMs) throw failed(`switch ${s.id} is past its resolve deadline`);
  return [{ $case: 'switchObjectionResolved', value: { switchId: s.id } }];
}

/**
 * What is due at `nowMs`: objections not resolved in time are unpicked; pending switches whose date has come
 * (and whose objection window has closed) complete, with the definitive reading they need.
 */
export function dueSwitchChanges(state: RegistrationState, nowMs: number): Change[] {
  const changes: Change[] = [];
  for (const s of state.switches.values()) {
    if (s.state === 'objected' && nowMs >= s.resolveDeadlineMs) {
      changes.push({
        $case: 'switchUnpicked',
        value: { switchId: s.id, reason: 'objection not resolved in time' },
      });
    } else if (s.state === 'pending' && nowMs >= s.effectiveMs && nowMs >= s.objectionDeadlineMs) {
      const point = state.point(s.mpxn);
      if (s.effectiveMs < state.view.holderSinceMs(point, AppointmentRole.SUPPLIER)) {
        changes.push({
          $case: 'switchUnpicked',
          value: { switchId: s.id, reason: 'a later supplier appointment was registered meanwhile' },
        });
        continue;
      }
      changes.push({ $case: 'switchCompleted', value: { switchId: s.id, effectiveMs: s.effectiveMs } });
      changes.push({
        $case: 'definitiveReadingRequired',
        value: {
          mpxn: s.mpxn,
          switchId: s.id,
          deviceId: state.view.describe(point).deviceId ?? '',
          atMs: s.effectiveMs,
        },
      });
    }
  }
  return changes;
}

/**
 * Change of tenancy: a new tenancy from `startedAtMs`, and every standing Other User consent granted before it
 * revoked from that instant (one event each); the same start again changes nothing.
 */
export function tenancyChanges(state: RegistrationState, mpxn: string, startedAtMs: number): Change[] {
  const point = state.point(mpxn);
  if (!Number.isSafeInteger(startedAtMs) || startedAtMs <= 0 || startedAtMs % 1000 !== 0) {
    throw DccError.invalidArgument('started_at_ms must be a whole second after 1970');
  }
  if (state.tenancyStarts(point).includes(startedAtMs)) return [];
  const changes: Change[] = [{ $case: 'tenancyStarted', value: { mpxn, startedAtMs } }];
  const revoked = new Set<string>();
  for (const c of state.consentsAt(point)) {
    if (c.revokedAtMs !== 0 || c.fromMs >= startedAtMs || revoked.has(c.partyId)) continue;
    if (c.untilMs !== 0 && c.untilMs <= startedAtMs) continue; // over before the new tenancy
    revoked.add(c.partyId);
    changes.push({
      $case: 'consentRevoked',
      value: { mpxn, partyId: c.partyId, revokedAtMs: startedAtMs, reason: 'change of tenancy' },
    });
  }
  return changes;
}

/**
 * An Other User's consent at a point from `fromMs` (whole second) until `untilMs` (0 = open). It may not start
 * before the current tenancy (a consent belongs to one consumer); the same standing consent again changes
 * nothing; a different one replaces the party's standing consent.
 */
export function grantConsentChanges(
  state: RegistrationState,
  input: { mpxn: string; partyId: string; fromMs: number; untilMs: number },
): Change[] {
  const point = state.point(input.mpxn);
  const partyId = parseEui64(input.partyId, 'party_id');
  const { fromMs, untilMs } = input;
  if (!Number.isSafeInteger(fromMs) || fromMs < 0 || fromMs % 1000 !== 0) {
    throw DccError.invalidArgument('from_ms must be a whole second from 1970 on');
  }
  if (!Number.isSafeInteger(untilMs) || (untilMs !== 0 && untilMs <= fromMs)) {
    throw DccError.invalidArgument('until_ms must be 0 (open) or after from_ms');
  }
  const tenancy = state.tenancyAt(point, Number.MAX_SAFE_INTEGER);
  if (fromMs < tenancy) {
    throw failed(
      `a consent from ${new Date(fromMs).toISOString()} precedes the current tenancy from ${new Date(tenancy).toISOString()}`,
    );
  }
  const standing = state.consentsAt(point).find((c) => c.partyId === partyId && c.revokedAtMs === 0);
  if (standing && standing.fromMs === fromMs && standing.untilMs === untilMs) return [];
  return [{ $case: 'consentGranted', value: { mpxn: input.mpxn, partyId, fromMs, untilMs } }];
}

/** The party's standing consent at the point ends at `nowMs`; NOT_FOUND when it has none. */
export function revokeConsentChanges(
  state: RegistrationState,
  input: { mpxn: string; partyId: string; reason: string },
  nowMs: number,
): Change[] {
  const point = state.point(input.mpxn);
  const partyId = parseEui64(input.partyId, 'party_id');
  if (!state.consentsAt(point).some((c) => c.partyId === partyId && c.revokedAtMs === 0)) {
    throw new DccError(GrpcStatus.NOT_FOUND, `${partyId} holds no consent at ${input.mpxn}`);
  }
  return [
    {
      $case: 'consentRevoked',
      value: { mpxn: input.mpxn, partyId, revokedAtMs: nowMs, reason: input.reason || 'withdrawn' },
    },
  ];
}

/** An MPxN from a request: format only (the record decides whether it is registered). */
export function requestMpxn(mpxn: string): string {
  return /^\d{13}$/.test(mpxn)
    ? parseMpan(mpxn, { checkDigit: false })
    : parseMprn(mpxn, { checkDigit: false });
}

/** The event subject suffix for a change. */
export function eventKind(change: Change): string {
  switch (change.$case) {
    case 'meterPointUpserted':
      return 'point';
    case 'appointmentChanged':
      return 'appointment';
    case 'deviceInstalled':
    case 'deviceStatusChanged':
    case 'deviceDeleted':
      return 'device';
    case 'tenancyStarted':
      return 'tenancy';
    case 'definitiveReadingRequired':
      return 'reading';
    case 'consentGranted':
    case 'consentRevoked':
      return 'consent';
    default:
      return 'switch';
  }
}
