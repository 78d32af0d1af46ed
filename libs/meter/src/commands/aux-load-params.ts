import { firstViolation, srvEntry } from '@dcc/domain';
import type {
  AlcsConnectionSchedule,
  AuxiliaryControllerScheduleEntry,
  ControllerLevel,
} from '../aux-load.js';
import type { ScheduleTiming, SpecialDay, WildcardDate } from '../aux-schedule.js';
import { Params } from './params.js';

/*
 * Parameters of the auxiliary load SRVs: checked with the rules the hub applies before I99 (libs/domain
 * aux-load-rules.ts), then copied into the model's own JSON-safe shapes (lists always present).
 */

export interface AuxOverrideParams {
  switchIndex: number;
  durationMinutes: number;
}
export interface SwitchParams {
  switchIndex: number;
}
export interface BoostChangeParams {
  switches: { switchIndex: number; selected: boolean }[];
}
export interface BoostReadParams {
  period: { startMs: number; endMs: number };
}
export interface RandomisedOffsetParams {
  randomisedOffsetLimitS: number;
}
export interface AlcDescriptionsParams {
  descriptions: { switchIndex: number; description: string }[];
}
export interface AlcSchedulerParams {
  schedules: AlcsConnectionSchedule[];
  specialDays: SpecialDay[];
  switchTypes: { switchIndex: number; hcalcsDeviceId: string }[];
}
export interface ControllerSchedulerParams {
  schedules: AuxiliaryControllerScheduleEntry[];
  specialDays: SpecialDay[];
}

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

/** The raw fields, once they hold only `keys` and pass the rules the hub checked before I99 (the SRV table's). */
export function checked(srv: string, raw: unknown, keys: readonly string[]): Obj {
  const p = new Params(srv, raw).only(...keys);
  const fields = raw as Obj;
  const problem = firstViolation(srvEntry(srv)?.rules ?? [], fields);
  if (problem) throw p.error(problem);
  return fields;
}

function date(value: unknown): WildcardDate {
  const d = (value ?? {}) as Obj;
  const out: WildcardDate = {};
  for (const key of ['year', 'month', 'dayOfMonth', 'dayOfWeek'] as const) {
    if (typeof d[key] === 'number') out[key] = d[key];
  }
  return out;
}

function timing(value: unknown): ScheduleTiming {
  const t = value as Obj;
  return {
    specialDayIndexes: [...((t['specialDayIndexes'] as number[] | undefined) ?? [])],
    daysOfWeek: [...((t['daysOfWeek'] as number[] | undefined) ?? [])],
    switchTimeMs: t['switchTimeMs'] as number,
    startDate: date(t['startDate']),
    endDate: date(t['endDate']),
  };
}

export function specialDays(value: unknown): SpecialDay[] {
  return list(value).map((d) => ({ index: d['index'] as number, date: date(d['date']) }));
}

export function alcSchedules(value: unknown): AlcsConnectionSchedule[] {
  return list(value).map((s) => ({
    switchIndex: s['switchIndex'] as number,
    activate: s['activate'] as boolean,
    timing: timing(s['timing']),
  }));
}

export function controllerSchedules(value: unknown): AuxiliaryControllerScheduleEntry[] {
  return list(value).map((s) => ({
    auxiliaryControllerN: s['auxiliaryControllerN'] as number,
    commandedStateLevel: s['commandedStateLevel'] as number,
    inputFromControlledLoad: s['inputFromControlledLoad'] === true,
    timing: timing(s['timing']),
  }));
}

export function controllerLevel(fields: Obj): ControllerLevel {
  return {
    auxiliaryControllerN: fields['auxiliaryControllerN'] as number,
    startDateTimeMs: fields['startDateTimeMs'] as number,
    endDateTimeMs: fields['endDateTimeMs'] as number,
    commandedStateLevel: fields['commandedStateLevel'] as number,
    inputFromControlledLoad: fields['inputFromControlledLoad'] === true,
  };
}
