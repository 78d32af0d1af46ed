import type {
  DayProfile,
  ElecTariffElements,
  GasTariffElements,
  ProfileSchedule,
  Season,
  SpecialDay,
  SwitchingTable,
  TariffDate,
  WeekProfile,
} from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';

/*
 * DUIS's tariff elements (SwitchingTable, SpecialDays, ThresholdMatrix; electricity and gas spellings) onto
 * tariff.proto, reading every field.
 */

export function int(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new Unexpressible(`"${text}" is not a whole number`);
  return Number(text);
}

/** Elements with an `index` attribute (1, 2, …), in order; an index out of order cannot be carried. */
export function indexed(body: BodyReader, name: string): BodyReader[] {
  const items = body.children(name);
  items.forEach((item, i) => {
    if (int(item.attribute('index')) !== i + 1)
      throw new Unexpressible(`${name} index ${i + 1} is out of order`);
  });
  return items;
}

export const indexedValues = (body: BodyReader, name: string) =>
  indexed(body, name).map((item) => int(item.value()));

/** "07:00:00.00Z" as seconds after midnight UTC. */
function seconds(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/.exec(text);
  if (!match) throw new Unexpressible(`"${text}" is not a time of day`);
  return int(match[1]!) * 3600 + int(match[2]!) * 60 + int(match[3]!);
}

/** One part of a DUIS date: Specified<Part> as a number, or NonSpecified<Part> (left out). */
function part(wrapper: BodyReader, name: string): number | undefined {
  const specified = wrapper.optionalText(`Specified${name}`);
  if (specified !== undefined) return int(specified);
  wrapper.flag(`NonSpecified${name}`);
  return undefined;
}

/** A DUIS date with wildcards: electricity wraps its parts in Year/Month/…, gas in GasYearWithWildcards/…. */
function tariffDate(date: BodyReader, gas: boolean): TariffDate {
  const wrap = (name: string) => date.child(gas ? `Gas${name}WithWildcards` : name);
  return {
    year: part(wrap('Year'), 'Year'),
    month: part(wrap('Month'), 'Month'),
    dayOfMonth: part(wrap('DayOfMonth'), 'DayOfMonth'),
    dayOfWeek: part(wrap('DayOfWeek'), 'DayOfWeek'),
  };
}

function action(entry: BodyReader): ProfileSchedule['action'] {
  const tou = entry.optionalText('TOUTariffAction');
  if (tou !== undefined) return { $case: 'touTariffAction', value: int(tou) };
  const block = entry.optionalText('BlockTariffAction');
  if (block !== undefined) return { $case: 'blockTariffAction', value: int(block) };
  // A GSME's day on its block tariff: the one block row.
  if (entry.flag('BlockTariff')) return { $case: 'blockTariffAction', value: 1 };
  throw new Unexpressible(`${entry.path} names no tariff action`);
}

function dayProfile(profile: BodyReader, gas: boolean): DayProfile {
  const schedule = gas
    ? [{ startTimeS: 0, action: action(profile) }]
    : profile.children('ProfileSchedule').map((entry) => ({
        startTimeS: seconds(entry.text('StartTime')),
        action: action(entry),
      }));
  return { dayName: int(profile.text('DayName')), schedule };
}

function weekProfile(profile: BodyReader): WeekProfile {
  return { weekName: int(profile.text('WeekName')), dayNames: indexedValues(profile, 'ReferencedDayName') };
}

function season(s: BodyReader, gas: boolean): Season {
  return {
    seasonName: s.optionalText('SeasonName') ?? '',
    startDate: tariffDate(s.child('SeasonStartDate'), gas),
    weekName: int(s.text('ReferencedWeekName')),
  };
}

export function switchingTable(table: BodyReader, gas: boolean): SwitchingTable {
  return {
    dayProfiles: table
      .child('DayProfiles')
      .children('DayProfile')
      .map((p) => dayProfile(p, gas)),
    weekProfiles: table.child('WeekProfiles').children('WeekProfile').map(weekProfile),
    seasons: table
      .child('Seasons')
      .children('Season')
      .map((s) => season(s, gas)),
  };
}

/** DUIS SpecialDays: absent, empty (`<sr:SpecialDays/>`) or a list. */
export function specialDays(body: BodyReader, gas: boolean): SpecialDay[] {
  if (!body.has('SpecialDays')) return [];
  if (body.peekText('SpecialDays') === '') {
    body.flag('SpecialDays');
    return [];
  }
  return body
    .child('SpecialDays')
    .children('SpecialDay')
    .map((day) => ({
      date: tariffDate(day.child('Date'), gas),
      dayName: int(day.text('ReferencedDayName')),
    }));
}

export function elecTariffElements(e: BodyReader): ElecTariffElements {
  return {
    currencyUnits: e.text('CurrencyUnits'),
    switchingTable: switchingTable(e.child('SwitchingTable'), false),
    specialDays: specialDays(e, false),
    thresholdMatrix: indexed(e.child('ThresholdMatrix'), 'Thresholds').map((row) => ({
      thresholds: indexedValues(row, 'BlockThreshold'),
    })),
  };
}

export function gasTariffElements(e: BodyReader): GasTariffElements {
  return {
    switchingTable: switchingTable(e.child('SwitchingTable'), true),
    specialDays: specialDays(e, true),
    blockThresholds: indexedValues(e.child('ThresholdMatrix'), 'BlockThreshold'),
  };
}
