import { esmeHybridTariff, gsmeBlockTariff, touSwitch } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from './meter-state.js';
import { MeterHarness } from './meter-harness.js';
import { splitIntoBlocks } from './tariff-book.js';
import { DAY_MS, HALF_HOUR_MS } from './time.js';

const NONE = 4_294_967_295;
const START = Date.UTC(2026, 2, 2); // a Monday
const tou = touSwitch;

/**
 * libs/domain's hybrid tariff (weekdays: TOU rate 1 until 07:00, then block row 1; weekends on rate 2; all year
 * from 1 January), with a summer season from 1 June every year whose week 2 puts every day on rate 2, block row 1's
 * first threshold at 500 Wh, and, when asked, 2 March 2026 as a special day on rate 2.
 */
function hybrid(specialDay = false): JsonValue {
  const tariff = esmeHybridTariff();
  const elements = tariff.tariffElements.value;
  elements.switchingTable.weekProfiles.push({ weekName: 2, dayNames: [2, 2, 2, 2, 2, 2, 2] });
  elements.switchingTable.seasons.push({
    seasonName: 'summer',
    startDate: { month: 6, dayOfMonth: 1 },
    weekName: 2,
  });
  elements.specialDays = specialDay ? [{ date: { year: 2026, month: 3, dayOfMonth: 2 }, dayName: 2 }] : [];
  elements.thresholdMatrix[0]!.thresholds = [500, NONE];
  return tariff as unknown as JsonValue;
}

const GAS_THRESHOLDS_IN_USE = [1_000_000, 2_000_000];
const gasBlock = () => gsmeBlockTariff() as unknown as JsonValue;
const week = (weekName: number, days: number[]) => ({ weekName, dayNames: days });

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
    const priceElements = (gasBlock() as { priceElements: JsonValue }).priceElements;
    expect(h.send('1.2.1', { priceElements }).rejection?.reason).toBe('NO_TARIFF_TO_REPRICE');
    const gas = new MeterHarness(undefined, 0, START, { deviceType: 'GSME' });
    gas.send('1.1.1', { tariff: gasBlock() });
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
    gas.send('1.1.1', { tariff: gasBlock() });
    gas.clock.advance(DAY_MS);
    const { counters } = gas.send('4.1.4').body!;
    const total = counters.reduce((a, b) => a + b, 0);
    expect(counters).toEqual(splitIntoBlocks(total, GAS_THRESHOLDS_IN_USE));
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
