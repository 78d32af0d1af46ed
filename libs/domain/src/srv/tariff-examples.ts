import { TARIFF_LIMITS } from './tariff-switching-rules.js';

/*
 * Well-formed tariffs in DUIS form, in the wire's shape (tariff.proto, ts-proto field names), for tests and load
 * generators: each call returns a fresh copy to edit. libs/proto types them (tariff-examples.ts there).
 */

/** A DUIS date with wildcards (TariffDate): a part left out matches any. */
type WireDate = { year?: number; month?: number; dayOfMonth?: number; dayOfWeek?: number };

export const touSwitch = (rate: number, startTimeS = 0) => ({
  startTimeS,
  action: { $case: 'touTariffAction' as const, value: rate },
});
export const blockSwitch = (row: number, startTimeS = 0) => ({
  startTimeS,
  action: { $case: 'blockTariffAction' as const, value: row },
});

/** An ESME hybrid tariff: weekdays on TOU rate 1 until 07:00, then block row 1; weekends and Christmas on rate 2. */
export function esmeHybridTariff() {
  return {
    tariffElements: {
      $case: 'elecTariffElements' as const,
      value: {
        currencyUnits: 'GBP',
        switchingTable: {
          dayProfiles: [
            { dayName: 1, schedule: [touSwitch(1), blockSwitch(1, 7 * 3_600)] },
            { dayName: 2, schedule: [touSwitch(2)] },
          ],
          weekProfiles: [{ weekName: 1, dayNames: [1, 1, 1, 1, 1, 2, 2] }],
          seasons: [
            {
              seasonName: 'all year',
              startDate: { month: 1, dayOfMonth: 1 } as {
                year?: number;
                month?: number;
                dayOfMonth?: number;
              },
              weekName: 1,
            },
          ],
        },
        specialDays: [{ date: { month: 12, dayOfMonth: 25 } as WireDate, dayName: 2 }],
        thresholdMatrix: Array.from({ length: TARIFF_LIMITS.blockActions }, (_, i) => ({
          thresholds: i === 0 ? [10_000, TARIFF_LIMITS.noThreshold] : [TARIFF_LIMITS.noThreshold],
        })),
      },
    },
    priceElements: {
      fuel: {
        $case: 'electricity' as const,
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

/** A GSME block tariff: every day on its block row, two of its three thresholds in use. */
export function gsmeBlockTariff() {
  return {
    tariffElements: {
      $case: 'gasTariffElements' as const,
      value: {
        switchingTable: {
          dayProfiles: [{ dayName: 1, schedule: [blockSwitch(1)] }],
          weekProfiles: [{ weekName: 1, dayNames: [1, 1, 1, 1, 1, 1, 1] }],
          seasons: [{ seasonName: '', startDate: { month: 3, dayOfMonth: 20 } as WireDate, weekName: 1 }],
        },
        specialDays: [] as { date: WireDate; dayName: number }[],
        blockThresholds: [1_000_000, 2_000_000, 3_000_000],
      },
    },
    priceElements: {
      fuel: {
        $case: 'gas' as const,
        value: {
          currencyUnits: 'GBP',
          standingCharge: 54_794,
          tariff: {
            $case: 'blockTariff' as const,
            value: { prices: [9_600, 10_200, 10_750, 11_000], numberOfThresholds: 2 },
          },
        },
      },
    },
  };
}
