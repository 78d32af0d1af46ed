import { calendarDay, namesDay, type CalendarDay } from './calendar-day.js';

/*
 * The calendar an ESME's auxiliary load switches (6.14.2) and auxiliary controllers (6.14.3) follow: each entry
 * applies on its weekdays, or on the special days it names, between its start and end dates (wildcards allowed),
 * and sets a level at its switch time. On a special day only the entries naming it apply (it replaces the
 * weekday pattern). The level in force is that of the latest entry at or before now, looking back a week.
 */

const DAY_MS = 86_400_000;
/** A weekly pattern repeats within 7 days; one more covers a special day that replaced yesterday's. */
const LOOK_BACK_DAYS = 8;

/** A DUIS date with wildcards (libs/proto WildcardDate): absent parts match anything. */
export interface WildcardDate {
  year?: number;
  month?: number;
  dayOfMonth?: number;
  /** 1 Monday .. 7 Sunday. */
  dayOfWeek?: number;
}

export interface ScheduleTiming {
  specialDayIndexes: number[];
  /** 1 Monday .. 7 Sunday. */
  daysOfWeek: number[];
  /** Milliseconds after midnight. */
  switchTimeMs: number;
  startDate: WildcardDate;
  endDate: WildcardDate;
}

export interface SpecialDay {
  index: number;
  date: WildcardDate;
}

/** One entry reduced to what the evaluation needs: whose it is (switch or controller), the level it sets, when. */
export interface TimedLevel {
  target: number;
  level: number;
  timing: ScheduleTiming;
}

/** yyyymmdd of a wildcard bound, its missing parts taken from the day (year) or the range's edge. */
function bound(date: WildcardDate, day: CalendarDay, end: boolean): number {
  const month = date.month ?? (end ? 12 : 1);
  const dayOfMonth = date.dayOfMonth ?? (end ? 31 : 1);
  return (date.year ?? day.year) * 10_000 + month * 100 + dayOfMonth;
}

/** Whether the day lies between the dates; a yearless range that ends before it starts wraps over new year. */
function within(timing: ScheduleTiming, day: CalendarDay): boolean {
  const today = day.year * 10_000 + day.month * 100 + day.dayOfMonth;
  const start = bound(timing.startDate, day, false);
  const end = bound(timing.endDate, day, true);
  const yearless = timing.startDate.year === undefined && timing.endDate.year === undefined;
  if (yearless && start > end) return today >= start || today <= end;
  return today >= start && today <= end;
}

function appliesOn(timing: ScheduleTiming, day: CalendarDay, specialToday: ReadonlySet<number>): boolean {
  if (!within(timing, day)) return false;
  if (specialToday.size > 0) return timing.specialDayIndexes.some((i) => specialToday.has(i));
  return timing.daysOfWeek.includes(day.dayOfWeek);
}

/**
 * The level the schedule puts `target` at, at `nowMs` (the meter's clock), each switch time delayed by
 * `offsetMs` (the randomised offset); undefined when no entry for it has fallen due within the last week.
 */
export function scheduledLevel(
  entries: readonly TimedLevel[],
  specialDays: readonly SpecialDay[],
  target: number,
  nowMs: number,
  offsetMs = 0,
): number | undefined {
  const mine = entries.filter((e) => e.target === target);
  if (mine.length === 0) return undefined;
  const midnight = Math.floor(nowMs / DAY_MS) * DAY_MS;
  for (let back = 0; back < LOOK_BACK_DAYS; back++) {
    const dayStart = midnight - back * DAY_MS;
    const day = calendarDay(dayStart);
    const specialToday = new Set(specialDays.filter((s) => namesDay(s.date, day)).map((s) => s.index));
    let latest: TimedLevel | undefined;
    for (const entry of mine) {
      const at = dayStart + entry.timing.switchTimeMs + offsetMs;
      if (at > nowMs || !appliesOn(entry.timing, day, specialToday)) continue;
      if (!latest || entry.timing.switchTimeMs >= latest.timing.switchTimeMs) latest = entry;
    }
    if (latest) return latest.level;
  }
  return undefined;
}
