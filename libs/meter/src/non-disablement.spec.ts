import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { MeterHarness } from './meter-harness.js';
import { initialState, type JsonValue } from './meter-state.js';
import { nonDisablementEnd } from './non-disablement.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const HOUR = 3_600_000;
const SATURDAY = Date.UTC(2026, 2, 7); // a Saturday
const [START, STOP] = [1, 2];
const allYear = { startDate: { month: 1, dayOfMonth: 1 }, endDate: { month: 12, dayOfMonth: 31 } };

/** Weekends 00:00-09:30; Christmas Day (a special day) 00:00-18:00, whatever weekday it is. */
const electricity = {
  specialDays: [{ index: 1, date: { month: 12, dayOfMonth: 25 } }],
  schedules: [
    { script: START, switchTimeMs: 0, daysOfWeek: [6, 7], specialDayIds: [], ...allYear },
    { script: STOP, switchTimeMs: 9.5 * HOUR, daysOfWeek: [6, 7], specialDayIds: [], ...allYear },
    { script: START, switchTimeMs: 0, daysOfWeek: [], specialDayIds: [1], ...allYear },
    { script: STOP, switchTimeMs: 18 * HOUR, daysOfWeek: [], specialDayIds: [1], ...allYear },
  ],
};

const withCalendar = (fuel: 'electricity' | 'gas', calendar: object) => {
  const state = initialState();
  state.prepay.calendar = { fuel, calendar: calendar as JsonValue };
  return state;
};

describe('non-disablement periods', () => {
  it('electricity: in a weekend morning until its STOP; not on a weekday or after it', () => {
    const state = withCalendar('electricity', electricity);
    expect(nonDisablementEnd(state, SATURDAY + 3 * HOUR)).toBe(SATURDAY + 9.5 * HOUR);
    expect(nonDisablementEnd(state, SATURDAY + 10 * HOUR)).toBeUndefined();
    expect(nonDisablementEnd(state, SATURDAY - 2 * 86_400_000 + 3 * HOUR)).toBeUndefined();
  });

  it('electricity: a special day’s schedules replace its weekday’s (Christmas 2027 is a Saturday)', () => {
    const state = withCalendar('electricity', electricity);
    const christmas = Date.UTC(2027, 11, 25);
    expect(nonDisablementEnd(state, christmas + 12 * HOUR)).toBe(christmas + 18 * HOUR);
    const weekdayChristmas = Date.UTC(2026, 11, 25); // a Friday
    expect(nonDisablementEnd(state, weekdayChristmas + 1 * HOUR)).toBe(weekdayChristmas + 18 * HOUR);
  });

  it('gas: the season’s week profile names the day profile; a special day its own', () => {
    const state = withCalendar('gas', {
      dayProfiles: [
        { dayName: 1, actions: [{ startTimeMs: 18 * HOUR, action: START }] },
        {
          dayName: 2,
          actions: [
            { startTimeMs: 0, action: START },
            { startTimeMs: 8 * HOUR, action: STOP },
          ],
        },
      ],
      weekProfiles: [{ weekName: 1, dayNames: [1, 1, 1, 1, 1, 2, 2] }],
      seasons: [{ startDate: { month: 1, dayOfMonth: 1 }, weekName: 1 }],
      specialDays: [{ date: { month: 3, dayOfMonth: 9 }, dayName: 2 }],
    });
    // Friday 18:00 starts a period that runs into Saturday until 08:00.
    expect(nonDisablementEnd(state, SATURDAY - 3 * HOUR)).toBe(SATURDAY + 8 * HOUR);
    expect(nonDisablementEnd(state, SATURDAY + 9 * HOUR)).toBeUndefined();
    // Monday 9 March is a special day with the weekend's profile: in a period at 01:00.
    expect(nonDisablementEnd(state, SATURDAY + 2 * 86_400_000 + HOUR)).toBe(
      SATURDAY + 2 * 86_400_000 + 8 * HOUR,
    );
  });

  it('the meter keeps the supply on while credit is exhausted in a period, and disables it when the period ends', () => {
    for (const calendar of [false, true]) {
      const h = new MeterHarness(id, 0, SATURDAY + 3 * HOUR);
      if (calendar) h.send('2.1', { fuel: 'electricity', electricityCalendar: electricity });
      const switched = h.send('1.6', { mode: 'prepayment' });
      expect(switched.body!.supply).toBe(calendar ? 'enabled' : 'disabled');
      h.clock.advance(8 * HOUR);
      const later = h.send('7.4');
      expect(later.body!.supply).toBe('disabled');
      if (calendar) {
        expect(later.alerts).toContainEqual(
          expect.objectContaining({
            code: AlertCode.CREDIT_BELOW_DISABLEMENT_THRESHOLD,
            atMs: SATURDAY + 9.5 * HOUR,
          }),
        );
      }
    }
  });
});
