import type { MeterState } from './meter-state.js';
import { DAY_MS } from './time.js';

/*
 * 2.1's non-disablement calendar applied: whether an instant falls in a non-disablement period, and when that
 * period ends. The calendar is kept in the wire's shape (non_disablement_calendar.proto, checked by libs/domain).
 * Times are UTC (DUIS "hh:mm:ss.ssZ"). A day's events are its special-day schedules when one applies (GBCS special
 * days override the weekday's), else its weekday's; the state before a day's first event is the previous day's last.
 */

type Obj = Record<string, unknown>;
type WildDate = { year?: number; month?: number; dayOfMonth?: number; dayOfWeek?: number };
interface Event {
  atMs: number;
  start: boolean;
}

const LOOK_DAYS = 14;
const START = 1;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

/** ISO weekday 1 (Monday) .. 7 (Sunday) of a UTC day start. */
const weekday = (dayMs: number) => ((new Date(dayMs).getUTCDay() + 6) % 7) + 1;

function matches(date: WildDate | undefined, dayMs: number): boolean {
  const d = new Date(dayMs);
  return (
    (date?.year === undefined || date.year === d.getUTCFullYear()) &&
    (date?.month === undefined || date.month === d.getUTCMonth() + 1) &&
    (date?.dayOfMonth === undefined || date.dayOfMonth === d.getUTCDate()) &&
    (date?.dayOfWeek === undefined || date.dayOfWeek === weekday(dayMs))
  );
}

/** A date as a sortable key yyyymmdd; a wildcard part takes the day's own year, January, the 1st. */
function key(date: WildDate | undefined, dayMs: number): number {
  const year = new Date(dayMs).getUTCFullYear();
  return ((date?.year ?? year) * 100 + (date?.month ?? 1)) * 100 + (date?.dayOfMonth ?? 1);
}

const dayKey = (dayMs: number) => {
  const d = new Date(dayMs);
  return (d.getUTCFullYear() * 100 + d.getUTCMonth() + 1) * 100 + d.getUTCDate();
};

/** Whether the day lies in [start, end]; every-year ranges may wrap over the new year. */
function inRange(start: WildDate | undefined, end: WildDate | undefined, dayMs: number): boolean {
  const [from, to, today] = [key(start, dayMs), key(end, dayMs), dayKey(dayMs)];
  return from <= to ? from <= today && today <= to : today >= from || today <= to;
}

function electricityEvents(calendar: Obj, dayMs: number): Event[] {
  const special = new Set(
    list(calendar['specialDays'])
      .filter((s) => matches(s['date'] as WildDate, dayMs))
      .map((s) => s['index']),
  );
  const current = list(calendar['schedules']).filter((s) =>
    inRange(s['startDate'] as WildDate, s['endDate'] as WildDate, dayMs),
  );
  const bySpecial = current.filter((s) => (s['specialDayIds'] as unknown[]).some((id) => special.has(id)));
  const chosen =
    bySpecial.length > 0
      ? bySpecial
      : current.filter((s) => (s['daysOfWeek'] as number[]).includes(weekday(dayMs)));
  return chosen.map((s) => ({ atMs: dayMs + (s['switchTimeMs'] as number), start: s['script'] === START }));
}

function gasEvents(calendar: Obj, dayMs: number): Event[] {
  const todayKey = dayKey(dayMs);
  const special = list(calendar['specialDays']).find((s) => matches(s['date'] as WildDate, dayMs));
  let dayName = special?.['dayName'];
  if (dayName === undefined) {
    // The latest season started by today; before this year's first one, last year's last one goes on.
    const seasons = list(calendar['seasons']).sort(
      (a, b) => key(a['startDate'] as WildDate, dayMs) - key(b['startDate'] as WildDate, dayMs),
    );
    const season =
      seasons.filter((s) => key(s['startDate'] as WildDate, dayMs) <= todayKey).at(-1) ?? seasons.at(-1);
    const week = list(calendar['weekProfiles']).find((w) => w['weekName'] === season?.['weekName']);
    dayName = (week?.['dayNames'] as number[] | undefined)?.[weekday(dayMs) - 1];
  }
  const profile = list(calendar['dayProfiles']).find((p) => p['dayName'] === dayName);
  return list(profile?.['actions']).map((a) => ({
    atMs: dayMs + (a['startTimeMs'] as number),
    start: a['action'] === START,
  }));
}

function eventsOn(state: MeterState, dayMs: number): Event[] {
  const held = state.prepay.calendar;
  if (!held) return [];
  const calendar = held.calendar as Obj;
  const events = held.fuel === 'gas' ? gasEvents(calendar, dayMs) : electricityEvents(calendar, dayMs);
  return events.sort((a, b) => a.atMs - b.atMs);
}

/**
 * When the non-disablement period `t` falls in ends (its next STOP, at most two weeks ahead), or undefined when `t`
 * is not in one.
 */
export function nonDisablementEnd(state: MeterState, t: number): number | undefined {
  if (!state.prepay.calendar) return undefined;
  const today = Math.floor(t / DAY_MS) * DAY_MS;
  let inPeriod = false;
  for (let day = today; day > today - LOOK_DAYS * DAY_MS; day -= DAY_MS) {
    const last = eventsOn(state, day)
      .filter((e) => e.atMs <= t)
      .at(-1);
    if (last) {
      inPeriod = last.start;
      break;
    }
  }
  if (!inPeriod) return undefined;
  for (let day = today; day < today + LOOK_DAYS * DAY_MS; day += DAY_MS) {
    const stop = eventsOn(state, day).find((e) => e.atMs > t && !e.start);
    if (stop) return stop.atMs;
  }
  return today + LOOK_DAYS * DAY_MS;
}
