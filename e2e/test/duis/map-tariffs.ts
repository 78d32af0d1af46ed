import type { SecondaryPriceElements, TariffPriceElements, TariffPrimaryElement } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { empty, executionDateTime, type SampleMapper } from './map-common.js';
import {
  elecTariffElements,
  gasTariffElements,
  indexed,
  indexedValues,
  int,
  specialDays,
  switchingTable,
} from './map-tariff-elements.js';

/** DUIS ElectricityPriceElements: TOUTariff, BlockTariff or HybridTariff (block rows, then TOU prices). */
function electricityPrices(p: BodyReader): TariffPriceElements {
  const form = p.optionalChild('TOUTariff') ?? p.optionalChild('BlockTariff') ?? p.child('HybridTariff');
  return {
    fuel: {
      $case: 'electricity',
      value: {
        standingCharge: int(p.text('StandingCharge')),
        standingChargeScale: int(p.text('StandingChargeScale')),
        priceScale: int(p.text('PriceScale')),
        blockPrices: indexed(form, 'BlockPrices').map((row) => ({
          prices: indexedValues(row, 'BlockPrice'),
        })),
        touPrices: indexedValues(form, 'TOUPrice'),
      },
    },
  };
}

/** DUIS GasPriceElements: a TOUTariff or a BlockTariff (four prices and how many thresholds apply). */
function gasPrices(p: BodyReader): TariffPriceElements {
  const tou = p.optionalChild('TOUTariff');
  const block = tou ? undefined : p.child('BlockTariff');
  return {
    fuel: {
      $case: 'gas',
      value: {
        currencyUnits: p.text('CurrencyUnits'),
        standingCharge: int(p.text('StandingCharge')),
        tariff: tou
          ? { $case: 'touTariff', value: { prices: indexedValues(tou, 'TOUPrice') } }
          : {
              $case: 'blockTariff',
              value: {
                prices: indexedValues(block!, 'BlockPrice'),
                numberOfThresholds: int(block!.text('NumberOfThresholds')),
              },
            },
      },
    },
  };
}

function priceElements(body: BodyReader): TariffPriceElements {
  const p = body.child('PriceElements');
  const electricity = p.optionalChild('ElectricityPriceElements');
  return electricity ? electricityPrices(electricity) : gasPrices(p.child('GasPriceElements'));
}

function primaryElement(body: BodyReader): TariffPrimaryElement {
  const elec = body.optionalChild('ElecTariffElements');
  const gas = elec ? undefined : body.child('GasTariffElements');
  return {
    tariffElements: elec
      ? { $case: 'elecTariffElements', value: elecTariffElements(elec) }
      : { $case: 'gasTariffElements', value: gasTariffElements(gas!) },
    priceElements: priceElements(body),
  };
}

function secondaryPrices(body: BodyReader): SecondaryPriceElements {
  const p = body.child('PriceElements');
  return { priceScale: int(p.text('PriceScale')), prices: indexedValues(p, 'ElectricityPriceElement') };
}

const flag = (text: string) => {
  if (text !== 'true' && text !== 'false') throw new Unexpressible(`"${text}" is not a boolean`);
  return text === 'true';
};

/** 1.1.x and 1.2.x tariffs and prices in DUIS form; 1.7, 4.1.3, 4.1.4, 4.11.x and 6.26 on the block counters. */
export const TARIFF_MAPPERS: Record<string, SampleMapper> = {
  '1.1.1': (body) => ({
    $case: 'updateImportTariff',
    value: {
      switchingTable: [],
      pricesPencePerKwh: [],
      standingChargePencePerDay: '',
      ...executionDateTime(body),
      tariff: primaryElement(body),
    },
  }),
  '1.1.2': (body) => ({
    $case: 'updateImportTariffSecondaryElement',
    value: {
      ...executionDateTime(body),
      switchingTable: switchingTable(body.child('SwitchingTable'), false),
      specialDays: specialDays(body, false),
      priceElements: secondaryPrices(body),
    },
  }),
  '1.2.1': (body) => ({
    $case: 'updatePricePrimaryElement',
    value: { ...executionDateTime(body), priceElements: priceElements(body) },
  }),
  '1.2.2': (body) => ({
    $case: 'updatePriceSecondaryElement',
    value: { ...executionDateTime(body), priceElements: secondaryPrices(body) },
  }),
  '1.7': empty('resetTariffBlockCounterMatrix'),
  '4.1.3': empty('readInstantaneousImportTouWithBlocksMatrices'),
  '4.1.4': empty('readInstantaneousImportBlockCounters'),
  '4.11.1': empty('readTariffPrimaryElement'),
  '4.11.2': empty('readTariffSecondaryElement'),
  '6.26': (body) => ({
    $case: 'updateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix',
    value: { dailyTariffBlockCounterMatrixReset: flag(body.text('DailyTariffBlockCounterMatrixReset')) },
  }),
};
