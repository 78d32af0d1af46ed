import { describe, expect, it } from 'vitest';
import type { JsonValue } from './meter-state.js';
import { MeterHarness } from './meter-harness.js';
import { splitIntoBlocks } from './tariff-book.js';
import { DAY_MS, HALF_HOUR_MS } from './time.js';

const NONE = 4_294_967_295;
const START = Date.UTC(2026, 2, 2); // a Monday
const tou = (rate: number, startTimeS = 0) => ({
  startTimeS,
  action: { $case: 'touTariffAction', value: rate },
});
const block = (row: number, startTimeS = 0) => ({
  startTimeS,
  action: { $case: 'blockTariffAction', value: row },
});
const week = (weekName: number, days: number[]) => ({ weekName, dayNames: days });

/**
 * Weekdays: TOU rate 1 until 07:00, then block row 1; weekends on TOU rate 2 all day (week 1, from 2015); from
 * 1 June every year, week 2 puts every day on rate 2 (until 1 January). 2 March 2026 is a special day on rate 2.
 */
function hybrid(specialDay = false): JsonValue {
  return {
    tariffElements: {
      $case: 'elecTariffElements',
      value: {
        currencyUnits: 'GBP',
        switchingTable: {
          dayProfiles: [
            { dayName: 1, schedule: [tou(1), block(1, 25_200)] },
            { dayName: 2, schedule: [tou(2)] },
          ],
          weekProfiles: [week(1, [1, 1, 1, 1, 1, 2, 2]), week(2, [2, 2, 2, 2, 2, 2, 2])],
          seasons: [
            { seasonName: 'base', startDate: { month: 1, dayOfMonth: 1 }, weekName: 1 },
            { seasonName: 'summer', startDate: { month: 6, dayOfMonth: 1 }, weekName: 2 },
          ],
        },
        specialDays: specialDay ? [{ date: { year: 2026, month: 3, dayOfMonth: 2 }, dayName: 2 }] : [],
        thresholdMatrix: Array.from({ length: 8 }, (_, i) => ({
          thresholds: i === 0 ? [500, NONE] : [NONE],
        })),
      },
    },
    priceElements: {
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
    },
  };
}

const gasBlock = (numberOfThresholds: number): JsonValue => ({
  tariffElements: {
    $case: 'gasTariffElements',
    value: {
      switchingTable: {
        dayProfiles: [{ dayName: 1, schedule: [block(1)] }],
        weekProfiles: [week(1, [1, 1, 1, 1, 1, 1, 1])],
        seasons: [{ seasonName: '', startDate: { month: 3, dayOfMonth: 20 }, weekName: 1 }],
      },
      specialDays: [],
      blockThresholds: [100, 200, 300],
    },
  },
  priceElements: {
    fuel: {
      $case: 'gas',
      value: {
        currencyUnits: 'GBP',
        standingCharge: 22_465,
        tariff: {
          $case: 'blockTariff',
          value: { prices: [9_600, 10_200, 10_750, 11_000], numberOfThresholds },
        },
      },
    },
  },
});

