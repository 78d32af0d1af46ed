import { DccError, GrpcStatus } from '@dcc/domain';
import { RegistrationSmets1Cohort } from '@dcc/proto';

/** The SMETS1 operating-capability cohorts (DCC-REFERENCE §3): each has its own DCO lane and S1 service provider. */
export const COHORTS = ['IOC', 'MOC', 'FOC'] as const;
export type Cohort = (typeof COHORTS)[number];

/**
 * The cohort of the device a stored command is for, as the Smart Metering Inventory recorded it when access
 * control accepted the request. A SMETS1 command without one cannot be routed to a DCO lane: it is refused
 * (FAILED_PRECONDITION, final), never guessed.
 */
export function cohortOf(recorded: RegistrationSmets1Cohort | undefined, deviceId: string): Cohort {
  switch (recorded) {
    case RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_IOC:
      return 'IOC';
    case RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_MOC:
      return 'MOC';
    case RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_FOC:
      return 'FOC';
    default:
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `the Smart Metering Inventory records no SMETS1 cohort for device ${deviceId}: no DCO to pass`,
      );
  }
}

/** One value per cohort (settings, counters). */
export type PerCohort<T> = Record<Cohort, T>;

export function perCohort<T>(make: (cohort: Cohort) => T): PerCohort<T> {
  return { IOC: make('IOC'), MOC: make('MOC'), FOC: make('FOC') };
}
