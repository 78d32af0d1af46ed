import type { JsonValue } from '../meter-state.js';

/*
 * Parameters and answers of the tariff SRVs in DUIS form. Tariff parts travel in the wire's shape (libs/proto
 * tariff.proto, ts-proto field names, as JSON): the device model checks them with the hub's own rules
 * (libs/domain tariff-body-rules.ts) and keeps them as sent, so 4.11.x reads back what 1.1.x and 1.2.x wrote.
 */

/** 1.1.1 in DUIS form: a TariffPrimaryElement. */
export interface DuisTariffParams {
  tariff: JsonValue;
}

/** 1.1.2: the secondary element's switching table, special days and prices (SecondaryPriceElements). */
export interface SecondaryElementParams {
  switchingTable: JsonValue;
  specialDays: JsonValue;
  priceElements: JsonValue;
}

/** 1.2.1: TariffPriceElements; 1.2.2: SecondaryPriceElements. */
export interface PriceElementsParams {
  priceElements: JsonValue;
}

/** 6.26. */
export interface DailyResetParams {
  dailyReset: boolean;
}

/** 1.2.1, 4.11.1: the primary element in force (null before any DUIS-form 1.1.1). */
export interface TariffPrimaryReading {
  tariff: JsonValue;
  effectiveFromMs: number;
  meterTimeMs: number;
}

/** 1.1.2, 1.2.2, 4.11.2: the secondary element in force (null before any 1.1.2). */
export interface TariffSecondaryReading {
  secondary: JsonValue;
  effectiveFromMs: number;
  meterTimeMs: number;
}

/** 1.7, 4.1.3: TOU registers and the Tariff Block Counter Matrix (8 rows of 4 blocks), Wh. */
export interface BlockMatricesReading {
  touRegistersWh: number[];
  blockCounters: number[][];
  countersSinceMs: number;
  dailyReset: boolean;
  meterTimeMs: number;
}

/** 4.1.4: a GSME's block counters (blocks 1 to 4). */
export interface BlockCountersReading {
  counters: number[];
  countersSinceMs: number;
  meterTimeMs: number;
}

/** 6.26. */
export interface DailyResetConfig {
  dailyReset: boolean;
  meterTimeMs: number;
}

export type TariffParamMap = {
  '1.1.2': SecondaryElementParams;
  '1.2.1': PriceElementsParams;
  '1.2.2': PriceElementsParams;
  '1.7': undefined;
  '4.11.1': undefined;
  '4.11.2': undefined;
  '4.1.3': undefined;
  '4.1.4': undefined;
  '6.26': DailyResetParams;
};

export type TariffBodyMap = {
  '1.1.2': TariffSecondaryReading;
  '1.2.1': TariffPrimaryReading;
  '1.2.2': TariffSecondaryReading;
  '1.7': BlockMatricesReading;
  '4.11.1': TariffPrimaryReading;
  '4.11.2': TariffSecondaryReading;
  '4.1.3': BlockMatricesReading;
  '4.1.4': BlockCountersReading;
  '6.26': DailyResetConfig;
};
