import { parseEui64, type Eui64 } from '@dcc/domain';
import type { UntypedDeviceCommand } from '@dcc/meter';
import { deviceCallOf } from '@dcc/meter-delivery';
import { RegistrationSmets1Cohort, UserRole, type MeterCommand, type ServiceRequest } from '@dcc/proto';
import type { Cohort } from '../src/cohort.js';

/** Stored commands and their device calls for this package's tests (as access control would store them). */
export const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
export const MDR = '90-B3-D5-1F-30-03-00-00';
let counter = 1;

const COHORT_CODES: Record<Cohort, RegistrationSmets1Cohort> = {
  IOC: RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_IOC,
  MOC: RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_MOC,
  FOC: RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_FOC,
};

const octet = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
export const smets1Device = (n: number): Eui64 =>
  parseEui64(`00-DB-11-00-00-00-${octet(n >> 8)}-${octet(n & 255)}`);

export function storedCommand(
  deviceId: Eui64,
  cohort: Cohort | undefined,
  srv = '4.1.1',
  body: ServiceRequest['body'] = { $case: 'readInstantaneousImportRegisters', value: {} },
  userId = SUPPLIER,
): MeterCommand {
  return {
    request: {
      requestId: `${userId}:${deviceId}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: srv,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body,
    },
    userId,
    deviceId,
    acceptedAtMs: Date.now(),
    smets1Cohort: cohort === undefined ? undefined : COHORT_CODES[cohort],
    deviceType: 'ESME',
  };
}

/** The device call the delivery library makes of a stored (non-critical) command. */
export function callOf(stored: MeterCommand): UntypedDeviceCommand {
  const request = stored.request!;
  const call = deviceCallOf(request);
  return { srv: request.serviceReferenceVariant, params: call.params, requestId: request.requestId };
}

export const profileRead = (period: { startMs: number; endMs: number }): ServiceRequest['body'] => ({
  $case: 'readActiveImportProfileData',
  value: { period },
});
