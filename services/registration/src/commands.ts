import {
  DccError,
  firstViolation,
  GrpcStatus,
  parseEui64,
  parseMpan,
  parseMprn,
  prenotificationRules,
} from '@dcc/domain';
import type { DeviceInstalled, DevicePrenotificationRequest, RegistrationEvent } from '@dcc/proto';
import { DeviceStatus, Fuel, MeterKind } from '@dcc/registry';
import { statusToWire } from './codes.js';
import { SMART_DEVICE_TYPES } from './feed.js';
import { checkTransition } from './smi-status.js';
import type { DeviceRecord, RegistrationState } from './state.js';

/** One change to record: a RegistrationEvent without its recording instant. */
export type Change = NonNullable<RegistrationEvent['change']>;

/** Whether the record already says what `next` says of the device. */
export function sameDevice(known: DeviceRecord, next: DeviceInstalled): boolean {
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
      throw DccError.failedPrecondition(`comms hub ${next.commsHubId} is not a CHF in the inventory`);
    }
    if (device.deviceType === 'CHF')
      throw DccError.failedPrecondition('a CHF is not paired with a comms hub');
  }
  if (input.mpxn && input.mpxn !== device.mpxn) {
    const point = state.point(input.mpxn);
    const info = state.view.describe(point);
    if (device.deviceType === 'ESME' || device.deviceType === 'GSME') {
      if ((device.deviceType === 'ESME') !== (info.fuel === Fuel.ELECTRICITY)) {
        throw DccError.failedPrecondition(`a ${device.deviceType} cannot be installed at ${input.mpxn}`);
      }
      if (info.kind === MeterKind.DUMB) throw DccError.failedPrecondition(`${input.mpxn} has a dumb meter`);
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
    throw DccError.failedPrecondition(
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
