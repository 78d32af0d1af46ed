import type { BodyFields, BodyRule } from './body-rules.js';

/*
 * 2.1's non-disablement calendars (DUIS ElectricityNonDisablementCalendar, GasNonDisablementCalendar) as the
 * wire carries them (libs/proto non_disablement_calendar.proto, ts-proto field names). What the hub and the device
 * model check alike: ranges, enumerations, and that every reference names something the calendar defines. The
 * list sizes are the model's (inferred; DCC-REFERENCE quotes none).
 */

export const CALENDAR_LIMITS = {
  electricitySpecialDays: 50,
  electricitySchedules: 100,
  gasProfiles: 12,
  gasActionsPerDay: 10,
  gasSpecialDays: 50,
} as const;

const DAY_MS = 86_400_000;
/** Wire numbering of dcc.v1.PrepayConfigFuel, NonDisablementAction and DayOfWeek. */
export const PREPAY_CONFIG_FUELS = { 1: 'electricity', 2: 'gas' } as const;
const ACTIONS = new Set([1, 2]);

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const whole = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

export function dateProblem(name: string, date: unknown): string | undefined {
  if (date === undefined || date === null || typeof date !== 'object') return `${name} is missing`;
  const d = date as Obj;
  const parts: [string, number, number][] = [
    ['year', 1, 9999],
    ['month', 1, 12],
    ['dayOfMonth', 1, 31],
    ['dayOfWeek', 1, 7],
  ];
  for (const [part, min, max] of parts) {
    if (d[part] !== undefined && !whole(d[part], min, max)) return `${name}.${part} must be ${min}..${max}`;
  }
  return undefined;
}

function firstProblem(checks: (() => string | undefined)[]): string | undefined {
  for (const check of checks) {
    const problem = check();
    if (problem) return problem;
  }
  return undefined;
}

function electricityProblem(calendar: Obj): string | undefined {
  const days = list(calendar['specialDays']);
  const schedules = list(calendar['schedules']);
  if (days.length > CALENDAR_LIMITS.electricitySpecialDays) return 'too many special days';
  if (schedules.length > CALENDAR_LIMITS.electricitySchedules) return 'too many schedules';
  const indexes = new Set<unknown>();
  for (const [i, day] of days.entries()) {
    if (!whole(day['index'], 1, CALENDAR_LIMITS.electricitySpecialDays) || indexes.has(day['index'])) {
      return `specialDays[${i}].index must be unique, 1..${CALENDAR_LIMITS.electricitySpecialDays}`;
    }
    indexes.add(day['index']);
    const bad = dateProblem(`specialDays[${i}].date`, day['date']);
    if (bad) return bad;
  }
  for (const [i, s] of schedules.entries()) {
    const name = `schedules[${i}]`;
    const bad = firstProblem([
      () => (ACTIONS.has(s['script'] as number) ? undefined : `${name}.script must be START or STOP`),
      () =>
        whole(s['switchTimeMs'], 0, DAY_MS - 1) ? undefined : `${name}.switchTimeMs must be a time of day`,
      () => dateProblem(`${name}.startDate`, s['startDate']),
      () => dateProblem(`${name}.endDate`, s['endDate']),
      () =>
        (s['specialDayIds'] as unknown[] | undefined)?.every((id) => indexes.has(id)) === false
          ? `${name}.specialDayIds names a special day the calendar does not define`
          : undefined,
      () =>
        (s['daysOfWeek'] as unknown[] | undefined)?.every((d) => whole(d, 1, 7)) === false
          ? `${name}.daysOfWeek must be Monday..Sunday`
          : undefined,
    ]);
    if (bad) return bad;
  }
  return undefined;
}

function gasProblem(calendar: Obj): string | undefined {
  const profiles = list(calendar['dayProfiles']);
  const weeks = list(calendar['weekProfiles']);
  const seasons = list(calendar['seasons']);
  const special = list(calendar['specialDays']);
  if ([profiles, weeks, seasons].some((l) => l.length > CALENDAR_LIMITS.gasProfiles))
    return 'too many profiles';
  if (special.length > CALENDAR_LIMITS.gasSpecialDays) return 'too many special days';
  const dayNames = new Set(profiles.map((p) => p['dayName']));
  const weekNames = new Set(weeks.map((w) => w['weekName']));
  if (dayNames.size !== profiles.length || weekNames.size !== weeks.length)
    return 'day and week names must be unique';
  for (const [i, p] of profiles.entries()) {
    const actions = list(p['actions']);
    if (!whole(p['dayName'], 1, 255)) return `dayProfiles[${i}].dayName must be 1..255`;
    if (actions.length > CALENDAR_LIMITS.gasActionsPerDay) return `dayProfiles[${i}] has too many actions`;
    const bad = actions.find(
      (a) => !whole(a['startTimeMs'], 0, DAY_MS - 1) || !ACTIONS.has(a['action'] as number),
    );
    if (bad) return `dayProfiles[${i}].actions need a time of day and START or STOP`;
  }
  for (const [i, w] of weeks.entries()) {
    const names = w['dayNames'] as unknown[] | undefined;
    if (!whole(w['weekName'], 1, 255)) return `weekProfiles[${i}].weekName must be 1..255`;
    if (names?.length !== 7 || !names.every((n) => dayNames.has(n))) {
      return `weekProfiles[${i}] must name 7 day profiles, Monday first`;
    }
  }
  for (const [i, s] of seasons.entries()) {
    const bad = dateProblem(`seasons[${i}].startDate`, s['startDate']);
    if (bad) return bad;
    if (!weekNames.has(s['weekName'])) return `seasons[${i}].weekName names no week profile`;
  }
  for (const [i, s] of special.entries()) {
    const bad = dateProblem(`specialDays[${i}].date`, s['date']);
    if (bad) return bad;
    if (!dayNames.has(s['dayName'])) return `specialDays[${i}].dayName names no day profile`;
  }
  return undefined;
}

/** 2.1: the element's fuel, a calendar only of that fuel, and each calendar consistent. */
export const prepayCalendarRule: BodyRule = (fields: BodyFields) => {
  const fuel = fields['fuel'];
  const electricity = fields['electricityCalendar'] as Obj | undefined | null;
  const gas = fields['gasCalendar'] as Obj | undefined | null;
  if (fuel !== undefined && fuel !== null && !Object.hasOwn(PREPAY_CONFIG_FUELS, String(fuel))) {
    return 'fuel must be electricity or gas';
  }
  if (electricity && fuel !== 1) return 'electricityCalendar goes only with fuel electricity';
  if (gas && fuel !== 2) return 'gasCalendar goes only with fuel gas';
  const problem = electricity ? electricityProblem(electricity) : gas ? gasProblem(gas) : undefined;
  return problem && `${electricity ? 'electricityCalendar' : 'gasCalendar'}.${problem}`;
};
