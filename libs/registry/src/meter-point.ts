import type { Eui64 } from '@dcc/domain';
import type { CspRegion, DeviceStatus, DeviceType, Fuel, MeterKind, Smets1Cohort } from './codes.js';

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

/** A device other than a point's installed meter, as {@link RegistryView.putLinkedDevice} records it. */
export interface LinkedDeviceChange {
  type: DeviceType;
  /** MeterKind.SMETS1 or MeterKind.SMETS2. */
  generation: MeterKind;
  status: DeviceStatus;
  /** The meter points (numbers) it is joined to: none, one, or two at a dual-fuel premises. */
  points: readonly number[];
  /** The CHF it is paired with (already in the inventory); undefined for a CHF itself or when not paired. */
  commsHubId: Eui64 | undefined;
}

/** What the inventory knows about one device ({@link RegistryView.deviceFacts}). */
export interface DeviceFacts {
  deviceId: Eui64;
  type: DeviceType;
  /** MeterKind.SMETS1 or SMETS2 (DUMB never: a dumb meter has no device). */
  generation: MeterKind;
  status: DeviceStatus;
  /** The meter points it serves (point numbers); empty when installed at none. */
  points: number[];
  /** Of its (first) point: SMETS1 cohort, or NONE. */
  cohort: Smets1Cohort;
  /** Of its (first) point: CSP region, or NONE. */
  cspRegion: CspRegion;
  commsHubId: Eui64 | undefined;
  /** A GSME's gas proxy function, through which the hub reaches it; undefined for other types. */
  gpfId: Eui64 | undefined;
}