describe('tariffs in DUIS form on the device model', () => {
  it('1.1.1 meters by the day profile of the day it takes effect: TOU rates first, then block rows', () => {
    const h = new MeterHarness(undefined, 0, START);
    const body = h.send('1.1.1', { tariff: hybrid() }).body!;
    expect(body.switchingTable).toEqual([...Array<number>(14).fill(1), ...Array<number>(34).fill(3)]);
    // 10^-5 GBP = thousandths of a penny: 2121 is 2.121p per kWh, a standing charge of 20000 is 20p a day.
    expect(body.pricesPencePerKWh).toEqual([2.121, 3.127, 2.289]);
    expect(body.standingChargePencePerDay).toBe(20);
    expect(body.tariff).toEqual(hybrid());
    // The same tariff taking effect on a special day meters all day on its day profile (rate 2).
    const special = new MeterHarness(undefined, 0, START).send('1.1.1', { tariff: hybrid(true) }).body!;
    expect(special.switchingTable).toEqual(Array(48).fill(2));
  });

  it('the season in force picks the week profile; a weekend picks its day', () => {
    const summer = new MeterHarness(undefined, 0, Date.UTC(2026, 6, 1)).send('1.1.1', {
      tariff: hybrid(),
    }).body!;
    expect(summer.switchingTable).toEqual(Array(48).fill(2));
    const saturday = new MeterHarness(undefined, 0, Date.UTC(2026, 2, 7)).send('1.1.1', {
      tariff: hybrid(),
    }).body!;
    expect(saturday.switchingTable).toEqual(Array(48).fill(2));
  });

  it('4.11.1 reads back what 1.1.1 wrote and 1.2.1 re-priced; 4.11.2 what 1.1.2 and 1.2.2 did', () => {
    const h = new MeterHarness(undefined, 0, START);
    expect(h.send('4.11.1').body!.tariff).toBeNull();
    h.send('1.1.1', { tariff: hybrid() });
    const touPrices = [1_000, 2_000];
    const priceElements = {
      fuel: {
        $case: 'electricity',
        value: { standingCharge: 1, standingChargeScale: 0, priceScale: -4, touPrices, blockPrices: [] },
      },
    };
    h.clock.advance(HALF_HOUR_MS);
    const repriced = h.send('1.2.1', { priceElements }).body!;
    const read = h.send('4.11.1').body!;
    expect(read).toEqual({ ...repriced, meterTimeMs: read.meterTimeMs });
    const prices = (read.tariff as { priceElements: { fuel: { value: Record<string, JsonValue> } } })
      .priceElements.fuel.value;
    // The block prices the update left out stay; the rest is replaced.
    expect(prices).toEqual({
      standingCharge: 1,
      standingChargeScale: 0,
      priceScale: -4,
      touPrices,
      blockPrices: [{ prices: [2_289, 3_546] }],
    });
    expect(read.effectiveFromMs).toBe(START);

    expect(h.send('1.2.2', { priceElements: { priceScale: -5, prices: [1] } }).outcome).toBe('rejected');
    const secondary = {
      switchingTable: {
        dayProfiles: [{ dayName: 1, schedule: [tou(1)] }],
        weekProfiles: [week(1, [1, 1, 1, 1, 1, 1, 1])],
        seasons: [{ seasonName: 'all', startDate: {}, weekName: 1 }],
      },
      specialDays: [],
      priceElements: { priceScale: -5, prices: [10_100] },
    };
    h.send('1.1.2', secondary);
    h.send('1.2.2', { priceElements: { priceScale: -5, prices: [1_234] } });
    h.reload();
    expect(h.send('4.11.2').body!.secondary).toEqual({
      ...secondary,
      priceElements: { priceScale: -5, prices: [1_234] },
    });
  });

  it('1.2.1 is refused without a DUIS tariff, and for a GSME in prices of another kind than its tariff', () => {
    const h = new MeterHarness(undefined, 0, START);
    const priceElements = (gasBlock(1) as { priceElements: JsonValue }).priceElements;
    expect(h.send('1.2.1', { priceElements }).rejection?.reason).toBe('NO_TARIFF_TO_REPRICE');
    const gas = new MeterHarness(undefined, 0, START, { deviceType: 'GSME' });
    gas.send('1.1.1', { tariff: gasBlock(2) });
    const touPrices = {
      fuel: {
        $case: 'gas',
        value: {
          currencyUnits: 'GBP',
          standingCharge: 1,
          tariff: { $case: 'touTariff', value: { prices: [1] } },
        },
      },
    };
    expect(gas.send('1.2.1', { priceElements: touPrices }).rejection?.message).toMatch(/TOU or block/);
    expect(gas.send('1.2.1', { priceElements }).outcome).toBe('executed');
  });

  it('block counters count block-row energy since the tariff, 1.7 restarts them, 6.26 restarts them daily', () => {
    const h = new MeterHarness(undefined, 0, START);
    h.send('1.1.1', { tariff: hybrid() });
    h.clock.advance(DAY_MS / 2);
    const read = h.send('4.1.3').body!;
    const registers = h.send('4.1.2').body!.touMatrixWh.map(([wh]) => wh!);
    const rowEnergy = read.blockCounters[0]!.reduce((a, b) => a + b, 0);
    expect(rowEnergy).toBeGreaterThan(0);
    expect(read.blockCounters[0]).toEqual(splitIntoBlocks(rowEnergy, [500]));
    expect(
      read.blockCounters
        .slice(1)
        .flat()
        .every((wh) => wh === 0),
    ).toBe(true);
    expect(read.touRegistersWh).toEqual(registers.slice(0, 2));
    expect(
      h
        .send('1.7')
        .body!.blockCounters.flat()
        .every((wh) => wh === 0),
    ).toBe(true);

    h.send('6.26', { dailyReset: true });
    h.clock.advance(DAY_MS);
    const daily = h.send('4.1.3').body!;
    expect(daily.dailyReset).toBe(true);
    expect(daily.countersSinceMs).toBe(START + DAY_MS);
  });

  it('a GSME reads its block row over the thresholds its tariff uses (4.1.4)', () => {
    const gas = new MeterHarness(undefined, 0, START, { deviceType: 'GSME' });
    gas.send('1.1.1', { tariff: gasBlock(2) });
    gas.clock.advance(DAY_MS);
    const { counters } = gas.send('4.1.4').body!;
    const total = counters.reduce((a, b) => a + b, 0);
    expect(counters).toEqual(splitIntoBlocks(total, [100, 200]));
  });

  it('splits a row over its thresholds, the rest in the block after the last', () => {
    expect(splitIntoBlocks(250, [100, 200])).toEqual([100, 100, 50, 0]);
    expect(splitIntoBlocks(50, [100, 200, 300])).toEqual([50, 0, 0, 0]);
    expect(splitIntoBlocks(400, [])).toEqual([400, 0, 0, 0]);
  });

  it('the simple 1.1.1 form replaces a DUIS tariff', () => {
    const h = new MeterHarness(undefined, 0, START);
    h.send('1.1.1', { tariff: hybrid() });
    h.send('1.1.1', {
      switchingTable: Array(48).fill(1),
      pricesPencePerKWh: [20],
      standingChargePencePerDay: 40,
    });
    expect(h.send('4.11.1').body!.tariff).toBeNull();
  });
});
