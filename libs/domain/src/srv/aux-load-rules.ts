import { isEui64 } from '../eui64.js';
import { dateTime, numberIn, period, type BodyFields, type BodyRule } from './body-rules.js';
import { dateProblem } from './non-disablement-calendar.js';

/*
 * Auxiliary load control bodies (6.14.1-6.14.3, 7.5-7.16) as the wire carries them (libs/proto
 * auxiliary_load_control.proto, ts-proto field names). The hub checks them before I99 and the device model checks
 * them again with the same rules. DCC-REFERENCE quotes no limits: every one here is inferred and documented in the
 * .proto.
 */

export const AUX_LOAD_LIMITS = {
  /** Switch numbers an ESME drives (its ALCS and HCALCS), and auxiliary controller numbers. */
  switches: 5,
  controllers: 5,
  /** 7.5/7.6 Duration, minutes (an unsigned 16-bit count). */
  maxOverrideMinutes: 65_535,
  /** 7.12 RandomisedOffsetLimit, seconds. */
  maxRandomisedOffsetS: 1_800,
  /** 6.14.1 SwitchDescription, printable ASCII characters. */
  descriptionChars: 20,
  /** 6.14.2 and 6.14.3: entries and special days per schedule. */
  scheduleEntries: 64,
  specialDays: 50,
  /** 7.11: longest boost log period per read, days. */
  boostLogReadDays: 366,
  /** CommandedStateLevel, percent. */
  maxLevel: 100,
} as const;

const DAY_MS = 86_400_000;
const PRINTABLE = /^[\x20-\x7E]+$/;

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const whole = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function first(checks: (() => string | undefined)[]): string | undefined {
  for (const check of checks) {
    const problem = check();
    if (problem) return problem;
  }
  return undefined;
}

/** A list of entries each naming one number (`key`) from 1..max, each at most once; `min`..`maxEntries` of them. */
function numbered(
  field: string,
  value: unknown,
  key: string,
  max: number,
  [min, maxEntries]: [number, number],
  entry: (item: Obj, name: string) => string | undefined = () => undefined,
): string | undefined {
  const items = list(value);
  if (!Array.isArray(value) && value !== undefined) return `${field} must be a list`;
  if (items.length < min || items.length > maxEntries)
    return `${field} must hold ${min} to ${maxEntries} entries`;
  const seen = new Set<unknown>();
  for (const [i, item] of items.entries()) {
    const name = `${field}[${i}]`;
    if (!whole(item[key], 1, max) || seen.has(item[key])) return `${name}.${key} must be unique, 1..${max}`;
    seen.add(item[key]);
    const bad = entry(item, name);
    if (bad) return bad;
  }
  return undefined;
}

const switchIndex: BodyRule = numberIn('switchIndex', 1, AUX_LOAD_LIMITS.switches, { integer: true });

/** 7.5, 7.6: a switch and how long it keeps the state. */
export const auxLoadOverrideRules: readonly BodyRule[] = [
  switchIndex,
  numberIn('durationMinutes', 1, AUX_LOAD_LIMITS.maxOverrideMinutes, { integer: true }),
];

/** 7.8. */
export const resetAuxLoadRules: readonly BodyRule[] = [switchIndex];

/** 7.9, 7.10: one to five switches, each once, with a boolean. */
export const boostButtonChangeRule: BodyRule = (fields) =>
  numbered('switches', fields['switches'], 'switchIndex', AUX_LOAD_LIMITS.switches, [1, 5], (item, name) =>
    typeof item['selected'] === 'boolean' ? undefined : `${name}.selected must be true or false`,
  );

/** 7.11. */
export const boostLogPeriodRule: BodyRule = period('period', AUX_LOAD_LIMITS.boostLogReadDays);

/** 7.12. */
export const randomisedOffsetRule: BodyRule = numberIn(
  'randomisedOffsetLimitS',
  0,
  AUX_LOAD_LIMITS.maxRandomisedOffsetS,
  { integer: true },
);

/** 7.13, 7.16: a controller, a window that ends after it starts, a level in percent. */
export const controllerLevelRules: readonly BodyRule[] = [
  numberIn('auxiliaryControllerN', 1, AUX_LOAD_LIMITS.controllers, { integer: true }),
  dateTime('startDateTimeMs'),
  dateTime('endDateTimeMs'),
  (fields) =>
    (fields['endDateTimeMs'] as number) > (fields['startDateTimeMs'] as number)
      ? undefined
      : 'endDateTimeMs must be after startDateTimeMs',
  numberIn('commandedStateLevel', 0, AUX_LOAD_LIMITS.maxLevel, { integer: true }),
];

