import { requestCounter, requestId } from './request-ids.ts';
import { HUB_ID, type Scenario } from './scenarios.ts';

/**
 * Service Requests as protojson objects (dcc.v1.ServiceRequest field names, int64 as decimal strings, bytes as
 * base64): what k6's gRPC client sends as it is, and what the runner turns into ts-proto messages with fromJSON.
 */
export type WireRequest = Record<string, unknown> & {
  requestId: string;
  commandVariant: number;
  serviceReferenceVariant: string;
  userRole: string;
};

const DAY_MS = 86_400_000;

export interface Iteration {
  scenario: Scenario;
  /** The meter's device id (estate.ts). */
  device: string;
  /** When the iteration was meant to start (UTC ms): the RequestID counter carries it. */
  intendedStartMs: number;
  /** The scenario's iteration number. */
  iteration: number;
}

function base(it: Iteration, commandVariant: number, target = it.device): WireRequest {
  return {
    requestId: requestId(
      it.scenario.user,
      target,
      requestCounter(it.intendedStartMs, it.scenario.index, it.iteration),
    ),
    commandVariant,
    serviceReferenceVariant: it.scenario.srv,
    userRole: it.scenario.role,
  };
}

/** 4.1.1 Read Instantaneous Import Registers (no parameters). */
export function readRegisters(it: Iteration): WireRequest {
  return { ...base(it, 1), readInstantaneousImportRegisters: {} };
}

/** 4.8.1 Read Active Import Profile Data for the whole UTC day before the intended start. */
export function readYesterdaysProfile(it: Iteration): WireRequest {
  const midnight = it.intendedStartMs - (it.intendedStartMs % DAY_MS);
  const period = { startMs: String(midnight - DAY_MS), endMs: String(midnight) };
  return { ...base(it, 1), readActiveImportProfileData: { period } };
}

/** 2.2 Top Up Device with a UTRN the supplier's top-up system issued for this device. */
export function topUp(it: Iteration, utrn: string): WireRequest {
  return { ...base(it, 1), topUpDevice: { utrn } };
}

/** A two-rate day/night import tariff (07:00-24:00 rate 1): the 1.1.1 parameters of the critical scenario. */
export const TARIFF = {
  switchingTable: Array.from({ length: 48 }, (_, halfHour) => (halfHour >= 14 ? 1 : 2)),
  pricesPencePerKwh: ['27.03', '13.51'],
  standingChargePencePerDay: '53.35',
};

/** Critical 1.1.1 Update Import Tariff, command variant 4: the hub answers I0 with the pre-command to sign. */
export function transformTariff(it: Iteration): WireRequest {
  return { ...base(it, 4), updateImportTariff: TARIFF };
}

/** Command variant 5 of a transformed request: same RequestID, the pre-command as received and the signature. */
export function submitSigned(
  transformed: WireRequest,
  preCommandBase64: string,
  derSignatureBase64: string,
  keyId = '1',
): WireRequest {
  const { requestId: id, serviceReferenceVariant, userRole } = transformed;
  return {
    requestId: id,
    commandVariant: 5,
    serviceReferenceVariant,
    userRole,
    signedPreCommand: { preCommand: preCommandBase64, signature: derSignatureBase64, keyId },
  };
}

/**
 * DUIS 5.1 Create Schedule body (DCC-REFERENCE §9) as dcc.v1.CreateSchedule: a daily 4.8.1 of the previous day's
 * half hours for the device (StartDateOffset -1 at 00:00 to EndDateOffset 0 at 00:00), first run the day after the
 * intended start at 01:00 UTC, for settlement (purpose MHHS).
 */
export function dailyProfileSchedule(it: Iteration): Record<string, unknown> {
  const midnight = it.intendedStartMs - (it.intendedStartMs % DAY_MS);
  return {
    scheduledServiceReferenceVariant: '4.8.1',
    deviceId: it.device,
    frequency: 'SCHEDULE_FREQUENCY_DAILY',
    startDateMs: String(midnight + DAY_MS),
    executionTimeS: 3_600,
    startDateOffset: -1,
    startTimeS: 0,
    endDateOffset: 0,
    endTimeS: 0,
    purpose: 'MHHS',
  };
}

/** 5.1 Create Schedule, a non-device SRV: command variant 8 to the hub's own id. */
export function createSchedule(it: Iteration, hubId = HUB_ID): WireRequest {
  return { ...base(it, 8, hubId), createSchedule: dailyProfileSchedule(it) };
}
