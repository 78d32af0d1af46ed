import type { ServiceRequest } from './gen/dcc/v1/service_request.js';
import type {
  ProfileSchedule,
  SecondaryPriceElements,
  SwitchingTable,
  TariffPriceElements,
  TariffPrimaryElement,
} from './gen/dcc/v1/tariff.js';

/*
 * Well-formed tariffs in DUIS form (tariff.proto), for tests and load generators: an ESME hybrid tariff (TOU rate
 * 1 before 07:00 on weekdays, block row 1 after; weekends and Christmas on rate 2), a GSME block tariff, and the
 * bodies of every tariff SRV built from them.
 */

const NO_THRESHOLD = 4_294_967_295;
const tou = (value: number, startTimeS = 0): ProfileSchedule => ({
  startTimeS,
  action: { $case: 'touTariffAction', value },
});
const blockRow = (value: number, startTimeS = 0): ProfileSchedule => ({
  startTimeS,
  action: { $case: 'blockTariffAction', value },
});

const weekdaysAndWeekends: SwitchingTable = {
  dayProfiles: [
    { dayName: 1, schedule: [tou(1), blockRow(1, 7 * 3_600)] },
    { dayName: 2, schedule: [tou(2)] },
  ],
  weekProfiles: [{ weekName: 1, dayNames: [1, 1, 1, 1, 1, 2, 2] }],
  seasons: [{ seasonName: 'all year', startDate: { month: 1, dayOfMonth: 1 }, weekName: 1 }],
};

export const ELECTRICITY_PRICES: TariffPriceElements = {
  fuel: {
    $case: 'electricity',
    value: {
      standingCharge: 20_000,
      standingChargeScale: -5,
      priceScale: -5,
      touPrices: [2_121, 3_127],
      blockPrices: [{ prices: [2_289, 3_546] }],
    },
  },
};

export const ESME_HYBRID_TARIFF: TariffPrimaryElement = {
  tariffElements: {
    $case: 'elecTariffElements',
    value: {
      currencyUnits: 'GBP',
      switchingTable: weekdaysAndWeekends,
      specialDays: [{ date: { month: 12, dayOfMonth: 25 }, dayName: 2 }],
      thresholdMatrix: Array.from({ length: 8 }, (_, i) => ({
        thresholds: i === 0 ? [10_000, NO_THRESHOLD] : [NO_THRESHOLD],
      })),
    },
  },
  priceElements: ELECTRICITY_PRICES,
};

export const GAS_BLOCK_PRICES: TariffPriceElements = {
  fuel: {
    $case: 'gas',
    value: {
      currencyUnits: 'GBP',
      standingCharge: 54_794,
      tariff: {
        $case: 'blockTariff',
        value: { prices: [9_600, 10_200, 10_750, 11_000], numberOfThresholds: 2 },
      },
    },
  },
};

export const GSME_BLOCK_TARIFF: TariffPrimaryElement = {
  tariffElements: {
    $case: 'gasTariffElements',
    value: {
      switchingTable: {
        dayProfiles: [{ dayName: 1, schedule: [blockRow(1)] }],
        weekProfiles: [{ weekName: 1, dayNames: [1, 1, 1, 1, 1, 1, 1] }],
        seasons: [{ seasonName: '', startDate: { month: 3, dayOfMonth: 20 }, weekName: 1 }],
      },
      specialDays: [],
      blockThresholds: [1_000_000, 2_000_000, 3_000_000],
    },
  },
  priceElements: GAS_BLOCK_PRICES,
};

export const SECONDARY_PRICES: SecondaryPriceElements = {
  priceScale: -5,
  prices: [10_100, 0, 12_300, 13_400],
};

/** A valid body for each tariff SRV (1.1.1 in DUIS form). */
export const TARIFF_BODIES = {
  '1.1.1': {
    $case: 'updateImportTariff',
    value: {
      switchingTable: [],
      pricesPencePerKwh: [],
      standingChargePencePerDay: '',
      tariff: ESME_HYBRID_TARIFF,
    },
  },
  '1.1.2': {
    $case: 'updateImportTariffSecondaryElement',
    value: {
      switchingTable: {
        ...weekdaysAndWeekends,
        dayProfiles: [
          { dayName: 1, schedule: [tou(1), tou(4, 7 * 3_600), tou(3, 19 * 3_600)] },
          { dayName: 2, schedule: [tou(1)] },
        ],
      },
      specialDays: [],
      priceElements: SECONDARY_PRICES,
    },
  },
  '1.2.1': { $case: 'updatePricePrimaryElement', value: { priceElements: ELECTRICITY_PRICES } },
  '1.2.2': { $case: 'updatePriceSecondaryElement', value: { priceElements: SECONDARY_PRICES } },
  '1.7': { $case: 'resetTariffBlockCounterMatrix', value: {} },
  '4.11.1': { $case: 'readTariffPrimaryElement', value: {} },
  '4.11.2': { $case: 'readTariffSecondaryElement', value: {} },
  '4.1.3': { $case: 'readInstantaneousImportTouWithBlocksMatrices', value: {} },
  '4.1.4': { $case: 'readInstantaneousImportBlockCounters', value: {} },
  '6.26': {
    $case: 'updateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix',
    value: { dailyTariffBlockCounterMatrixReset: true },
  },
} as const satisfies Record<string, ServiceRequest['body']>;
