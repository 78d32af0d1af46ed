import type { JsonValue } from './meter-state.js';
import { calendarDay, namesDay, type CalendarDay, type WildcardParts } from './calendar-day.js';
import { DAY_MS, SLOTS_PER_DAY } from './time.js';

/*
 * A DUIS switching table as the device model holds it (the wire's shape, tariff.proto, as JSON): which day profile
 * applies on a date (a special day first, else the season in force and its week profile), and what each half hour
 * of that day counts to.
 */

type Obj = { [key: string]: JsonValue };
const list = (value: JsonValue | undefined): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const num = (value: JsonValue | undefined): number | undefined =>
  typeof value === 'number' ? value : undefined;

/** What a half hour counts to: a TOU rate or a block tariff row (1-based). */
export type TariffAction = { kind: 'tou' | 'block'; index: number };

/**
 * When a season starting on `date` (wildcards: any year, any month...) last began on or before `day`, as a
 * comparable yyyymmdd number, or undefined when it never did. A season with a wildcard year starts every year.
 */
function lastStart(date: JsonValue | undefined, day: CalendarDay): number | undefined {
  const d = (date ?? {}) as Obj;
  const month = num(d['month']) ?? 1;
  const dom = num(d['dayOfMonth']) ?? 1;
  const today = day.year * 10_000 + day.month * 100 + day.dayOfMonth;
  const year = num(d['year']);
  if (year !== undefined) {
    const start = year * 10_000 + month * 100 + dom;
    return start <= today ? start : undefined;
  }
  const thisYear = day.year * 10_000 + month * 100 + dom;
  return thisYear <= today ? thisYear : thisYear - 10_000;
}

/** The season in force on `day`: the one that began last; before any began, the last to begin in the table. */
function seasonOn(seasons: Obj[], day: CalendarDay): Obj | undefined {
  let best: { season: Obj; start: number } | undefined;
  for (const season of seasons) {
    const start = lastStart(season['startDate'], day);
    if (start !== undefined && (!best || start > best.start)) best = { season, start };
  }
  return best?.season ?? seasons.at(-1);
}

/** The day profile that applies on the day holding `ms`. */
export function dayProfileOn(
  table: JsonValue,
  specialDays: JsonValue | undefined,
  ms: number,
): Obj | undefined {
  const t = (table ?? {}) as Obj;
  const day = calendarDay(ms);
  const profiles = list(t['dayProfiles']);
  const byName = (name: JsonValue | undefined) => profiles.find((p) => p['dayName'] === name);
  const special = list(specialDays).find((s) => namesDay(s['date'] as WildcardParts, day));
  if (special) return byName(special['dayName']);
  const season = seasonOn(list(t['seasons']), day);
  const week = list(t['weekProfiles']).find((w) => w['weekName'] === season?.['weekName']);
  const names = Array.isArray(week?.['dayNames']) ? week['dayNames'] : [];
  return byName(names[day.dayOfWeek - 1]) ?? profiles[0];
}

function actionOf(entry: Obj): TariffAction | undefined {
  const action = entry['action'] as Obj | undefined;
  const index = num(action?.['value']);
  if (index === undefined) return undefined;
  return { kind: action?.['$case'] === 'blockTariffAction' ? 'block' : 'tou', index };
}

/**
 * What each half hour of the day holding `ms` counts to, 00:00 first (48 entries): the switch in force at the
 * half hour's start; before the day's first switch, the day's last one carries on from the night before.
 */
export function halfHourActions(
  table: JsonValue,
  specialDays: JsonValue | undefined,
  ms: number,
): TariffAction[] {
  const schedule = list(dayProfileOn(table, specialDays, ms)?.['schedule']);
  const fallback: TariffAction = actionOf(schedule.at(-1) ?? {}) ?? { kind: 'tou', index: 1 };
  return Array.from({ length: SLOTS_PER_DAY }, (_, slot) => {
    const startS = (slot * DAY_MS) / SLOTS_PER_DAY / 1_000;
    const entry = schedule.filter((e) => (num(e['startTimeS']) ?? 0) <= startS).at(-1);
    return (entry && actionOf(entry)) ?? fallback;
  });
}

/** The highest TOU rate and block row any day profile of the table names. */
export function actionsNamed(table: JsonValue): { touRates: number; blockRows: number } {
  let touRates = 0;
  let blockRows = 0;
  for (const profile of list(((table ?? {}) as Obj)['dayProfiles'])) {
    for (const entry of list(profile['schedule'])) {
      const action = actionOf(entry);
      if (action?.kind === 'tou') touRates = Math.max(touRates, action.index);
      if (action?.kind === 'block') blockRows = Math.max(blockRows, action.index);
    }
  }
  return { touRates, blockRows };
}
