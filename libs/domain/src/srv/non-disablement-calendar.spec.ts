import { describe, expect, it } from 'vitest';
import { prepayCalendarRule } from './non-disablement-calendar.js';

const ELECTRICITY = 1;
const GAS = 2;
const START = 1;
const STOP = 2;
const SATURDAY = 6;
const SUNDAY = 7;
const HOUR_MS = 3_600_000;

/** ECS08_2.1's calendar, in part: two special days and a weekend and a special-day schedule. */
const electricity = {
  specialDays: [
    { index: 1, date: { month: 7, dayOfMonth: 29 } },
    { index: 2, date: { month: 8, dayOfMonth: 25 } },
  ],
  schedules: [
    {
      script: START,
      specialDayIds: [],
      daysOfWeek: [SATURDAY, SUNDAY],
      switchTimeMs: 0,
      startDate: { year: 2014, month: 10, dayOfMonth: 27 },
      endDate: { year: 2015, month: 3, dayOfMonth: 28 },
    },
    {
      script: STOP,
      specialDayIds: [1, 2],
      daysOfWeek: [],
      switchTimeMs: 19 * HOUR_MS,
      startDate: { month: 7, dayOfMonth: 26 },
      endDate: { month: 8, dayOfMonth: 31 },
    },
  ],
};

/** GCS05_2.1's calendar, in part: day, week and season profiles and a special day. */
const week = (name: number, days: number[]) => ({ weekName: name, dayNames: days });
const gas = {
  dayProfiles: [
    {
      dayName: 1,
      actions: [
        { startTimeMs: 0, action: START },
        { startTimeMs: 8 * HOUR_MS, action: STOP },
      ],
    },
    { dayName: 3, actions: [{ startTimeMs: 0, action: START }] },
  ],
  weekProfiles: [week(1, [1, 1, 1, 1, 1, 3, 3])],
  seasons: [{ startDate: { year: 2014, month: 10, dayOfMonth: 27 }, weekName: 1 }],
  specialDays: [{ date: { month: 12, dayOfMonth: 25 }, dayName: 1 }],
};

describe('2.1 non-disablement calendars', () => {
  it('accepts the DUIS samples’ shapes with their fuel, and a body without a calendar', () => {
    expect(prepayCalendarRule({ fuel: ELECTRICITY, electricityCalendar: electricity })).toBeUndefined();
    expect(prepayCalendarRule({ fuel: GAS, gasCalendar: gas })).toBeUndefined();
    expect(prepayCalendarRule({ lowCreditThresholdPence: '200' })).toBeUndefined();
  });

  it('refuses a calendar of the other fuel, or without one', () => {
    expect(prepayCalendarRule({ fuel: GAS, electricityCalendar: electricity })).toMatch(
      /only with fuel electricity/,
    );
    expect(prepayCalendarRule({ gasCalendar: gas })).toMatch(/only with fuel gas/);
    expect(prepayCalendarRule({ fuel: 0 })).toMatch(/fuel must be/);
  });

  it('refuses references to what the calendar does not define, and values out of range', () => {
    const schedule = electricity.schedules[1]!;
    const bad = (change: object) => ({
      fuel: ELECTRICITY,
      electricityCalendar: { ...electricity, schedules: [{ ...schedule, ...change }] },
    });
    expect(prepayCalendarRule(bad({ specialDayIds: [3] }))).toMatch(
      /special day the calendar does not define/,
    );
    expect(prepayCalendarRule(bad({ switchTimeMs: 24 * HOUR_MS }))).toMatch(/time of day/);
    expect(prepayCalendarRule(bad({ script: 0 }))).toMatch(/START or STOP/);
    expect(prepayCalendarRule(bad({ startDate: { month: 13 } }))).toMatch(/month must be 1..12/);
    expect(prepayCalendarRule(bad({ daysOfWeek: [8] }))).toMatch(/Monday..Sunday/);
    const twice = { ...electricity, specialDays: [electricity.specialDays[0], electricity.specialDays[0]] };
    expect(prepayCalendarRule({ fuel: ELECTRICITY, electricityCalendar: twice })).toMatch(/unique/);

    const gasWith = (change: object) => ({ fuel: GAS, gasCalendar: { ...gas, ...change } });
    expect(prepayCalendarRule(gasWith({ weekProfiles: [week(1, [1, 1, 1])] }))).toMatch(/7 day profiles/);
    expect(prepayCalendarRule(gasWith({ weekProfiles: [week(1, [1, 1, 1, 1, 1, 1, 2])] }))).toMatch(
      /7 day profiles/,
    );
    expect(prepayCalendarRule(gasWith({ seasons: [{ startDate: {}, weekName: 2 }] }))).toMatch(
      /no week profile/,
    );
    expect(prepayCalendarRule(gasWith({ specialDays: [{ date: {}, dayName: 9 }] }))).toMatch(
      /no day profile/,
    );
  });
});
