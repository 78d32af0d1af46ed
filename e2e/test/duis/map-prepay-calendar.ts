import {
  DayOfWeek,
  NonDisablementAction,
  type ElectricityNonDisablementCalendar,
  type GasNonDisablementCalendar,
  type WildcardDate,
} from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';

/** DUIS DayOfWeekID ("Monday") as the API's DayOfWeek. */
export function dayOfWeek(text: string): DayOfWeek {
  const day = DayOfWeek[`DAY_OF_WEEK_${text.toUpperCase()}` as keyof typeof DayOfWeek];
  if (day === undefined || day === DayOfWeek.DAY_OF_WEEK_UNSPECIFIED) {
    throw new Unexpressible(`"${text}" is not a DayOfWeekID`);
  }
  return day;
}

function action(text: string): NonDisablementAction {
  if (text === 'START') return NonDisablementAction.NON_DISABLEMENT_ACTION_START;
  if (text === 'STOP') return NonDisablementAction.NON_DISABLEMENT_ACTION_STOP;
  throw new Unexpressible(`"${text}" is not a NonDisablementScript`);
}

/** "hh:mm:ss.ssZ" as milliseconds after midnight. */
export function timeOfDayMs(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)Z$/.exec(text);
  if (!match) throw new Unexpressible(`"${text}" is not a DUIS time of day`);
  return (Number(match[1]) * 3600 + Number(match[2]) * 60) * 1000 + Math.round(Number(match[3]) * 1000);
}

/** A wildcard part: `<Specified…>n</…>` or an empty `<NonSpecified…/>` (absent on the wire). */
function part(element: BodyReader | undefined, specified: string, nonSpecified: string): string | undefined {
  if (!element) return undefined;
  if (element.flag(nonSpecified)) return undefined;
  return element.text(specified);
}

/** A DUIS date with wildcard parts, named as the electricity (Year…) or gas (GasYearWithWildcards…) form names them. */
export function wildcardDate(
  date: BodyReader,
  names: readonly [string, string, string, string],
): WildcardDate {
  const [yearName, monthName, dayName, weekdayName] = names;
  const year = part(date.optionalChild(yearName), 'SpecifiedYear', 'NonSpecifiedYear');
  const month = part(date.optionalChild(monthName), 'SpecifiedMonth', 'NonSpecifiedMonth');
  const day = part(date.optionalChild(dayName), 'SpecifiedDayOfMonth', 'NonSpecifiedDayOfMonth');
  const weekday = part(date.optionalChild(weekdayName), 'SpecifiedDayOfWeek', 'NonSpecifiedDayOfWeek');
  return {
    ...(year === undefined ? {} : { year: Number(year) }),
    ...(month === undefined ? {} : { month: Number(month) }),
    ...(day === undefined ? {} : { dayOfMonth: Number(day) }),
    ...(weekday === undefined ? {} : { dayOfWeek: dayOfWeek(weekday) }),
  };
}

export const ELECTRICITY_DATE = ['Year', 'Month', 'DayOfMonth', 'DayOfWeek'] as const;
const GAS_DATE = [
  'GasYearWithWildcards',
  'GasMonthWithWildcards',
  'GasDayOfMonthWithWildcards',
  'GasDayOfWeekWithWildcards',
] as const;

/** A ScheduleDatesAndTime date, "yyyy-mm-ddZ"; year 65535 means every year (absent on the wire). */
function scheduleDate(text: string): WildcardDate {
  const match = /^(\d{4,5})-(\d{2})-(\d{2})Z$/.exec(text);
  if (!match) throw new Unexpressible(`"${text}" is not a DUIS date`);
  const year = Number(match[1]);
  return {
    ...(year === 65535 ? {} : { year }),
    month: Number(match[2]),
    dayOfMonth: Number(match[3]),
  };
}

/** A list element's items; an empty list element (`<SpecialDaysApplicability/>`) is read as no items. */
function items(parent: BodyReader, wrapper: string, item: string): BodyReader[] {
  const list = parent.optionalChild(wrapper);
  if (!list) return [];
  if (list.names().length === 0) list.value();
  return list.children(item);
}

/** ElectricityNonDisablementCalendar as the API's calendar. */
export function electricityCalendar(calendar: BodyReader): ElectricityNonDisablementCalendar {
  const specialDays = items(calendar, 'ElectricitySpecialDays', 'SpecialDay').map((day) => ({
    index: Number(day.attribute('index')),
    date: wildcardDate(day.child('Date'), ELECTRICITY_DATE),
  }));
  const schedules = calendar.children('ElectricityNonDisablementSchedule').map((schedule) => {
    const when = schedule.child('ScheduleDatesAndTime');
    return {
      script: action(schedule.text('NonDisablementScript')),
      specialDayIds: items(schedule, 'SpecialDaysApplicability', 'SpecialDayApplicability').map((entry) =>
        Number(entry.text('SpecialDayID')),
      ),
      daysOfWeek: items(schedule, 'DaysOfWeekApplicability', 'DayOfWeekApplicability').map((entry) =>
        dayOfWeek(entry.text('DayOfWeekID')),
      ),
      switchTimeMs: timeOfDayMs(when.text('SwitchTime')),
      startDate: scheduleDate(when.text('StartDate')),
      endDate: scheduleDate(when.text('EndDate')),
    };
  });
  return { specialDays, schedules };
}

/** GasNonDisablementCalendar as the API's calendar. */
export function gasCalendar(calendar: BodyReader): GasNonDisablementCalendar {
  const list = (wrapper: string, item: string) => items(calendar, wrapper, item);
  return {
    dayProfiles: list('DayProfiles', 'GasNonDisablementDayProfile').map((profile) => ({
      dayName: Number(profile.text('GasDayName')),
      actions: profile.children('TimeStartAction').map((entry) => ({
        startTimeMs: timeOfDayMs(entry.text('StartTime')),
        action: action(entry.text('NonDisablementAction')),
      })),
    })),
    weekProfiles: list('WeekProfiles', 'WeekProfile').map((week) => ({
      weekName: Number(week.text('WeekName')),
      // Written in index order 1..7 (Monday first); the index is read so it is not dropped.
      dayNames: week
        .children('ReferencedDayName')
        .map((day) => ({ index: Number(day.attribute('index')), name: Number(day.value()) }))
        .sort((a, b) => a.index - b.index)
        .map((day) => day.name),
    })),
    seasons: list('SeasonProfiles', 'Season').map((season) => ({
      startDate: wildcardDate(season.child('SeasonStartDate'), GAS_DATE),
      weekName: Number(season.text('ReferencedWeekName')),
    })),
    specialDays: list('SpecialDays', 'SpecialDay').map((day) => ({
      date: wildcardDate(day.child('Date'), GAS_DATE),
      dayName: Number(day.text('ReferencedDayName')),
    })),
  };
}
