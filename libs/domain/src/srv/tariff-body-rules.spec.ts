import { describe, expect, it } from 'vitest';
import { checkRequestBody } from './srv-support.js';
import {
  blockSwitch as block,
  esmeHybridTariff as elec,
  gsmeBlockTariff as gas,
  touSwitch as tou,
} from './tariff-examples.js';

const week = (weekName: number, day: number) => ({ weekName, dayNames: Array<number>(7).fill(day) });

type Tariff = ReturnType<typeof elec> | ReturnType<typeof gas>;
const duis = (tariff: object) => ({
  switchingTable: [],
  pricesPencePerKwh: [],
  standingChargePencePerDay: '',
  tariff,
});

function refusal(srv: string, $case: string, value: unknown): string {
  try {
    checkRequestBody(srv, { $case, value } as never);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`SRV ${srv} accepted it`);
}
const accepts = (srv: string, $case: string, value: unknown) =>
  expect(() => checkRequestBody(srv, { $case, value } as never)).not.toThrow();

function edited<T extends Tariff>(make: () => T, edit: (t: T) => void): T {
  const tariff = make();
  edit(tariff);
  return tariff;
}

describe('1.1.1 in DUIS form, before I99', () => {
  it('takes an ESME hybrid tariff and a GSME block tariff', () => {
    accepts('1.1.1', 'updateImportTariff', duis(elec()));
    accepts('1.1.1', 'updateImportTariff', duis(gas()));
  });

  it.each<[string, object, RegExp]>([
    [
      'a TOU action without a price',
      edited(elec, (t) => t.tariffElements.value.switchingTable.dayProfiles[1]!.schedule.push(tou(3, 60))),
      /TOU action 3 has no price/,
    ],
    [
      'a block action without prices',
      edited(elec, (t) => (t.priceElements.fuel.value.blockPrices = [])),
      /block action 1 has no block prices|give TOU prices/,
    ],
    [
      '17 day profiles',
      edited(
        elec,
        (t) =>
          (t.tariffElements.value.switchingTable.dayProfiles = Array.from({ length: 17 }, (_, i) => ({
            dayName: i + 1,
            schedule: [tou(1)],
          }))),
      ),
      /1 to 16 day profiles/,
    ],
    [
      '5 seasons',
      edited(
        elec,
        (t) =>
          (t.tariffElements.value.switchingTable.seasons = Array(5).fill(
            t.tariffElements.value.switchingTable.seasons[0],
          )),
      ),
      /1 to 4 seasons/,
    ],
    [
      'a week of 6 days',
      edited(elec, (t) => t.tariffElements.value.switchingTable.weekProfiles[0]!.dayNames.pop()),
      /must name 7 days/,
    ],
    [
      'a week naming an undefined day',
      edited(elec, (t) => (t.tariffElements.value.switchingTable.weekProfiles[0]!.dayNames[3] = 9)),
      /day profile 9/,
    ],
    [
      'a season naming an undefined week',
      edited(elec, (t) => (t.tariffElements.value.switchingTable.seasons[0]!.weekName = 3)),
      /week profile 3/,
    ],
    [
      'a special day naming an undefined day',
      edited(elec, (t) => (t.tariffElements.value.specialDays[0]!.dayName = 5)),
      /day profile 5/,
    ],
    [
      '51 special days',
      edited(
        elec,
        (t) => (t.tariffElements.value.specialDays = Array(51).fill(t.tariffElements.value.specialDays[0])),
      ),
      /at most 50/,
    ],
    [
      'month 13',
      edited(elec, (t) => (t.tariffElements.value.specialDays[0]!.date.month = 13)),
      /month must be 1\.\.12/,
    ],
    [
      'switches out of order',
      edited(elec, (t) => t.tariffElements.value.switchingTable.dayProfiles[0]!.schedule.reverse()),
      /must follow the switch before it/,
    ],
    ['7 threshold rows', edited(elec, (t) => t.tariffElements.value.thresholdMatrix.pop()), /8 rows/],
    [
      '4 thresholds in a row',
      edited(elec, (t) => (t.tariffElements.value.thresholdMatrix[0]!.thresholds = [1, 2, 3, 4])),
      /1 to 3 thresholds/,
    ],
    [
      'descending thresholds',
      edited(elec, (t) => (t.tariffElements.value.thresholdMatrix[0]!.thresholds = [5, 4])),
      /must exceed/,
    ],
    [
      'a price scale of -6',
      edited(elec, (t) => (t.priceElements.fuel.value.priceScale = -6)),
      /priceScale must be -5 to 0/,
    ],
    [
      '49 TOU prices',
      edited(elec, (t) => (t.priceElements.fuel.value.touPrices = Array(49).fill(1))),
      /at most 48 TOU prices/,
    ],
    [
      'currency other than GBP or EUR',
      edited(elec, (t) => (t.tariffElements.value.currencyUnits = 'USD')),
      /GBP, EUR or ECB/,
    ],
    [
      'gas elements with electricity prices',
      { ...gas(), priceElements: elec().priceElements },
      /different fuels/,
    ],
    [
      'a GSME day of two actions',
      edited(gas, (t) => t.tariffElements.value.switchingTable.dayProfiles[0]!.schedule.push(block(1, 60))),
      /one action/,
    ],
    [
      'a GSME block tariff of 3 prices',
      edited(gas, (t) => t.priceElements.fuel.value.tariff.value.prices.pop()),
      /has 4 prices/,
    ],
    [
      'more GSME thresholds used than given',
      edited(gas, (t) => (t.tariffElements.value.blockThresholds = [1_000])),
      /numberOfThresholds exceeds/,
    ],
    [
      'a GSME priced in dollars',
      edited(gas, (t) => (t.priceElements.fuel.value.currencyUnits = 'USD')),
      /GBP, EUR or ECB/,
    ],
  ])('refuses %s', (_, tariff, reason) => {
    expect(refusal('1.1.1', 'updateImportTariff', duis(tariff))).toMatch(reason);
  });

  it('refuses the simple form and the DUIS form together', () => {
    expect(refusal('1.1.1', 'updateImportTariff', { ...duis(elec()), pricesPencePerKwh: ['1'] })).toMatch(
      /not both/,
    );
  });
});

