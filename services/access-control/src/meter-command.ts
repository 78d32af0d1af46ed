import { subjects } from '@dcc/bus';
import { partitionOf } from '@dcc/domain';
import type { MeterCommand, ServiceRequest } from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';
import type { RegistrationGrant } from './registration-check.js';

/**
 * The command stored on METER_MAIL for an admitted device request, with the inventory's facts its adapter needs,
 * and the subject it is stored on: SMETS2 to the smets2-adapter's path, SMETS1 to the SMETS1 adapter's.
 */
export function meterCommandOf(
  admitted: Pick<AdmittedRequest, 'id'>,
  request: ServiceRequest,
  grant: RegistrationGrant,
  acceptedAtMs: number,
  partitions: number,
): { command: MeterCommand; subject: string } {
  const command: MeterCommand = {
    request,
    userId: admitted.id.originator,
    deviceId: admitted.id.target,
    acceptedAtMs,
    // The inventory's facts the SMETS1 adapter needs (its DCO and S1 service provider work per cohort).
    smets1Cohort: grant.smets1Cohort,
    deviceType: grant.deviceType,
    // The inventory's facts the SMETS2 adapter needs (its delivery model is per CSP region, through the
    // device's comms hub and, for a GSME, its GPF).
    cspRegion: grant.cspRegion,
    commsHubId: grant.commsHubId,
    gpfId: grant.gpfId,
    // The installed ESME's variant: the device edge simulates that meter.
    ...(grant.esmeVariant ? { esmeVariant: grant.esmeVariant } : {}),
  };
  const subject = subjects.meterMail(
    grant.path,
    partitionOf(admitted.id.target, partitions),
    admitted.id.target,
  );
  return { command, subject };
}
