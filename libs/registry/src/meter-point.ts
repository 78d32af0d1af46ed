import type { Eui64 } from '@dcc/domain';
import type { CspRegion, DeviceStatus, Fuel, MeterKind, Smets1Cohort } from './codes.js';

/** A point to add. Plain fields so a generator can reuse one object for millions of points. */
export interface MeterPointInput {
  /** 13-digit MPAN core for electricity, MPRN for gas. Format only: check digits are the feed's business. */
  mpxn: string;
  fuel: Fuel;
  kind: MeterKind;
  enrolled: boolean;
  /** SMETS1 points only; Smets1Cohort.NONE otherwise. */
  cohort: Smets1Cohort;
  /** SMETS2 points only; CspRegion.NONE otherwise. */
  cspRegion: CspRegion;
  /** The ESME or GSME id as two uint32 words; both 0 when the point has no smart device. */
  deviceHigh: number;
  deviceLow: number;
  deviceStatus: DeviceStatus;
}

/** A point's attributes, as {@link RegistryView.describe} reports them. */
export interface MeterPointInfo {
  mpxn: string;
  fuel: Fuel;
  kind: MeterKind;
  enrolled: boolean;
  cohort: Smets1Cohort;
  cspRegion: CspRegion;
  deviceId: Eui64 | undefined;
  deviceStatus: DeviceStatus;
}
