import type { ServiceRequest } from './gen/dcc/v1/service_request.js';
import { esmeHybridTariff, gsmeBlockTariff, touSwitch as tou } from '@dcc/domain';
import type {
  SecondaryPriceElements,
  TariffPriceElements,
  TariffPrimaryElement,
} from './gen/dcc/v1/tariff.js';

/*
 * Well-formed tariffs in DUIS form (tariff.proto), for tests and load generators: libs/domain's ESME hybrid tariff
 * and GSME block tariff, and the bodies of every tariff SRV built from them.
 */

/** libs/domain's examples (plain data in the wire's shape), typed as the generated messages. */
export const ESME_HYBRID_TARIFF = esmeHybridTariff() as TariffPrimaryElement;
export const GSME_BLOCK_TARIFF = gsmeBlockTariff() as TariffPrimaryElement;
export const ELECTRICITY_PRICES: TariffPriceElements = ESME_HYBRID_TARIFF.priceElements!;
export const GAS_BLOCK_PRICES: TariffPriceElements = GSME_BLOCK_TARIFF.priceElements!;
const weekdaysAndWeekends = esmeHybridTariff().tariffElements.value.switchingTable;

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
