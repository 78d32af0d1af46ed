import type { GasFlowConfig, GasRegisterReading } from '../gas.js';

/** 6.6 Update Device Configuration (Gas Conversion): CV in MJ/m3, CF dimensionless; either or both. */
export type GasConversionParams = { calorificValue?: number; conversionFactor?: number };

/** 6.7 Update Device Configuration (Gas Flow): DUIS's Unchanged / Locked / Unlocked for each latch. */
export type GasLatchChange = 'unchanged' | 'locked' | 'unlocked';

export type GasFlowParams = {
  /** Uncontrolled gas flow rate, ten-thousandths of m3/h. */
  rateTenThousandths: number;
  stabilisationS: number;
  measurementS: number;
  depletion: GasLatchChange;
  tamper: GasLatchChange;
};

/** 6.2.8 (and 6.6, 6.7 after the change): the gas configuration in force. */
export interface GasConfigurationReading {
  calorificValue: number;
  conversionFactor: number;
  flow: GasFlowConfig;
  meterTimeMs: number;
}

/** 14.1: the network data the GSME recorded for the gas transporter. */
export interface GasNetworkDataReading {
  registers: GasRegisterReading;
  lastDayVolumeDm3: number;
  lastDayStartMs: number;
  meterTimeMs: number;
}
