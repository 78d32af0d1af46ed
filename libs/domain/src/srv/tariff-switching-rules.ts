/*
 * A tariff's switching table and special days (DUIS SwitchingTable, SpecialDays) as the wire carries them
 * (libs/proto tariff.proto, ts-proto field names): what the hub checks before I99 and the device model checks
 * again. The sizes are those of DCC's own tariff builder for 1.1.1 (the @smartdcc/duis-templates package): 1 to 16
 * day profiles of 1 to 48 switches, 1 to 4 week profiles, 1 to 4 seasons, 0 to 50 special days, TOU actions 1 to 48
 * and block actions 1 to 8 (ESME); a GSME day profile is one action, TOU 1 to 4 or its one block row.
 */

import { dateProblem, firstProblem, list, whole, type Obj } from './non-disablement-calendar.js';

export const TARIFF_LIMITS = {
  dayProfiles: 16,
  switchesPerDay: 48,
  weekProfiles: 4,
  seasons: 4,
  specialDays: 50,
  touRates: 48,
  blockActions: 8,
  thresholdsPerBlock: 3,
  pricesPerBlock: 4,
  secondaryTouRates: 4,
  gasTouRates: 4,
  /** DUIS's filler for "no further threshold" in a threshold matrix row. */
  noThreshold: 4_294_967_295,
  secondsPerDay: 86_400,
} as const;

export { firstProblem, list, whole, type Obj };
export const obj = (value: unknown): Obj | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;

/** A ts-proto oneof value `{ $case, value }`, or undefined. */
export function oneofOf(value: unknown): { $case: string; value: unknown } | undefined {
  const o = obj(value);
  return o && typeof o['$case'] === 'string' ? { $case: o['$case'], value: o['value'] } : undefined;
}

/** What a tariff's day profiles may name: its fuel's shape and how many TOU rates and block rows it prices. */
export interface ActionLimits {
  gas: boolean;
  /** TOU rates the tariff prices (TOU actions above it name no price). */
  touRates: number;
  /** Block rows the tariff prices (block actions above it name no price); 0 for none. */
  blockRows: number;
}

function scheduleProblem(name: string, schedule: Obj[], limits: ActionLimits): string | undefined {
  if (limits.gas && schedule.length !== 1) return `${name}: a GSME day profile is one action`;
  if (schedule.length < 1 || schedule.length > TARIFF_LIMITS.switchesPerDay) {
    return `${name} must hold 1 to ${TARIFF_LIMITS.switchesPerDay} switches`;
  }
  let previous = -1;
  for (const [i, entry] of schedule.entries()) {
    const at = `${name}.schedule[${i}]`;
    const start = entry['startTimeS'] ?? 0;
    if (!whole(start, 0, TARIFF_LIMITS.secondsPerDay - 1))
      return `${at}.startTimeS must be a second of the day`;
    if (start <= previous) return `${at}.startTimeS must follow the switch before it`;
    if (limits.gas && start !== 0) return `${at}: a GSME day profile's one action starts at 00:00`;
    previous = start;
    const action = oneofOf(entry['action']);
    if (action?.$case === 'touTariffAction') {
      if (!whole(action.value, 1, limits.touRates)) {
        return `${at}: TOU action ${String(action.value)} has no price (the tariff prices rates 1 to ${limits.touRates})`;
      }
    } else if (action?.$case === 'blockTariffAction') {
      if (!whole(action.value, 1, limits.gas ? 1 : limits.blockRows) || limits.blockRows === 0) {
        return `${at}: block action ${String(action.value)} has no block prices`;
      }
    } else return `${at} names no TOU or block action`;
  }
  return undefined;
}

/** Day names a table defines, and the first problem with its day profiles. */
function dayProfilesProblem(table: Obj, limits: ActionLimits, days: Set<number>): string | undefined {
  const profiles = list(table['dayProfiles']);
  if (profiles.length < 1 || profiles.length > TARIFF_LIMITS.dayProfiles) {
    return `switchingTable.dayProfiles must hold 1 to ${TARIFF_LIMITS.dayProfiles} day profiles`;
  }
  for (const [i, profile] of profiles.entries()) {
    const name = profile['dayName'];
    if (!whole(name, 1, TARIFF_LIMITS.dayProfiles) || days.has(name)) {
      return `switchingTable.dayProfiles[${i}].dayName must be unique, 1 to ${TARIFF_LIMITS.dayProfiles}`;
    }
    days.add(name);
    const problem = scheduleProblem(`switchingTable.dayProfiles[${i}]`, list(profile['schedule']), limits);
    if (problem) return problem;
  }
  return undefined;
}

function weekProfilesProblem(table: Obj, days: Set<number>, weeks: Set<number>): string | undefined {
  const profiles = list(table['weekProfiles']);
  if (profiles.length < 1 || profiles.length > TARIFF_LIMITS.weekProfiles) {
    return `switchingTable.weekProfiles must hold 1 to ${TARIFF_LIMITS.weekProfiles} week profiles`;
  }
  for (const [i, profile] of profiles.entries()) {
    const name = profile['weekName'];
    if (!whole(name, 1, TARIFF_LIMITS.weekProfiles) || weeks.has(name)) {
      return `switchingTable.weekProfiles[${i}].weekName must be unique, 1 to ${TARIFF_LIMITS.weekProfiles}`;
    }
    weeks.add(name);
    const refs = Array.isArray(profile['dayNames']) ? (profile['dayNames'] as unknown[]) : [];
    if (refs.length !== 7) return `switchingTable.weekProfiles[${i}].dayNames must name 7 days, Monday first`;
    const unknown = refs.find((ref) => !days.has(ref as number));
    if (unknown !== undefined)
      return `switchingTable.weekProfiles[${i}] names day profile ${String(unknown)}, which the table does not define`;
  }
  return undefined;
}

function seasonsProblem(table: Obj, weeks: Set<number>): string | undefined {
  const seasons = list(table['seasons']);
  if (seasons.length < 1 || seasons.length > TARIFF_LIMITS.seasons) {
    return `switchingTable.seasons must hold 1 to ${TARIFF_LIMITS.seasons} seasons`;
  }
  for (const [i, season] of seasons.entries()) {
    const name = `switchingTable.seasons[${i}]`;
    const problem = dateProblem(`${name}.startDate`, season['startDate']);
    if (problem) return problem;
    if (!weeks.has(season['weekName'] as number)) {
      return `${name} names week profile ${String(season['weekName'])}, which the table does not define`;
    }
    if (typeof (season['seasonName'] ?? '') !== 'string') return `${name}.seasonName must be text`;
  }
  return undefined;
}

/** The first problem with a switching table and its special days, or undefined. */
export function switchingProblem(
  table: unknown,
  specialDays: unknown,
  limits: ActionLimits,
): string | undefined {
  const t = obj(table);
  if (!t) return 'switchingTable is missing';
  const days = new Set<number>();
  const weeks = new Set<number>();
  const special = list(specialDays);
  return firstProblem([
    () => dayProfilesProblem(t, limits, days),
    () => weekProfilesProblem(t, days, weeks),
    () => seasonsProblem(t, weeks),
    () =>
      special.length > TARIFF_LIMITS.specialDays
        ? `specialDays must hold at most ${TARIFF_LIMITS.specialDays} days`
        : undefined,
    ...special.map((day, i) => () => {
      const problem = dateProblem(`specialDays[${i}].date`, day['date']);
      if (problem) return problem;
      return days.has(day['dayName'] as number)
        ? undefined
        : `specialDays[${i}] names day profile ${String(day['dayName'])}, which the table does not define`;
    }),
  ]);
}
