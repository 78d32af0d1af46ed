import { DccError } from '@dcc/domain';
import { CspRegion, Fuel, MeterKind, Smets1Cohort } from './codes.js';

/**
 * A point's static attributes packed into one byte:
 *   bit 0     fuel (0 electricity, 1 gas)
 *   bits 1-2  meter kind (dumb, SMETS1, SMETS2)
 *   bit 3     enrolled in the hub
 *   bits 4-5  SMETS1 cohort when SMETS1, CSP region when SMETS2 (never both, so they share the bits)
 */

const ENROLLED = 0b1000;

export function packMeta(
  fuel: Fuel,
  kind: MeterKind,
  enrolled: boolean,
  cohort: Smets1Cohort,
  region: CspRegion,
): number {
  if (fuel !== Fuel.ELECTRICITY && fuel !== Fuel.GAS)
    throw DccError.invalidArgument(`fuel ${fuel} is unknown`);
  if (kind !== MeterKind.DUMB && kind !== MeterKind.SMETS1 && kind !== MeterKind.SMETS2) {
    throw DccError.invalidArgument(`meter kind ${kind} is unknown`);
  }
  if (kind === MeterKind.SMETS1 ? !(cohort >= 1 && cohort <= 3) : cohort !== Smets1Cohort.NONE) {
    throw DccError.invalidArgument('a SMETS1 cohort is required for SMETS1 points and only for them');
  }
  if (kind === MeterKind.SMETS2 ? !(region >= 1 && region <= 3) : region !== CspRegion.NONE) {
    throw DccError.invalidArgument('a CSP region is required for SMETS2 points and only for them');
  }
  return fuel | (kind << 1) | (enrolled ? ENROLLED : 0) | ((cohort | region) << 4);
}

export function metaFuel(meta: number): Fuel {
  return (meta & 1) as Fuel;
}

export function metaKind(meta: number): MeterKind {
  return ((meta >>> 1) & 3) as MeterKind;
}

export function metaEnrolled(meta: number): boolean {
  return (meta & ENROLLED) !== 0;
}

export function metaWithEnrolled(meta: number, enrolled: boolean): number {
  return enrolled ? meta | ENROLLED : meta & ~ENROLLED;
}

export function metaCohort(meta: number): Smets1Cohort {
  return (metaKind(meta) === MeterKind.SMETS1 ? (meta >>> 4) & 3 : 0) as Smets1Cohort;
}

export function metaRegion(meta: number): CspRegion {
  return (metaKind(meta) === MeterKind.SMETS2 ? (meta >>> 4) & 3 : 0) as CspRegion;
}
