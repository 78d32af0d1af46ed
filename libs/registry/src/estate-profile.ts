import { CspRegion, DeviceStatus, Smets1Cohort } from './codes.js';

/**
 * The shape of the generated national estate. Assumptions, and where they come from:
 *
 * - Sites: 60 % dual fuel (an MPAN and an MPRN), 40 % electricity only. DCC-REFERENCE §10 gives >21 M meters
 *   in 13 M+ homes (Jul 2022), about 1.6 meters a home, hence 0.6 dual. So ~62.5 % of points are electricity,
 *   ~37.5 % gas. Gas-only sites exist but are rare and are left out.
 * - Meter kind per site (both fuels alike, as installs are): SMETS2 65 %, SMETS1 30 %, dumb 5 % (the brief;
 *   §10: ~20 M SMETS2 and ~15 M SMETS1 targeted in 2024, with SMETS2 installs continuing since).
 * - SMETS1 cohorts IOC 10 % / MOC 35 % / FOC 55 % (assumed: §3 names the cohorts, not their sizes); 85 % of
 *   SMETS1 migrated, i.e. enrolled (§2.2: ~12 M of ~15 M); the rest are known devices in status Pending.
 * - Electricity: the 14 distributor areas (MPAN distributor ids 10-23) weighted by approximate customer
 *   numbers (millions); each area is a distinct network-operator party. CSP region follows the area (North:
 *   Scotland and the north of England; Central: Midlands, East Anglia, Wales; South: London and the south),
 *   an approximation of the CSP boundaries.
 * - Gas: the 8 gas distribution networks as transporters, chosen by the site's area; 10-digit MPRNs.
 * - 20 suppliers with a skewed (roughly Zipf) market share; a dual-fuel site keeps one supplier for both
 *   fuels 85 % of the time. 10 % of points had a previous supplier. 8 % of electricity points export, with an
 *   export supplier (70 % their import supplier). 40 % of enrolled smart electricity points have an MDR
 *   agent (MHHS migration started Oct 2025, §9), one of 6.
 * - SMI status of enrolled smart devices: mostly Commissioned, with the rest of the lifecycle in small shares;
 *   a point counts as enrolled while its device is Commissioned, Suspended, Recovery or Recovered.
 */

export interface DistributorArea {
  id: number;
  name: string;
  /** Approximate customers (millions), used as a weight. */
  customers: number;
  csp: CspRegion;
  /** Index into GAS_TRANSPORTERS for the area's gas network. */
  gasNetwork: number;
}

export const GAS_TRANSPORTERS = [
  'Cadent East of England',
  'Cadent London',
  'Cadent North West',
  'Cadent West Midlands',
  'Northern Gas Networks',
  'SGN Scotland',
  'SGN Southern',
  'Wales & West Utilities',
] as const;

const { NORTH, CENTRAL, SOUTH } = CspRegion;

export const DISTRIBUTOR_AREAS: readonly DistributorArea[] = [
  { id: 10, name: 'Eastern', customers: 3.7, csp: CENTRAL, gasNetwork: 0 },
  { id: 11, name: 'East Midlands', customers: 2.7, csp: CENTRAL, gasNetwork: 0 },
  { id: 12, name: 'London', customers: 2.4, csp: SOUTH, gasNetwork: 1 },
  { id: 13, name: 'Merseyside and North Wales', customers: 1.5, csp: NORTH, gasNetwork: 2 },
  { id: 14, name: 'West Midlands', customers: 2.5, csp: CENTRAL, gasNetwork: 3 },
  { id: 15, name: 'North Eastern', customers: 1.6, csp: NORTH, gasNetwork: 4 },
  { id: 16, name: 'North Western', customers: 2.4, csp: NORTH, gasNetwork: 2 },
  { id: 17, name: 'North Scotland', customers: 0.8, csp: NORTH, gasNetwork: 5 },
  { id: 18, name: 'South Scotland', customers: 2.0, csp: NORTH, gasNetwork: 5 },
  { id: 19, name: 'South Eastern', customers: 2.3, csp: SOUTH, gasNetwork: 6 },
  { id: 20, name: 'Southern', customers: 3.0, csp: SOUTH, gasNetwork: 6 },
  { id: 21, name: 'South Wales', customers: 1.1, csp: CENTRAL, gasNetwork: 7 },
  { id: 22, name: 'South Western', customers: 1.6, csp: SOUTH, gasNetwork: 7 },
  { id: 23, name: 'Yorkshire', customers: 2.3, csp: NORTH, gasNetwork: 4 },
];

/** Market share weights of the 20 suppliers, largest first. */
export const SUPPLIER_SHARES = [
  22, 18, 14, 11, 9, 7, 4, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1,
] as const;

export const MDR_SHARES = [30, 25, 20, 12, 8, 5] as const;

export const SITE_DUAL_FUEL = 0.6;
/** Weights of dumb, SMETS1, SMETS2 (MeterKind order). */
export const METER_KIND_SHARES = [5, 30, 65] as const;
/** Weights of IOC, MOC, FOC. */
export const COHORT_SHARES = [10, 35, 55] as const;
export const COHORTS = [Smets1Cohort.IOC, Smets1Cohort.MOC, Smets1Cohort.FOC] as const;
export const SMETS1_ENROLLED = 0.85;
export const SAME_SUPPLIER_BOTH_FUELS = 0.85;
export const PREVIOUS_SUPPLIER = 0.1;
export const EXPORTING = 0.08;
export const EXPORT_WITH_IMPORT_SUPPLIER = 0.7;
export const MDR_APPOINTED = 0.4;

/** SMI status weights of smart devices that are (or were) enrolled, in DeviceStatus order. */
export const SMART_STATUS_SHARES = [
  0.5, // Pending
  0.5, // Whitelisted
  1.5, // InstalledNotCommissioned
  95, // Commissioned
  0.8, // Decommissioned
  0.6, // Withdrawn
  0.5, // Suspended
  0.3, // Recovery
  0.3, // Recovered
  0, // NotApplicable
] as const;

export function isEnrolledStatus(status: DeviceStatus): boolean {
  return (
    status === DeviceStatus.COMMISSIONED ||
    status === DeviceStatus.SUSPENDED ||
    status === DeviceStatus.RECOVERY ||
    status === DeviceStatus.RECOVERED
  );
}

/**
 * 24-bit prefixes standing in for meter manufacturers' OUIs (arbitrary values, not real assignments); the
 * remaining 40 bits of a device id are a serial number unique across the estate.
 */
export const SMETS2_MANUFACTURERS = [0xbc33ac, 0x0ce5d3, 0x58b5ed, 0x70b3d5, 0x3c6a2c, 0xd0cf5e] as const;
export const SMETS1_MANUFACTURERS = [0x001bc5, 0x00126f, 0x2c4e7d, 0x0004a3] as const;

/** "Now" of the generated estate: a fixed instant, so the estate does not depend on the clock. */
export const ESTATE_NOW_MS = Date.UTC(2026, 0, 1);
/** Start of MHHS migration (DCC-REFERENCE §9), the earliest MDR appointment. */
export const MHHS_START_MS = Date.UTC(2025, 9, 22);
