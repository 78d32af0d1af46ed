import type { DeviceType } from '@dcc/domain';
import type { DeviceModel } from './device-model.js';
import type { MeterState } from './meter-state.js';

/*
 * The gas meter's measurement. A GSME measures volume; it derives energy from it with the calorific value (CV,
 * MJ/m3) and the conversion factor (CF) in force: Wh = dm3 × CV × CF / 3.6. The consumption model (the same as
 * an electricity meter's) gives the energy the premises draws at the standard CV and CF below, so the volume
 * register is that energy over the standard energy per dm3, and the volume profile is the register's steps.
 * 6.6 changes the CV and CF from then on: energy already derived stays as it was (each change is a checkpoint
 * of volume and energy), as on a real meter. The GPF answers gas reads in the same shape (it proxies the GSME).
 *
 * Simulated: the standard values; the TOU registers, tariff charges and prepayment keep the consumption model's
 * energy (at the standard CV and CF), not the 6.6 values; at most MAX_CONVERSIONS checkpoints are kept, and a
 * read before the oldest one kept converts at the standard values.
 */

/** MJ/m3: a typical GB natural gas calorific value (simulated default). */
export const STANDARD_CALORIFIC_VALUE = 39.5;
/** The standard GB volume conversion factor. */
export const STANDARD_CONVERSION_FACTOR = 1.02264;
const MAX_CONVERSIONS = 32;

/** The uncontrolled gas flow check (6.7): rate in ten-thousandths of m3/h, periods in seconds. */
export interface GasFlowConfig {
  rateTenThousandths: number;
  stabilisationS: number;
  measurementS: number;
  depletionLocked: boolean;
  tamperLocked: boolean;
}

/** The GSME's defaults until 6.7 sets the check (simulated: 6 m3/h over 5 minutes after 1 minute). */
export const DEFAULT_GAS_FLOW: GasFlowConfig = {
  rateTenThousandths: 60_000,
  stabilisationS: 60,
  measurementS: 300,
  depletionLocked: false,
  tamperLocked: false,
};

/** One 6.6 change: from `atMs`, with the volume and energy registers then, energy converts at cv and cf. */
export type GasConversion = [atMs: number, volumeDm3: number, energyWh: number, cv: number, cf: number];

export interface GasState {
  /** 6.6 checkpoints, oldest first; none = the standard values from zero. */
  conversions: GasConversion[];
  /** 6.7's flow check; null = the defaults. */
  flow: GasFlowConfig | null;
}

export function isGasDevice(deviceType: DeviceType): boolean {
  return deviceType === 'GSME' || deviceType === 'GPF';
}

const STANDARD: GasConversion = [0, 0, 0, STANDARD_CALORIFIC_VALUE, STANDARD_CONVERSION_FACTOR];
const STANDARD_WH_PER_DM3 = (STANDARD_CALORIFIC_VALUE * STANDARD_CONVERSION_FACTOR) / 3.6;

/** The volume register at t, dm3. */
export function volumeDm3(state: MeterState, device: DeviceModel, t: number): number {
  return Math.floor(device.metering.importTotalWh(state, t) / STANDARD_WH_PER_DM3);
}

function conversionAt(state: MeterState, t: number): GasConversion {
  const conversions = state.gas?.conversions ?? [];
  let found = STANDARD;
  for (const c of conversions) if (c[0] <= t) found = c;
  return found;
}

/** The CV and CF in force at t. */
export function conversionValues(state: MeterState, t: number): { cv: number; cf: number } {
  const [, , , cv, cf] = conversionAt(state, t);
  return { cv, cf };
}

/** The energy the meter has derived by t, Wh. */
export function energyWh(state: MeterState, device: DeviceModel, t: number): number {
  const [, baseVolume, baseEnergy, cv, cf] = conversionAt(state, t);
  return baseEnergy + Math.round(((volumeDm3(state, device, t) - baseVolume) * cv * cf) / 3.6);
}

/** 6.6 at `at`: a checkpoint, then the new values (a value left out keeps the one in force). */
export function changeConversion(
  state: MeterState,
  device: DeviceModel,
  at: number,
  change: { cv?: number; cf?: number },
): void {
  const now = conversionValues(state, at);
  const entry: GasConversion = [
    at,
    volumeDm3(state, device, at),
    energyWh(state, device, at),
    change.cv ?? now.cv,
    change.cf ?? now.cf,
  ];
  const gas = (state.gas ??= { conversions: [], flow: null });
  gas.conversions = [...gas.conversions.filter((c) => c[0] < at), entry].slice(-MAX_CONVERSIONS);
}

export function gasFlow(state: MeterState): GasFlowConfig {
  return state.gas?.flow ?? DEFAULT_GAS_FLOW;
}

/** The consumption register in the gas meter's shape. */
export interface GasRegisterReading {
  consumptionVolumeDm3: number;
  consumptionEnergyWh: number;
  calorificValue: number;
  conversionFactor: number;
}

export function gasRegisters(state: MeterState, device: DeviceModel, t: number): GasRegisterReading {
  const { cv, cf } = conversionValues(state, t);
  return {
    consumptionVolumeDm3: volumeDm3(state, device, t),
    consumptionEnergyWh: energyWh(state, device, t),
    calorificValue: cv,
    conversionFactor: cf,
  };
}
