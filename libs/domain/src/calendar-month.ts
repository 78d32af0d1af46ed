import { DccError } from './dcc-error.js';

/** A calendar month in UTC, "YYYY-MM": the period of the hub's reports (DCC-REFERENCE §1.6). */
export type CalendarMonth = string & { readonly __calendarMonth: unique symbol };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The UTC calendar month an instant (ms since the epoch) falls in. */
export function calendarMonthOf(ms: number): CalendarMonth {
  return new Date(ms).toISOString().slice(0, 7) as CalendarMonth;
}

/** A month as a caller wrote it; anything but "YYYY-MM" is refused INVALID_ARGUMENT. */
export function parseCalendarMonth(text: string, what = 'month'): CalendarMonth {
  if (!MONTH.test(text)) throw DccError.invalidArgument(`${what} "${text.slice(0, 20)}" is not YYYY-MM`);
  return text as CalendarMonth;
}
