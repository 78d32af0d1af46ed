/**
 * The small enumerations the view stores as numbers. Each is a const object (value = the number kept in a
 * typed array) plus a names list indexed by that number, so a column costs a byte, not a string reference.
 */

export const Fuel = { ELECTRICITY: 0, GAS: 1 } as const;
export type Fuel = (typeof Fuel)[keyof typeof Fuel];
export const FUEL_NAMES = ['electricity', 'gas'] as const;

export const MeterKind = { DUMB: 0, SMETS1: 1, SMETS2: 2 } as const;
export type MeterKind = (typeof MeterKind)[keyof typeof MeterKind];
export const METER_KIND_NAMES = ['dumb', 'SMETS1', 'SMETS2'] as const;

/** SMETS1 operating-capability cohort (DCC-REFERENCE §3); NONE for points that are not SMETS1. */
export const Smets1Cohort = { NONE: 0, IOC: 1, MOC: 2, FOC: 3 } as const;
export type Smets1Cohort = (typeof Smets1Cohort)[keyof typeof Smets1Cohort];
export const SMETS1_COHORT_NAMES = ['none', 'IOC', 'MOC', 'FOC'] as const;

/** Communications Service Provider region of a SMETS2 installation; NONE for points that are not SMETS2. */
export const CspRegion = { NONE: 0, NORTH: 1, CENTRAL: 2, SOUTH: 3 } as const;
export type CspRegion = (typeof CspRegion)[keyof typeof CspRegion];
export const CSP_REGION_NAMES = ['none', 'North', 'Central', 'South'] as const;

/**
 * Smart Metering Inventory status (DCC-REFERENCE §2.4), in the DUIS spelling. NotApplicable is also what a
 * point without a smart device (a dumb meter) reports.
 */
export const DeviceStatus = {
  PENDING: 0,
  WHITELISTED: 1,
  INSTALLED_NOT_COMMISSIONED: 2,
  COMMISSIONED: 3,
  DECOMMISSIONED: 4,
  WITHDRAWN: 5,
  SUSPENDED: 6,
  RECOVERY: 7,
  RECOVERED: 8,
  NOT_APPLICABLE: 9,
} as const;
export type DeviceStatus = (typeof DeviceStatus)[keyof typeof DeviceStatus];
export const DEVICE_STATUS_NAMES = [
  'Pending',
  'Whitelisted',
  'InstalledNotCommissioned',
  'Commissioned',
  'Decommissioned',
  'Withdrawn',
  'Suspended',
  'Recovery',
  'Recovered',
  'NotApplicable',
] as const;

/**
 * The effective-dated appointments a point keeps. SUPPLIER is the import supplier of an MPAN or the gas
 * supplier of an MPRN (the fuel says which); NETWORK_OPERATOR is the distributor (ED) or transporter (GT).
 */
export const AppointmentRole = { SUPPLIER: 0, EXPORT_SUPPLIER: 1, MDR: 2, NETWORK_OPERATOR: 3 } as const;
export type AppointmentRole = (typeof AppointmentRole)[keyof typeof AppointmentRole];
export const APPOINTMENT_ROLE_NAMES = ['supplier', 'export supplier', 'MDR', 'network operator'] as const;
export const APPOINTMENT_ROLE_COUNT = 4;

/** Party index meaning "nobody holds this role". Real parties are numbered from 1. */
export const NO_PARTY = 0;

/**
 * Smart Metering Inventory device types (DCC-REFERENCE §2): the meters (ESME, GSME), the communications hub
 * function (CHF), the gas proxy function (GPF) through which the hub reaches a GSME, and the HAN devices joined
 * to the meters (PPMID prepayment interface, HCALCS auxiliary load control switch, IHD in-home display).
 */
export const DeviceType = { ESME: 0, GSME: 1, CHF: 2, GPF: 3, PPMID: 4, HCALCS: 5, IHD: 6 } as const;
export type DeviceType = (typeof DeviceType)[keyof typeof DeviceType];
export const DEVICE_TYPE_NAMES = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS', 'IHD'] as const;
export type DeviceTypeName = (typeof DEVICE_TYPE_NAMES)[number];