/** 6.14.1: one to five descriptions, each switch once. */
export const alcDescriptionsRule: BodyRule = (fields) =>
  numbered(
    'descriptions',
    fields['descriptions'],
    'switchIndex',
    AUX_LOAD_LIMITS.switches,
    [1, 5],
    (item, name) => {
      const text = item['description'];
      if (typeof text !== 'string' || text.length === 0) return `${name}.description is missing`;
      if (text.length > AUX_LOAD_LIMITS.descriptionChars) {
        return `${name}.description is longer than ${AUX_LOAD_LIMITS.descriptionChars} characters`;
      }
      return PRINTABLE.test(text) ? undefined : `${name}.description must be printable ASCII`;
    },
  );

function specialDaysProblem(fields: BodyFields): string | undefined {
  return numbered(
    'specialDays',
    fields['specialDays'],
    'index',
    AUX_LOAD_LIMITS.specialDays,
    [0, AUX_LOAD_LIMITS.specialDays],
    (day, name) => dateProblem(`${name}.date`, day['date']),
  );
}

function timingProblem(name: string, timing: unknown, specialDays: Set<unknown>): string | undefined {
  if (timing === undefined || timing === null || typeof timing !== 'object')
    return `${name}.timing is missing`;
  const t = timing as Obj;
  const days = t['daysOfWeek'] as unknown[] | undefined;
  const specials = t['specialDayIndexes'] as unknown[] | undefined;
  return first([
    () =>
      whole(t['switchTimeMs'], 0, DAY_MS - 1)
        ? undefined
        : `${name}.timing.switchTimeMs must be a time of day`,
    () => dateProblem(`${name}.timing.startDate`, t['startDate']),
    () => dateProblem(`${name}.timing.endDate`, t['endDate']),
    () =>
      days?.every((d) => whole(d, 1, 7)) === false
        ? `${name}.timing.daysOfWeek must be Monday..Sunday`
        : undefined,
    () =>
      specials?.every((id) => specialDays.has(id)) === false
        ? `${name}.timing.specialDayIndexes names a special day the request does not define`
        : undefined,
    () => ((days?.length ?? 0) + (specials?.length ?? 0) > 0 ? undefined : `${name} applies on no day`),
  ]);
}

/**
 * A schedule's entries (1 to 64), each passing `entry` and with a timing whose special days the request defines;
 * the special days themselves checked first.
 */
function scheduleProblem(fields: BodyFields, entry: (item: Obj, name: string) => string | undefined) {
  const specialProblem = specialDaysProblem(fields);
  if (specialProblem) return specialProblem;
  const days = new Set(list(fields['specialDays']).map((d) => d['index']));
  const entries = list(fields['schedules']);
  if (entries.length < 1 || entries.length > AUX_LOAD_LIMITS.scheduleEntries) {
    return `schedules must hold 1 to ${AUX_LOAD_LIMITS.scheduleEntries} entries`;
  }
  for (const [i, s] of entries.entries()) {
    const name = `schedules[${i}]`;
    const bad = entry(s, name) ?? timingProblem(name, s['timing'], days);
    if (bad) return bad;
  }
  return undefined;
}

/** 6.14.2: the connection schedule, its special days and the switches' types. */
export const alcSchedulerRule: BodyRule = (fields) =>
  scheduleProblem(fields, (s, name) =>
    first([
      () =>
        whole(s['switchIndex'], 1, AUX_LOAD_LIMITS.switches) ? undefined : `${name}.switchIndex must be 1..5`,
      () => (typeof s['activate'] === 'boolean' ? undefined : `${name}.activate must be true or false`),
    ]),
  ) ??
  numbered(
    'switchTypes',
    fields['switchTypes'],
    'switchIndex',
    AUX_LOAD_LIMITS.switches,
    [0, 5],
    (t, name) => {
      const id = t['hcalcsDeviceId'];
      if (id === undefined || id === '') return undefined;
      return typeof id === 'string' && isEui64(id) ? undefined : `${name}.hcalcsDeviceId must be an EUI-64`;
    },
  );

/** 6.14.3: the controllers' schedule and its special days. */
export const controllerSchedulerRule: BodyRule = (fields) =>
  scheduleProblem(fields, (s, name) =>
    first([
      () =>
        whole(s['auxiliaryControllerN'], 1, AUX_LOAD_LIMITS.controllers)
          ? undefined
          : `${name}.auxiliaryControllerN must be 1..5`,
      () =>
        whole(s['commandedStateLevel'], 0, AUX_LOAD_LIMITS.maxLevel)
          ? undefined
          : `${name}.commandedStateLevel must be 0..100`,
    ]),
  );
