import type { UserRoleCode } from '@dcc/domain';
import type { AppointmentRole, CspRegion, DeviceStatus, Fuel, MeterKind, Smets1Cohort } from '@dcc/registry';
import {
  RegistrationAppointmentRole,
  RegistrationCspRegion,
  RegistrationFuel,
  RegistrationMeterKind,
  RegistrationSmets1Cohort,
  SmiDeviceStatus,
  userRoleCodeOf,
  type UserRole,
} from '@dcc/proto';

// The wire enums keep 0 for UNSPECIFIED, so most are the registry's numbers plus one.

export const fuelToWire = (fuel: Fuel): RegistrationFuel => (fuel + 1) as RegistrationFuel;
export const fuelFromWire = (fuel: RegistrationFuel): Fuel | undefined =>
  fuel === RegistrationFuel.REGISTRATION_FUEL_ELECTRICITY || fuel === RegistrationFuel.REGISTRATION_FUEL_GAS
    ? ((fuel - 1) as Fuel)
    : undefined;

export const kindToWire = (kind: MeterKind): RegistrationMeterKind => (kind + 1) as RegistrationMeterKind;
export const kindFromWire = (kind: RegistrationMeterKind): MeterKind | undefined =>
  kind >= 1 && kind <= 3 ? ((kind - 1) as MeterKind) : undefined;

export const cohortToWire = (cohort: Smets1Cohort): RegistrationSmets1Cohort =>
  cohort as number as RegistrationSmets1Cohort;
export const regionToWire = (region: CspRegion): RegistrationCspRegion =>
  region as number as RegistrationCspRegion;

export const statusToWire = (status: DeviceStatus): SmiDeviceStatus => (status + 1) as SmiDeviceStatus;
export const statusFromWire = (status: SmiDeviceStatus): DeviceStatus | undefined =>
  status >= SmiDeviceStatus.SMI_DEVICE_STATUS_PENDING &&
  status <= SmiDeviceStatus.SMI_DEVICE_STATUS_NOT_APPLICABLE
    ? ((status - 1) as DeviceStatus)
    : undefined;

export const roleToWire = (role: AppointmentRole): RegistrationAppointmentRole =>
  (role + 1) as RegistrationAppointmentRole;
export const roleFromWire = (role: RegistrationAppointmentRole): AppointmentRole | undefined =>
  role >= 1 && role <= 4 ? ((role - 1) as AppointmentRole) : undefined;

export const userRoleCode = (role: UserRole): UserRoleCode | undefined => userRoleCodeOf(role);