describe('1.1.2, 1.2.x and 6.26 before I99', () => {
  const secondary = () => ({
    switchingTable: {
      dayProfiles: [{ dayName: 1, schedule: [tou(1), tou(4, 25_200)] }],
      weekProfiles: [week(1, 1)],
      seasons: [{ seasonName: 'all', startDate: {}, weekName: 1 }],
    },
    specialDays: [],
    priceElements: { priceScale: -5, prices: [10_100, 0, 12_300, 13_400] },
  });

  it('takes a secondary element, new prices of either fuel, and the daily reset flag', () => {
    accepts('1.1.2', 'updateImportTariffSecondaryElement', secondary());
    accepts('1.2.1', 'updatePricePrimaryElement', { priceElements: elec().priceElements });
    accepts('1.2.1', 'updatePricePrimaryElement', { priceElements: gas().priceElements });
    accepts('1.2.2', 'updatePriceSecondaryElement', { priceElements: { priceScale: 0, prices: [1] } });
    accepts('6.26', 'updateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix', {
      dailyTariffBlockCounterMatrixReset: true,
    });
  });

  it('refuses a secondary element with block actions or more than 4 rates, and empty prices', () => {
    const blocks = secondary();
    // A secondary element's switches are TOU only; a block switch in it is what the rule refuses.
    (blocks.switchingTable.dayProfiles[0]!.schedule as object[]).push(block(1, 30_000));
    expect(refusal('1.1.2', 'updateImportTariffSecondaryElement', blocks)).toMatch(
      /block action 1 has no block prices/,
    );
    expect(
      refusal('1.1.2', 'updateImportTariffSecondaryElement', {
        ...secondary(),
        priceElements: { priceScale: -5, prices: [1, 2, 3, 4, 5] },
      }),
    ).toMatch(/1 to 4 prices/);
    expect(refusal('1.2.1', 'updatePricePrimaryElement', { priceElements: {} })).toMatch(
      /no electricity or gas prices/,
    );
    expect(
      refusal('1.2.2', 'updatePriceSecondaryElement', { priceElements: { priceScale: -5, prices: [] } }),
    ).toMatch(/1 to 4 prices/);
    expect(
      refusal('1.2.2', 'updatePriceSecondaryElement', { priceElements: { priceScale: 1, prices: [1] } }),
    ).toMatch(/priceScale must be -5 to 0/);
    expect(refusal('6.26', 'updateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix', {})).toMatch(
      /dailyTariffBlockCounterMatrixReset/,
    );
  });

  it('refuses an execution date-time that is not a time', () => {
    expect(
      refusal('1.2.2', 'updatePriceSecondaryElement', {
        priceElements: { priceScale: 0, prices: [1] },
        executionDateTimeMs: -1,
      }),
    ).toMatch(/executionDateTimeMs/);
  });
});
